//! Reads `#[telemetry(...)]` attributes.

use syn::{Attribute, Error, LitStr, Result};

/// The container attribute of an event or object struct.
pub(crate) struct Container {
    /// `schema = "path"`.
    pub schema: Option<LitStr>,
    /// `event = "name"`.
    pub event: Option<LitStr>,
    /// `object = "field.path"` (nested objects only).
    pub object: Option<LitStr>,
}

const CONTAINER_KEYS: &[&str] = &["schema", "event", "object"];

pub(crate) fn container(attrs: &[Attribute]) -> Result<Container> {
    let mut out = Container { schema: None, event: None, object: None };
    let mut errors: Option<Error> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("telemetry")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let slot = if meta.path.is_ident("schema") {
                &mut out.schema
            } else if meta.path.is_ident("event") {
                &mut out.event
            } else if meta.path.is_ident("object") {
                &mut out.object
            } else {
                let name = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                let help = match telemetry_schema::did_you_mean(&name, CONTAINER_KEYS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "expected `schema = \"path.yaml\"`, `event = \"name\"` or `object = \"field\"`".into(),
                };
                return Err(meta.error(format!("unknown telemetry attribute `{name}`\n  help: {help}")));
            };
            if slot.is_some() {
                return Err(meta.error("this key is given twice\n  help: remove one of them"));
            }
            let value: LitStr = meta.value()?.parse().map_err(|e| {
                Error::new(e.span(), "expected a string literal\n  help: write it as `key = \"value\"`")
            })?;
            *slot = Some(value);
            Ok(())
        });
        if let Err(e) = parsed {
            combine(&mut errors, e);
        }
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// `#[telemetry(rename = "value")]` on an enum variant.
pub(crate) fn rename(attrs: &[Attribute]) -> Result<Option<LitStr>> {
    let mut out = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("telemetry")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                out = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(meta
                    .error("unknown telemetry attribute on a variant\n  help: the only one is `rename = \"value\"`"))
            }
        })?;
    }
    Ok(out)
}

pub(crate) fn combine(acc: &mut Option<Error>, e: Error) {
    match acc {
        Some(a) => a.combine(e),
        None => *acc = Some(e),
    }
}
