//! The rules a parsed schema must still follow: field and name rules
//! (`fields.rs`), personal-data names (`pii.rs`), enum values
//! (`enum_value.rs`) and `example:` values (`example.rs`).

mod enum_value;
mod example;
mod fields;
mod pii;

pub use enum_value::{MAX_ENUM_VALUE_LEN, default_enum_value, enum_value_problem, variant_name};
pub(crate) use example::check as check_examples;
pub(crate) use fields::{check, check_parts, snake_help};
pub use fields::{is_snake_case, to_snake_case};
pub use pii::pii_token;
