//! Matches a struct's fields against the schema fields it must carry.
//! Every mismatch is a `syn::Error` spanned at the token to change; all of
//! them are combined so one build shows them all.

use crate::ast::{Field, Input, Known, known, option_inner};
use crate::attr::combine;
use syn::{Error, Result, Type};
use telemetry_schema::{Collect, Field as SchemaField, FieldType};

/// Who declares the fields, for messages: `event `sync``, and where.
pub(crate) struct Owner<'a> {
    pub what: String,
    pub file: &'a str,
    /// Where the event or object is declared.
    pub loc: telemetry_schema::Loc,
}

impl Owner<'_> {
    fn at(&self, f: &SchemaField) -> String {
        format!("{}:{}", self.file, f.loc)
    }
}

/// A struct field paired with the schema field it carries.
pub(crate) struct Planned<'a> {
    pub field: &'a Field<'a>,
    pub schema: &'a SchemaField,
    /// Written `Option<T>`; `inner` is `T`.
    pub optional: bool,
    pub inner: &'a Type,
}

pub(crate) fn check<'a>(
    input: &'a Input<'a>,
    owner: &Owner<'_>,
    fields: &'a [SchemaField],
) -> Result<Vec<Planned<'a>>> {
    let mut errors: Option<Error> = None;
    let mut planned = Vec::new();
    for field in &input.fields {
        let Some(sf) = fields.iter().find(|s| s.name == field.name) else {
            let collected = fields.iter().filter(|s| s.is_collected()).map(|s| s.name.as_str());
            let help = match telemetry_schema::did_you_mean(&field.name, collected) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "remove it, or declare it in {} in {} with its type, `collect:` and a description",
                    owner.what, owner.file
                ),
            };
            combine(
                &mut errors,
                Error::new(
                    field.ident.span(),
                    format!(
                        "field `{}` is not declared in {} ({}:{})\n  help: {help}",
                        field.name, owner.what, owner.file, owner.loc
                    ),
                ),
            );
            continue;
        };
        if sf.collect == Collect::Forbidden {
            let reason = sf.reason.as_deref().unwrap_or("no reason given");
            combine(
                &mut errors,
                Error::new(
                    field.ident.span(),
                    format!(
                        "field `{}` is forbidden in {} ({}): {reason}\n  help: remove this field; the schema promises it is never collected",
                        field.name,
                        owner.what,
                        owner.at(sf)
                    ),
                ),
            );
            continue;
        }
        let ty = sf.ty.as_ref().expect("validated: collected fields have a type");
        let inner = option_inner(field.ty);
        match (sf.required, inner) {
            (true, Some(_)) => {
                combine(
                    &mut errors,
                    Error::new_spanned(
                        field.ty,
                        format!(
                            "field `{}` is an `Option`, but {} declares it required ({})\n  help: use the plain type, or mark the field `required: false` in the schema",
                            field.name,
                            owner.what,
                            owner.at(sf)
                        ),
                    ),
                );
                continue;
            }
            (false, None) => {
                combine(
                    &mut errors,
                    Error::new_spanned(
                        field.ty,
                        format!(
                            "field `{}` is optional in {} (`required: false` at {}), so it must be an `Option`\n  help: declare it as `Option<{}>`: `None` leaves the key out of the event",
                            field.name,
                            owner.what,
                            owner.at(sf),
                            rust_suggestion(ty)
                        ),
                    ),
                );
                continue;
            }
            _ => {}
        }
        let inner_ty = inner.unwrap_or(field.ty);
        if let Some(e) = type_mismatch(field, inner_ty, sf, ty, owner) {
            combine(&mut errors, e);
            continue;
        }
        planned.push(Planned { field, schema: sf, optional: inner.is_some(), inner: inner_ty });
    }
    for sf in fields.iter().filter(|s| s.is_collected() && s.required) {
        if !input.fields.iter().any(|f| f.name == sf.name) {
            let ty = sf.ty.as_ref().expect("validated: collected fields have a type");
            combine(
                &mut errors,
                Error::new(
                    input.ident.span(),
                    format!(
                        "`{}` lacks field `{}`, which {} declares required ({})\n  help: add `{}: {}`, or mark the field `required: false` in the schema",
                        input.ident,
                        sf.name,
                        owner.what,
                        owner.at(sf),
                        sf.name,
                        rust_suggestion(ty)
                    ),
                ),
            );
        }
    }
    match errors {
        Some(e) => Err(e),
        None => {
            // Write in schema order: the output then reads like the generated page.
            planned.sort_by_key(|p| fields.iter().position(|s| std::ptr::eq(s, p.schema)));
            Ok(planned)
        }
    }
}

/// A Rust type that would carry `ty`, for help messages.
pub(crate) fn rust_suggestion(ty: &FieldType) -> String {
    match ty {
        FieldType::String { .. } => "&str".into(),
        FieldType::Enum { .. } => "YourEnum /* #[derive(TelemetryEnum)] */".into(),
        FieldType::Object { .. } => "YourStruct /* #[derive(TelemetryEvent)] with `object = ...` */".into(),
        FieldType::List { items } => format!("Vec<{}>", rust_suggestion(items)),
        other => other.keyword().into(),
    }
}

fn fits(k: Known, ty: &FieldType) -> bool {
    let bits = |t: &FieldType| match t {
        FieldType::U8 | FieldType::I8 => 8,
        FieldType::U16 | FieldType::I16 => 16,
        FieldType::U32 | FieldType::I32 | FieldType::F32 => 32,
        _ => 64,
    };
    match (k, ty) {
        (Known::Bool, FieldType::Bool) => true,
        (Known::Unsigned(n), FieldType::U8 | FieldType::U16 | FieldType::U32 | FieldType::U64) => n <= bits(ty),
        (Known::Signed(n), FieldType::I8 | FieldType::I16 | FieldType::I32 | FieldType::I64) => n <= bits(ty),
        (Known::Unsigned(n), FieldType::I8 | FieldType::I16 | FieldType::I32 | FieldType::I64) => n < bits(ty),
        (Known::Float(n), FieldType::F32 | FieldType::F64) => n <= bits(ty),
        (Known::Text, FieldType::String { .. }) => true,
        (Known::List, FieldType::List { .. }) => true,
        _ => false,
    }
}

/// An early, precise error when the field's spelling already shows it
/// cannot carry the schema type. Types it does not recognise are left to
/// the `Carries*` trait bounds in the expansion.
fn type_mismatch(
    field: &Field<'_>,
    inner: &Type,
    sf: &SchemaField,
    ty: &FieldType,
    owner: &Owner<'_>,
) -> Option<Error> {
    let (k, spelled) = known(inner)?;
    if fits(k, ty) {
        return None;
    }
    let help = match (k, ty) {
        (Known::Path, _) => {
            "paths carry user and project names: send something that identifies nothing (a file extension, a count), or mark the field `hashed` in the schema and pass `path.to_string_lossy()`".to_string()
        }
        (Known::Text, FieldType::U8 | FieldType::U16 | FieldType::U32 | FieldType::U64 | FieldType::I8 | FieldType::I16 | FieldType::I32 | FieldType::I64 | FieldType::F32 | FieldType::F64) => {
            format!("parse the text before recording (`s.parse::<{}>()`), or change the schema type", ty.keyword())
        }
        (Known::Text, FieldType::Enum { values }) => {
            format!("use an enum with `#[derive(TelemetryEnum)]` whose variants are {}", values.join(", "))
        }
        _ => format!("use `{}`", rust_suggestion(ty)),
    };
    let collect = if sf.collect == Collect::Hashed { ", hashed" } else { "" };
    Some(Error::new_spanned(
        inner,
        format!(
            "field `{}` has type `{spelled}`, which cannot carry schema type `{}`{collect} ({} declares it at {})\n  help: {help}",
            field.name,
            ty.name(),
            owner.what,
            owner.at(sf)
        ),
    ))
}
