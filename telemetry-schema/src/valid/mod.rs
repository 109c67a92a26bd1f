//! The rules a parsed schema must still follow: field and name rules
//! (`fields.rs`), personal-data names (`pii.rs`), enum values
//! (`enum_value.rs`), `example:` values (`example.rs`) and the governance
//! keys taken together (`governance.rs`).

mod enum_value;
mod example;
mod fields;
mod governance;
mod pii;

pub use enum_value::{MAX_ENUM_VALUE_LEN, default_enum_value, enum_value_problem, variant_name};
pub(crate) use fields::check_parts;
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
}
