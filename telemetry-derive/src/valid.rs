//! Every user-facing check of a deriving struct: its target in the schema
//! (through `target`), then its fields against the schema fields it must
//! carry. Each mismatch is recorded in the `Ctxt`, spanned at the token to
//! change, so one build shows them all; the expansion only emits code.

use crate::ast::{Field, Input, Known, known, option_inner};
use crate::attr::Container;
use crate::ctxt::Ctxt;
use crate::load::Loaded;
use crate::target::{self, CONTEXT_PATH, Derive, Kind, Owner, Target};
use syn::Type;
use telemetry_schema::{Collect, Field as SchemaField, FieldType, WELL_KNOWN_CONTEXT};

/// A struct field paired with the schema field it carries.
pub(crate) struct Planned<'a> {
    pub field: &'a Field<'a>,
    pub schema: &'a SchemaField,
    /// Written `Option<T>`; `inner` is `T`.
    pub optional: bool,
    pub inner: &'a Type,
}

/// A struct checked against its target: everything the expansion needs.
pub(crate) struct Plan<'a> {
    pub input: &'a Input<'a>,
    pub target: Target<'a>,
    /// The schema it is checked against (its `app.name`, its fingerprint).
    pub schema: &'a telemetry_schema::Schema,
    /// Its fingerprint.
    pub fingerprint: u128,
    /// The fields to write, in the order they are written.
    pub fields: Vec<Planned<'a>>,
}

/// Runs every check of the struct against the schema; `None` when any failed
/// (each problem is in `cx`).
pub(crate) fn plan<'a>(
    derive: Derive,
    input: &'a Input<'a>,
    attrs: &Container,
    loaded: &'a Loaded,
    cx: &mut Ctxt,
) -> Option<Plan<'a>> {
    let target = target::find(derive, input, attrs, loaded, cx)?;
    let fields = check(input, &target, cx)?;
    Some(Plan { input, target, schema: &loaded.schema, fingerprint: loaded.fingerprint, fields })
}

fn check<'a>(input: &'a Input<'a>, target: &Target<'a>, cx: &mut Ctxt) -> Option<Vec<Planned<'a>>> {
    let start_ok = cx.is_ok();
    // Required fields already named by a did-you-mean: the typo is one
    // mistake, so it gets one error, not a second "lacks field".
    let mut suggested: Vec<&str> = Vec::new();
    let mut planned: Vec<Planned<'a>> =
        input.fields.iter().filter_map(|field| check_field(field, target, &mut suggested, cx)).collect();
    check_required(input, target, &suggested, cx);
    if !(start_ok && cx.is_ok()) {
        return None;
    }
    // Events and objects are written in schema order, so the output reads like
    // the generated page; a context struct in its own order, which `KEYS` states.
    if !matches!(target.kind, Kind::Context) {
        planned.sort_by_key(|p| target.fields.iter().position(|s| std::ptr::eq(s, p.schema)));
    }
    Some(planned)
}

/// One field of the struct against its schema field: declared, not
/// forbidden, optional exactly when the schema says, of a type that carries
/// the schema type. A typo's suggestion is noted in `suggested`.
fn check_field<'a>(
    field: &'a Field<'a>,
    target: &Target<'a>,
    suggested: &mut Vec<&'a str>,
    cx: &mut Ctxt,
) -> Option<Planned<'a>> {
    let owner = &target.owner;
    let Some(sf) = target.fields.iter().find(|s| s.name == field.name) else {
        let collected = target.fields.iter().filter(|s| s.is_collected()).map(|s| s.name.as_str());
        let help = match telemetry_schema::did_you_mean(&field.name, collected) {
            Some(s) => {
                suggested.push(s);
                format!("did you mean `{s}`?")
            }
            None => format!(
                "remove it, or declare it in {} in {} with its type, `collect:` and a description",
                owner.what, owner.file
            ),
        };
        cx.error(
            field.ident.span(),
            format!("field `{}` is not declared in {} ({})", field.name, owner.what, owner.declared()),
            help,
        );
        return None;
    };
    if sf.collect == Collect::Forbidden {
        let reason = sf.reason.as_deref().unwrap_or("no reason given");
        cx.error(
            field.ident.span(),
            format!("field `{}` is forbidden in {} ({}): {reason}", field.name, owner.what, owner.at(sf)),
            "remove this field; the schema promises it is never collected",
        );
        return None;
    }
    let ty = sf.ty.as_ref().expect("validated: collected fields have a type");
    let inner = option_inner(field.ty);
    match (sf.required, inner) {
        (true, Some(_)) => {
            cx.error_spanned(
                field.ty,
                format!(
                    "field `{}` is an `Option`, but {} declares it required ({})",
                    field.name,
                    owner.what,
                    owner.at(sf)
                ),
                "use the plain type, or mark the field `required: false` in the schema",
            );
            return None;
        }
        (false, None) => {
            cx.error_spanned(
                field.ty,
                format!(
                    "field `{}` is optional in {} (`required: false` at {}), so it must be an `Option`",
                    field.name,
                    owner.what,
                    owner.at(sf)
                ),
                format!(
                    "declare it as `Option<{}>`: `None` leaves the key out of the {}",
                    rust_suggestion(ty),
                    if target.path.starts_with(CONTEXT_PATH) { "context" } else { "event" }
                ),
            );
            return None;
        }
        _ => {}
    }
    let inner_ty = inner.unwrap_or(field.ty);
    if type_mismatch(field, inner_ty, sf, ty, owner, cx) {
        return None;
    }
    Some(Planned { field, schema: sf, optional: inner.is_some(), inner: inner_ty })
}

/// Every required schema field the struct lacks (a context key only when
/// the runtime cannot fill it), except those a typo's suggestion named.
fn check_required(input: &Input<'_>, target: &Target<'_>, suggested: &[&str], cx: &mut Ctxt) {
    let owner = &target.owner;
    let is_context = matches!(target.kind, Kind::Context);
    for sf in target.fields.iter().filter(|s| s.is_collected() && s.required) {
        if input.fields.iter().any(|f| f.name == sf.name) || suggested.contains(&sf.name.as_str()) {
            continue;
        }
        let ty = sf.ty.as_ref().expect("validated: collected fields have a type");
        if !is_context {
            cx.error(
                input.ident.span(),
                format!(
                    "`{}` lacks field `{}`, which {} declares required ({})",
                    input.ident,
                    sf.name,
                    owner.what,
                    owner.at(sf)
                ),
                format!(
                    "add `{}: {}`, or mark the field `required: false` in the schema",
                    sf.name,
                    rust_suggestion(ty)
                ),
            );
        } else if !WELL_KNOWN_CONTEXT.contains(&sf.name.as_str()) {
            cx.error(
                input.ident.span(),
                format!(
                    "missing required context key `{}`: the context declares it required ({}), and the runtime cannot fill it",
                    sf.name,
                    owner.at(sf)
                ),
                format!(
                    "add `{}: {}` to `{}`, or mark the key `required: false` in the schema; the runtime fills only {}",
                    sf.name,
                    rust_suggestion(ty),
                    input.ident,
                    WELL_KNOWN_CONTEXT.join(", ")
                ),
            );
        }
    }
}

/// A Rust type that would carry `ty`, for help messages.
pub(crate) fn rust_suggestion(ty: &FieldType) -> String {
    match ty {
        FieldType::String { .. } => "&str".into(),
        FieldType::Enum { .. } => "YourEnum /* #[derive(TelemetryEnum)] */".into(),
        FieldType::Object { .. } => "YourStruct /* derived with `object = ...` */".into(),
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
    cx: &mut Ctxt,
) -> bool {
    let Some((k, spelled)) = known(inner) else { return false };
    if fits(k, ty) {
        return false;
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
    cx.error_spanned(
        inner,
        format!(
            "field `{}` has type `{spelled}`, which cannot carry schema type `{}`{collect} ({} declares it at {})",
            field.name,
            ty.name(),
            owner.what,
            owner.at(sf)
        ),
        help,
    );
    true
}
