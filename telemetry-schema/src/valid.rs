//! The privacy rules: what a well-formed schema may still not say.

use crate::error::Diags;
use crate::model::{Collect, Field, FieldType, Schema};

/// Name tokens that suggest personal data. A collected field whose
/// snake_case name contains one (as a whole token) cannot be `allowed`
/// without a `reviewed:` note saying why it is not personal data.
const PII_TOKENS: &[&str] = &[
    "email", "ip", "hostname", "username", "password", "passwd", "token", "secret", "phone", "path", "cwd", "home",
    "mac",
];
/// Two-token spellings of the same ideas (`api_key`, `user_name`, ...).
const PII_PAIRS: &[(&str, &str)] =
    &[("api", "key"), ("user", "name"), ("host", "name"), ("full", "name"), ("ip", "address")];

/// The token that makes `name` look like personal data, if any.
///
/// ```
/// assert_eq!(telemetry_schema::pii_token("user_email"), Some("email".to_string()));
/// assert_eq!(telemetry_schema::pii_token("api_key_id"), Some("api_key".to_string()));
/// assert_eq!(telemetry_schema::pii_token("tokenizer"), None);
/// ```
pub fn pii_token(name: &str) -> Option<String> {
    let tokens: Vec<&str> = name.split('_').collect();
    if let Some(t) = tokens.iter().find(|t| PII_TOKENS.contains(t)) {
        return Some((*t).to_string());
    }
    tokens.windows(2).find(|w| PII_PAIRS.contains(&(w[0], w[1]))).map(|w| format!("{}_{}", w[0], w[1]))
}

/// `lower_snake_case`: ASCII lowercase letters and digits in `_`-separated words, starting with a letter.
pub fn is_snake_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.split('_').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// A best-effort snake_case spelling of `s`, for suggestions.
pub fn to_snake_case(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
            prev_lower = false;
        }
    }
    let trimmed = out.trim_matches('_');
    if trimmed.is_empty() { "name".to_string() } else { trimmed.to_string() }
}

pub(crate) fn check(schema: &Schema, d: &mut Diags) {
    for f in &schema.context {
        check_field(f, "the context", d);
    }
    for e in &schema.events {
        if !is_snake_case(&e.name) {
            d.error(
                e.loc,
                format!("event name `{}` is not snake_case", e.name),
                format!("rename it `{}`", to_snake_case(&e.name)),
            );
        }
        let owner = format!("event `{}`", e.name);
        for f in &e.fields {
            check_field(f, &owner, d);
        }
    }
}

fn check_field(f: &Field, owner: &str, d: &mut Diags) {
    let what = format!("field `{}` of {owner}", f.name);
    if !is_snake_case(&f.name) {
        d.error(f.loc, format!("{what}: name is not snake_case"), format!("rename it `{}`", to_snake_case(&f.name)));
    }
    match f.collect {
        Collect::Forbidden => {
            if f.reason.is_none() {
                d.error(
                    f.loc,
                    format!("{what} is forbidden but gives no `reason`"),
                    "add `reason: ...` saying why it must never be collected; it is published on the generated page",
                );
            }
            if f.ty.is_some() {
                d.error(
                    f.loc,
                    format!("{what} is forbidden but declares a `type`"),
                    "a forbidden field is never sent: remove `type` (and `values`, `fields`, `items`, `max_length`)",
                );
            }
            if f.example.is_some() {
                d.error(
                    f.loc,
                    format!("{what} is forbidden but has an `example`"),
                    "remove `example`: a forbidden value must not appear on the page",
                );
            }
            if !f.required {
                d.error(
                    f.loc,
                    format!("{what} is forbidden but says `required: false`"),
                    "remove `required`: a forbidden field is never sent, optionally or not",
                );
            }
        }
        Collect::Allowed | Collect::Hashed => {
            if f.description.is_none() {
                d.error(
                    f.loc,
                    format!("{what} has no `description`"),
                    "add `description: ...`: every collected field is explained on the generated page",
                );
            }
            if f.reason.is_some() {
                d.error(
                    f.loc,
                    format!("{what} is collected but has a `reason`"),
                    "`reason` explains forbidden fields; use `description` for collected ones",
                );
            }
            let Some(ty) = &f.ty else {
                d.error(
                    f.loc,
                    format!("{what} has no `type`"),
                    "add `type: string` (or bool, u64, enum, object, list, ...)",
                );
                return;
            };
            if f.collect == Collect::Hashed && !ty.is_hashable() {
                d.error(
                    f.loc,
                    format!("{what} is `hashed` but has type `{}`", ty.name()),
                    "only `string` (or a list of string) can be hashed: a hash of a bool or a number is reversed by trying every value; collect it as `allowed`, or not at all",
                );
            }
            if f.collect == Collect::Allowed
                && f.reviewed.is_none()
                && let Some(tok) = pii_token(&f.name)
            {
                d.error(
                    f.loc,
                    format!("{what} looks like personal data (`{tok}`) but is collected as `allowed`"),
                    "collect it as `hashed` or `forbidden`, or add `reviewed: \"why this is not personal data\"`",
                );
            }
            check_type(ty, &what, d);
        }
    }
}

fn check_type(ty: &FieldType, owner: &str, d: &mut Diags) {
    match ty {
        FieldType::Object { fields } => {
            for f in fields {
                check_field(f, owner, d);
            }
        }
        FieldType::List { items } => check_type(items, owner, d),
        _ => {}
    }
}
