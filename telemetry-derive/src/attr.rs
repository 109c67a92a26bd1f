//! Reads `#[telemetry(...)]` attributes.

use crate::ctxt::{self, Ctxt};
use syn::{Attribute, LitStr};

/// The container attribute of an event, context or object struct.
pub(crate) struct Container {
    /// `schema = "path"`.
    pub schema: Option<LitStr>,
    /// `event = "name"` (events only).
    pub event: Option<LitStr>,
    /// `object = "field.path"` (nested objects only).
    pub object: Option<LitStr>,
    /// `field = "event.field"` (enums only: the schema field whose values they are).
    pub field: Option<LitStr>,
}

/// Reads the container attribute; `keys` are the ones this derive accepts.
/// Problems go to `cx`; what parsed is returned either way.
pub(crate) fn container(attrs: &[Attribute], keys: &[&str], cx: &mut Ctxt) -> Container {
    let mut out = Container { schema: None, event: None, object: None, field: None };
    for attr in attrs.iter().filter(|a| a.path().is_ident("telemetry")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            let slot = match name.as_str() {
                "schema" => &mut out.schema,
                "event" if keys.contains(&"event") => &mut out.event,
                "object" if keys.contains(&"object") => &mut out.object,
                "field" if keys.contains(&"field") => &mut out.field,
                _ => {
                    let help = match telemetry_schema::did_you_mean(&name, keys.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => expected(keys),
                    };
                    return Err(meta.error(ctxt::render(format!("unknown telemetry attribute `{name}`"), help)));
                }
            };
            if slot.is_some() {
                return Err(meta.error(ctxt::render("this key is given twice", "remove one of them")));
            }
            let value: LitStr = meta
                .value()?
                .parse()
                .map_err(|e| ctxt::error(e.span(), "expected a string literal", "write it as `key = \"value\"`"))?;
            *slot = Some(value);
            Ok(())
        });
        if let Err(e) = parsed {
            cx.push(e);
        }
    }
    out
}

/// `expected `schema = "path.yaml"`, `event = "name"` or `object = "field"``.
fn expected(keys: &[&str]) -> String {
    let shown: Vec<String> = keys
        .iter()
        .map(|k| match *k {
            "schema" => "`schema = \"path.yaml\"`".to_string(),
            "object" => "`object = \"field\"`".to_string(),
            "field" => "`field = \"event.field\"`".to_string(),
            other => format!("`{other} = \"name\"`"),
        })
        .collect();
    match shown.split_last() {
        Some((last, [])) => format!("expected {last}"),
        Some((last, rest)) => format!("expected {} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `#[telemetry(rename = "value")]` on an enum variant.
pub(crate) fn rename(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    let mut out = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("telemetry")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                out = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(meta.error(ctxt::render(
                    "unknown telemetry attribute on a variant",
                    "the only one is `rename = \"value\"`",
                )))
            }
        })?;
    }
    Ok(out)
}
