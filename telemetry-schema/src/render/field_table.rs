//! The page's view of fields: nested fields walked with dotted names
//! (`a.b`, `a[].b`), the table of collected fields, and the lists of
//! forbidden and hashed fields that the closing sections name.

use super::text::{cell_row, code, line, text};
use crate::model::{Collect, Field, FieldType};

fn type_name(ty: &FieldType) -> String {
    match ty {
        FieldType::String { max_length: Some(n) } => format!("string (at most {n} characters)"),
        FieldType::Enum { values } => {
            format!("one of {}", values.iter().map(|v| code(v)).collect::<Vec<_>>().join(", "))
        }
        FieldType::List { items } => format!("list of {}", type_name(items)),
        other => other.keyword().to_string(),
    }
}

/// Visits every field in schema order, each followed by the fields of its
/// nested object (or list of objects), named `a.b` (or `a[].b`).
fn walk(fields: &[Field], prefix: &str, visit: &mut dyn FnMut(&str, &Field)) {
    for f in fields {
        let name = format!("{prefix}{}", f.name);
        visit(&name, f);
        match &f.ty {
            Some(FieldType::Object { fields }) => walk(fields, &format!("{name}."), visit),
            Some(FieldType::List { items }) => {
                if let FieldType::Object { fields } = &**items {
                    walk(fields, &format!("{name}[]."), visit);
                }
            }
            _ => {}
        }
    }
}

/// Rows of collected fields, nested object fields with dotted names.
fn rows(w: &mut String, fields: &[Field], prefix: &str) {
    walk(fields, prefix, &mut |name, f| {
        let Some(ty) = f.ty.as_ref().filter(|_| f.is_collected()) else { return };
        let how = match f.collect {
            Collect::Hashed => "hashed",
            _ => "as is",
        };
        let required = if f.required { "required" } else { "optional" };
        let description = text(f.description.as_deref().unwrap_or(""));
        line(w, cell_row(&[&format!("`{name}`"), &type_name(ty), how, required, &description]));
    });
}

/// The field table of an event or of the context.
pub(super) fn table(w: &mut String, fields: &[Field]) {
    line(w, "| Field | Type | Sent | Presence | Description |");
    line(w, "| --- | --- | --- | --- | --- |");
    rows(w, fields, "");
    line(w, "");
}

/// Forbidden fields of `fields`, with dotted names, as `(name, reason)`.
pub(super) fn forbidden(fields: &[Field], prefix: &str, out: &mut Vec<(String, String)>) {
    walk(fields, prefix, &mut |name, f| {
        if f.collect == Collect::Forbidden {
            out.push((name.to_string(), f.reason.clone().unwrap_or_default()));
        }
    });
}

/// Hashed fields of `fields`, with dotted names.
pub(super) fn hashed_fields(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    walk(fields, prefix, &mut |name, f| {
        if f.collect == Collect::Hashed {
            out.push(name.to_string());
        }
    });
}
