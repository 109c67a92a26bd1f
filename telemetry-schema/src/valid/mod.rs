//! The rules a parsed schema must still follow: field and name rules
//! (`fields.rs`), personal-data names (`pii.rs`), enum values
//! (`enum_value.rs`), `example:` values (`example.rs`) and the governance
//! keys taken together (`governance.rs`).

mod enum_value;
mod example;
mod fields;
mod governance;
mod metrics;
mod pii;

pub use enum_value::{MAX_ENUM_VALUE_LEN, default_enum_value, enum_value_problem, variant_name};
pub use fields::{is_snake_case, to_snake_case};
pub use pii::pii_token;

use crate::date::Date;
use crate::error::Diags;
use crate::model::Schema;

/// Every rule over a schema that parsed; expiry is judged against `today`.
pub(crate) fn check(schema: &Schema, today: Date, d: &mut Diags) {
    fields::check(schema, d);
    example::check(schema, d);
    governance::check(schema, today, d);
    metrics::check(&schema.metrics, d);
    metrics::reserved_event(schema, d);
    metrics::warn_expiry(&schema.metrics, today, today.plus_years(governance::FAR_EXPIRY_YEARS), d);
}

/// The rules over the parts of a schema that parsed when others did not.
pub(crate) fn check_partial(
    context: &[crate::model::Field],
    events: &[crate::model::Event],
    metrics: &[crate::model::Metric],
    d: &mut Diags,
) {
    fields::check_parts(context, events, d);
    metrics::check(metrics, d);
}
