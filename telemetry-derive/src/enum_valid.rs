//! Checks a `TelemetryEnum` against the schema field it names
//! (`#[telemetry(schema = "...", field = "event.field")]`): each variant whose
//! value the field lacks is an error at that variant, each value no variant
//! carries an error at the enum, and a variant that is a near miss of a
//! missing value is one mistake with one error.

use crate::ast::Variant;
use crate::ctxt::Ctxt;
use crate::load::Loaded;
use syn::{Ident, LitStr};
use telemetry_schema::{Field as SchemaField, FieldType, default_enum_value, did_you_mean, variant_name};

/// The values of the field an enum names, and how to name that field in messages.
struct Named<'s> {
    values: &'s [String],
    /// `field `outcome` of event `command_run` (schemas/x.yaml:33:7)`.
    what: String,
}

pub(crate) fn check(ident: &Ident, variants: &[Variant<'_>], field: &LitStr, loaded: &Loaded, cx: &mut Ctxt) {
    let Some(named) = resolve(field, loaded, cx) else { return };
    let values = named.values;
    let listed = values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
    let strays: Vec<&Variant<'_>> = variants.iter().filter(|v| !values.contains(&v.value)).collect();
    let mut missing: Vec<&str> =
        values.iter().map(String::as_str).filter(|v| !variants.iter().any(|x| x.value == *v)).collect();
    // Pair each stray variant with the missing value it most likely meant: a
    // near miss, or the only one left.
    let mut paired: Vec<(&Variant<'_>, Option<(&str, &str)>)> = Vec::new();
    for v in &strays {
        let guess = did_you_mean(&v.value, missing.iter().copied()).map(|m| (m, "did you mean"));
        if let Some((m, _)) = guess {
            missing.retain(|x| *x != m);
        }
        paired.push((v, guess));
    }
    if let ([(_, guess @ None)], [only]) = (paired.as_mut_slice(), missing.as_slice()) {
        *guess = Some((only, "is it"));
        missing.clear();
    }
    for (v, guess) in paired {
        let help = match guess {
            Some((value, lead)) if *v.ident == variant_name(value) => {
                format!("{lead} `{value}`? give the variant `#[telemetry(rename = \"{value}\")]`")
            }
            Some((value, lead)) => format!("{lead} `{value}`? {}", to_carry(value, "name the variant")),
            None => format!(
                "remove the variant, rename it to one of the values with `#[telemetry(rename = \"...\")]`, or add `{}` to the field's `values:` in the schema",
                v.value
            ),
        };
        cx.error(
            v.ident.span(),
            format!(
                "variant `{}` is sent as `{}`, which is not a value of {}: its values are {listed}",
                v.ident, v.value, named.what
            ),
            help,
        );
    }
    for value in missing {
        cx.error(
            ident.span(),
            format!("enum `{ident}` has no variant for `{value}`, a value of {}", named.what),
            to_carry(value, "add a variant"),
        );
    }
}

/// How a variant comes to carry `value`: by its name when the default
/// mapping gives `value` back, else by `rename`.
fn to_carry(value: &str, verb: &str) -> String {
    let name = variant_name(value);
    if default_enum_value(&name) == value {
        format!("{verb} `{name}`, or give it `#[telemetry(rename = \"{value}\")]`")
    } else {
        format!("{verb} `{name}` with `#[telemetry(rename = \"{value}\")]`")
    }
}

/// Finds the enum field at `field` (`event.field`, `event.object.field`,
/// `context.key`); a path the schema lacks is recorded in `cx`.
fn resolve<'s>(field: &LitStr, loaded: &'s Loaded, cx: &mut Ctxt) -> Option<Named<'s>> {
    let schema = &loaded.schema;
    let path = field.value();
    let mut parts = path.split('.');
    let root = parts.next().unwrap_or_default();
    let (mut fields, owner): (&'s [SchemaField], String) = match schema.event(root) {
        Some(e) => (&e.fields, format!("event `{root}`")),
        None if root == "context" => (&schema.context, "the context".into()),
        None => {
            let names = schema.events.iter().map(|e| e.name.as_str()).chain(["context"]);
            let help = match did_you_mean(root, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "start the path with an event's name or `context`, e.g. `field = \"command_run.outcome\"`".into()
                }
            };
            cx.error(field.span(), format!("`{root}` is neither an event of {} nor `context`", loaded.shown), help);
            return None;
        }
    };
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        cx.error(
            field.span(),
            format!("`field = \"{path}\"` names {owner}, not one of its fields"),
            format!("name the enum field, e.g. `field = \"{root}.outcome\"`"),
        );
        return None;
    }
    for (i, part) in rest.iter().enumerate() {
        let Some(f) = fields.iter().find(|f| f.name == *part) else {
            let help = match did_you_mean(part, fields.iter().map(|f| f.name.as_str())) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("name a field of {owner} declared `type: enum`"),
            };
            cx.error(field.span(), format!("{owner} has no field `{part}` in {}", loaded.shown), help);
            return None;
        };
        let last = i + 1 == rest.len();
        let ty = match &f.ty {
            Some(FieldType::List { items }) => &**items,
            Some(ty) => ty,
            None => return not_enum(field, &path, f, loaded, cx),
        };
        match (ty, last) {
            (FieldType::Enum { values }, true) => {
                let what = format!("field `{}` of {owner} ({}:{})", rest.join("."), loaded.shown, f.loc);
                return Some(Named { values, what });
            }
            (FieldType::Object { fields: inner }, false) => fields = inner,
            _ => return not_enum(field, &path, f, loaded, cx),
        }
    }
    None
}

fn not_enum<T>(field: &LitStr, path: &str, f: &SchemaField, loaded: &Loaded, cx: &mut Ctxt) -> Option<T> {
    let ty = f.ty.as_ref().map_or_else(|| "forbidden".to_string(), FieldType::name);
    cx.error(
        field.span(),
        format!("`{path}` is not an enum field: it is {ty} ({}:{})", loaded.shown, f.loc),
        "`field = ...` names a field declared `type: enum` (or a list of them), through its objects: `event.object.field`",
    );
    None
}
