//! Finds what a deriving struct is checked against: an event, a nested
//! object of an event, the context, or a nested object of the context.

use crate::ast::Input;
use crate::attr::Container;
use crate::ctxt::Ctxt;
use crate::load::Loaded;
use syn::LitStr;
use telemetry_schema::{Event, Field as SchemaField, FieldType, Loc};

/// Which derive runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derive {
    /// `#[derive(TelemetryEvent)]`.
    Event,
    /// `#[derive(TelemetryContext)]`.
    Context,
}

/// The path prefix of context objects in `TelemetryObject::SCHEMA_PATH`.
/// `@` cannot start an event name, so a context object never passes for
/// an event's object of the same shape.
pub(crate) const CONTEXT_PATH: &str = "@context";

/// `TelemetryObject::SCHEMA_PATH` of a struct whose derive failed (and said
/// why): the struct that holds it accepts it, so one mistake gives one error.
pub(crate) const PLACEHOLDER_PATH: &str = "@unchecked";

impl Derive {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Derive::Event => "TelemetryEvent",
            Derive::Context => "TelemetryContext",
        }
    }

    /// The container attribute keys it accepts.
    pub(crate) fn keys(self) -> &'static [&'static str] {
        match self {
            Derive::Event => &["schema", "event", "object"],
            Derive::Context => &["schema", "object"],
        }
    }
}

/// Who declares the fields, for messages: `event `sync``, and where.
pub(crate) struct Owner<'a> {
    pub what: String,
    pub file: &'a str,
    /// Where the event or object is declared (the context has no line of its own).
    pub loc: Option<Loc>,
}

impl Owner<'_> {
    /// `file:line:col` of a field this owner declares.
    pub(crate) fn at(&self, f: &SchemaField) -> String {
        format!("{}:{}", self.file, f.loc)
    }

    /// `file:line:col` of the owner itself, or the file.
    pub(crate) fn declared(&self) -> String {
        match self.loc {
            Some(l) => format!("{}:{l}", self.file),
            None => self.file.to_string(),
        }
    }
}

/// What the struct implements.
pub(crate) enum Kind<'s> {
    Event(&'s Event),
    Context,
    /// A nested object; its `TelemetryObject::SCHEMA_PATH` is the target's `path`.
    Object,
}

/// The schema fields a struct is checked against, and who declares them.
pub(crate) struct Target<'s> {
    pub kind: Kind<'s>,
    pub fields: &'s [SchemaField],
    pub owner: Owner<'s>,
    /// The schema path of these fields: `event`, `event.a.b`, `@context`, `@context.a`.
    pub path: String,
}

/// Looks the target up; a name or path the schema lacks is recorded in `cx`.
pub(crate) fn find<'s>(
    derive: Derive,
    input: &Input<'_>,
    attrs: &Container,
    loaded: &'s Loaded,
    cx: &mut Ctxt,
) -> Option<Target<'s>> {
    let schema = &loaded.schema;
    let file = loaded.shown.as_str();
    if derive == Derive::Context {
        let Some(obj) = &attrs.object else {
            let owner = Owner { what: "the context".into(), file, loc: None };
            return Some(Target { kind: Kind::Context, fields: &schema.context, owner, path: CONTEXT_PATH.into() });
        };
        let (fields, path, loc) = object_fields(&schema.context, CONTEXT_PATH, "the context", obj, file, cx)?;
        let what = format!("context object `{}`", obj.value());
        return Some(Target { kind: Kind::Object, fields, owner: Owner { what, file, loc: Some(loc) }, path });
    }
    let event = event(input, attrs, loaded, cx)?;
    match &attrs.object {
        None => {
            let owner = Owner { what: format!("event `{}`", event.name), file, loc: Some(event.loc) };
            Some(Target { kind: Kind::Event(event), fields: &event.fields, owner, path: event.name.clone() })
        }
        Some(obj) => {
            let (fields, path, loc) =
                object_fields(&event.fields, &event.name, &format!("`{}`", event.name), obj, file, cx)?;
            let owner = Owner { what: format!("object `{path}`"), file, loc: Some(loc) };
            Some(Target { kind: Kind::Object, fields, owner, path })
        }
    }
}

fn event<'s>(input: &Input<'_>, attrs: &Container, loaded: &'s Loaded, cx: &mut Ctxt) -> Option<&'s Event> {
    let schema = &loaded.schema;
    let (event_name, event_span) = match &attrs.event {
        Some(l) => (l.value(), l.span()),
        None if attrs.object.is_some() => {
            cx.error(
                input.ident.span(),
                "a nested object struct must name its event",
                "add `event = \"event_name\"` beside `object = ...`",
            );
            return None;
        }
        None => (telemetry_schema::to_snake_case(&input.ident.to_string()), input.ident.span()),
    };
    if let Some(event) = schema.event(&event_name) {
        return Some(event);
    }
    let names = schema.events.iter().map(|e| e.name.as_str());
    let help = match telemetry_schema::did_you_mean(&event_name, names) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "declare it under `events:` in {}, or name an existing event with `#[telemetry(event = \"...\")]`; declared: {}",
            loaded.shown,
            schema.events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ")
        ),
    };
    let how = if attrs.event.is_some() { "" } else { " (the struct name in snake_case)" };
    cx.error(event_span, format!("event `{event_name}`{how} is not declared in {}", loaded.shown), help);
    None
}

/// The fields of the object at `obj` (`a.b`) under `root` (an event's name,
/// or [`CONTEXT_PATH`]), its full path (`root.a.b`) and where it is declared.
/// `shown_root` names the root in messages.
fn object_fields<'s>(
    mut fields: &'s [SchemaField],
    root: &str,
    shown_root: &str,
    obj: &LitStr,
    shown: &str,
    cx: &mut Ctxt,
) -> Option<(&'s [SchemaField], String, Loc)> {
    let mut path = root.to_string();
    let mut found = None;
    for part in obj.value().split('.') {
        let here = if path == root { shown_root.to_string() } else { format!("`{}`", shown_path(&path)) };
        let Some(f) = fields.iter().find(|f| f.name == part) else {
            let help = match telemetry_schema::did_you_mean(part, fields.iter().map(|f| f.name.as_str())) {
                Some(s) => format!("did you mean `{s}`?"),
                None if root == CONTEXT_PATH => {
                    "name an `object` field of the context, e.g. `object = \"environment\"` or `object = \"environment.python\"`".into()
                }
                None => {
                    "name an `object` field of the event, e.g. `object = \"source\"` or `object = \"usage.sampling\"`".into()
                }
            };
            cx.error(obj.span(), format!("{here} has no field `{part}` in {shown}"), help);
            return None;
        };
        path.push('.');
        path.push_str(part);
        let inner = match &f.ty {
            Some(FieldType::Object { fields }) => fields,
            Some(FieldType::List { items }) => match &**items {
                FieldType::Object { fields } => fields,
                _ => return not_object(obj, &path, shown, f, cx),
            },
            _ => return not_object(obj, &path, shown, f, cx),
        };
        fields = inner;
        found = Some((inner.as_slice(), f.loc));
    }
    match found {
        Some((f, loc)) => Some((f, path, loc)),
        None => {
            cx.error(obj.span(), "empty object path", "name an `object` field, e.g. `object = \"source\"`");
            None
        }
    }
}

fn not_object<T>(obj: &LitStr, path: &str, shown: &str, f: &SchemaField, cx: &mut Ctxt) -> Option<T> {
    cx.error(
        obj.span(),
        format!("`{}` is not an object field ({shown}:{})", shown_path(path), f.loc),
        "`object = ...` names a field declared `type: object` (or a list of objects)",
    );
    None
}

/// A schema path as people read it: `@context.a` is `context.a`.
pub(crate) fn shown_path(path: &str) -> &str {
    path.strip_prefix('@').unwrap_or(path)
}
