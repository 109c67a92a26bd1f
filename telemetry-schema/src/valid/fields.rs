//! The privacy rules over fields and names: what a well-formed schema may still not say.

use super::pii::pii_token;
use crate::error::Diags;
use crate::model::{Collect, Event, Field, FieldType, HashScope, Schema};

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

/// `help:` text for a name that is not snake_case: a rename when the
/// mechanical spelling is itself valid and keeps every letter, else the rule.
pub(crate) fn snake_help(name: &str) -> String {
    const RULE: &str = "use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`)";
    if name.is_empty() {
        return format!("give it a name: {RULE}");
    }
    let suggestion = to_snake_case(name);
    if !name.is_ascii() || !is_snake_case(&suggestion) {
        // `café` -> `caf` or `1st` -> `1st` would be a bad suggestion.
        return format!("{RULE}; names become Rust identifiers and JSON keys");
    }
    format!("rename it `{suggestion}`")
}

pub(crate) fn check(schema: &Schema, d: &mut Diags) {
    check_parts(&schema.context, &schema.events, d);
}

/// The rules over the context fields and the events; also run on the parts
/// of a schema that parsed when other parts did not.
pub(crate) fn check_parts(context: &[Field], events: &[Event], d: &mut Diags) {
    for f in context {
        check_field(f, "the context", d);
    }
    for e in events {
        if e.name.is_empty() {
            d.error(e.loc, "an event name is empty", snake_help(&e.name));
        } else if !is_snake_case(&e.name) {
            d.error(e.loc, format!("event name `{}` is not snake_case", e.name), snake_help(&e.name));
        }
        let owner = format!("event `{}`", e.name);
        for f in &e.fields {
            check_field(f, &owner, d);
        }
    }
}

fn check_field(f: &Field, owner: &str, d: &mut Diags) {
    let what = format!("field `{}` of {owner}", f.name);
    if f.name.is_empty() {
        d.error(f.loc, format!("a field name of {owner} is empty"), snake_help(&f.name));
    } else if !is_snake_case(&f.name) {
        d.error(f.loc, format!("{what}: name is not snake_case"), snake_help(&f.name));
    }
    match f.collect {
        Collect::Forbidden => check_forbidden(f, &what, d),
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
            if f.collect == Collect::Hashed
                && f.hash == HashScope::Product
                && f.reviewed.is_none()
                && let Some(tok) = pii_token(&f.name)
            {
                d.error(
                    f.loc,
                    format!("{what} looks like personal data (`{tok}`) and is hashed under the product's key"),
                    "whoever holds the product key can hash guesses and match them across installs: use `hash: install`, or add `reviewed: \"why this is not personal data\"`",
                );
            }
            check_type(ty, &what, d);
        }
    }
}

/// A forbidden field says why, and nothing that only a sent field says.
fn check_forbidden(f: &Field, what: &str, d: &mut Diags) {
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
