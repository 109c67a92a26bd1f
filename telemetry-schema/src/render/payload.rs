//! The payload JSON Schema: events exactly as they travel.

use super::{Options, payload_metrics, source_name};
use crate::json::J;
use crate::model::{Collect, Event, Field, FieldType, Identity, Schema};

/// Lowercase hyphenated UUID.
const UUID_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
/// RFC 3339 date-time (checked as a pattern too: many validators do not assert `format`).
const TIMESTAMP_PATTERN: &str =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";
/// A hashed value: HMAC-SHA256 as 64 lowercase hex digits.
const HASH_PATTERN: &str = "^[0-9a-f]{64}$";

/// The JSON Schema (draft 2020-12) of one event of `schema` as it travels:
/// the envelope described in [the module docs](super), with `oneOf` over the
/// events keyed by the `event` constant. Every object has
/// `additionalProperties: false`; forbidden fields are listed with a schema
/// that never matches, so a collector rejects them by name.
///
/// ```
/// let schema = telemetry_schema::load_str(
///     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  e:\n    description: x\n    fields:\n      n: { collect: allowed, type: u8, description: x, required: false }\n",
///     "demo.yaml",
/// )
/// .unwrap();
/// let s = telemetry_schema::render::payload_schema(&schema);
/// let props = &s["$defs"]["event_e"]["properties"]["properties"];
/// assert_eq!(props["properties"]["n"]["maximum"], 255);
/// assert_eq!(props["additionalProperties"], false);
/// assert!(props.get("required").is_none());
/// ```
pub fn payload_schema(schema: &Schema) -> serde_json::Value {
    payload_schema_with(schema, &Options::default())
}

/// [`payload_schema`] whose description names `options.command` as the
/// command that regenerates it.
///
/// ```
/// # let schema = telemetry_schema::load_str(
/// #     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents: { e: { description: x } }\n", "demo.yaml").unwrap();
/// use telemetry_schema::render::{Options, payload_schema_with};
/// let s = payload_schema_with(&schema, &Options::default().command("cargo xtask docs"));
/// assert_eq!(s["description"], "One telemetry event of Demo as sent. Generated from demo.yaml by `cargo xtask docs`; do not edit.");
/// ```
pub fn payload_schema_with(schema: &Schema, options: &Options) -> serde_json::Value {
    build(schema, options).to_value()
}

/// [`payload_schema`] as pretty JSON text with a final newline: the bytes of
/// `docs/<app>.events.schema.json`.
///
/// ```
/// # let schema = telemetry_schema::load_str(
/// #     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents: { e: { description: x } }\n", "demo.yaml").unwrap();
/// let text = telemetry_schema::render::payload_schema_text(&schema);
/// assert!(text.starts_with("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"));
/// ```
pub fn payload_schema_text(schema: &Schema) -> String {
    payload_schema_text_with(schema, &Options::default())
}

/// [`payload_schema_with`] as pretty JSON text with a final newline.
pub fn payload_schema_text_with(schema: &Schema, options: &Options) -> String {
    build(schema, options).pretty()
}

fn build(schema: &Schema, options: &Options) -> J {
    let title = &schema.app.title;
    let mut defs = shared_defs(schema);
    let mut one_of = Vec::new();
    for e in &schema.events {
        let key = format!("event_{}", e.name);
        one_of.push(J::obj([("$ref", J::s(format!("#/$defs/{key}")))]));
        defs.push(&key, event_def(schema, e));
    }
    if !schema.metrics.is_empty() {
        let key = format!("event_{}", payload_metrics::METRICS_EVENT);
        one_of.push(J::obj([("$ref", J::s(format!("#/$defs/{key}")))]));
        defs.push(&key, metrics_def(schema));
    }
    J::obj([
        ("$schema", J::s("https://json-schema.org/draft/2020-12/schema")),
        ("title", J::s(format!("{title} telemetry event"))),
        (
            "description",
            J::s(format!(
                "One telemetry event of {title} as sent. Generated from {} by `{}`; do not edit.",
                source_name(schema),
                options.command
            )),
        ),
        ("type", J::s("object")),
        ("oneOf", J::Arr(one_of)),
        ("$defs", defs),
    ])
}

/// The `$defs` every event refers to: ids, the timestamp, the context.
fn shared_defs(schema: &Schema) -> J {
    J::obj([
        ("uuid", J::obj([("type", J::s("string")), ("format", J::s("uuid")), ("pattern", J::s(UUID_PATTERN))])),
        (
            "timestamp",
            J::obj([
                ("description", J::s("When the event was recorded (RFC 3339).")),
                ("type", J::s("string")),
                ("format", J::s("date-time")),
                ("pattern", J::s(TIMESTAMP_PATTERN)),
            ]),
        ),
        ("context", {
            let mut c = object(&schema.context);
            if let J::Obj(entries) = &mut c {
                entries.insert(0, ("description".into(), J::s("Fields sent with every event.")));
            }
            c
        }),
    ])
}

/// The `$defs` entry of one event: its envelope, with its properties.
fn event_def(schema: &Schema, e: &Event) -> J {
    let mut props = object(&e.fields);
    if let J::Obj(entries) = &mut props {
        entries.insert(0, ("description".into(), J::s("The event's fields.")));
    }
    let mut description = e.description.clone();
    if let Some(when) = &e.when {
        description.push_str(" When: ");
        description.push_str(when);
    }
    J::obj([
        ("description", J::s(description)),
        ("type", J::s("object")),
        ("properties", with_schema_version(without_ids(envelope_props(schema, e, props), schema), schema)),
        (
            "required",
            J::Arr(
                ["event", "properties", "context", "anonymous_id", "session_id", "message_id", "timestamp", "app"]
                    .into_iter()
                    .filter(|k| schema.app.identity != Identity::None || !ID_KEYS.contains(k))
                    .chain(schema.schema_version.map(|_| "schema_version"))
                    .map(J::s)
                    .collect(),
            ),
        ),
        ("additionalProperties", J::Bool(false)),
    ])
}

/// The `$defs` entry of the `metrics` event a period sends: the envelope
/// of an event, with the metrics document as its properties.
fn metrics_def(schema: &Schema) -> J {
    let event = Event {
        name: payload_metrics::METRICS_EVENT.into(),
        loc: Default::default(),
        description: payload_metrics::description(schema),
        when: None,
        fields: Vec::new(),
        owner: None,
        expires: None,
        data_review: None,
    };
    let mut def = event_def(schema, &event);
    if let J::Obj(entries) = &mut def
        && let Some((_, J::Obj(props))) = entries.iter_mut().find(|(k, _)| k == "properties")
        && let Some((_, p)) = props.iter_mut().find(|(k, _)| k == "properties")
    {
        *p = payload_metrics::properties(schema);
    }
    // Under `run` a period's counts (of several runs) carry no run's id
    // (under `none` `event_def` has none already).
    if schema.app.identity == Identity::Run
        && let J::Obj(entries) = &mut def
    {
        for (k, v) in entries.iter_mut() {
            match (k.as_str(), v) {
                ("properties", J::Obj(props)) => props.retain(|(k, _)| !ID_KEYS.contains(&k.as_str())),
                ("required", J::Arr(keys)) => keys.retain(|k| !ID_KEYS.iter().any(|id| *k == J::s(*id))),
                _ => {}
            }
        }
    }
    def
}

/// The envelope's properties around one event's `props`.
fn envelope_props(schema: &Schema, e: &Event, props: J) -> J {
    let title = &schema.app.title;
    J::obj([
        ("event", J::obj([("const", J::s(&e.name))])),
        ("properties", props),
        ("context", J::obj([("$ref", J::s("#/$defs/context"))])),
        (
            "anonymous_id",
            J::obj([
                ("description", J::s(anonymous_id_description(schema.app.identity))),
                ("$ref", J::s("#/$defs/uuid")),
            ]),
        ),
        (
            "session_id",
            J::obj([("description", J::s("Random id of this process run.")), ("$ref", J::s("#/$defs/uuid"))]),
        ),
        (
            "message_id",
            J::obj([
                ("description", J::s("Random id of this event, for deduplication.")),
                ("$ref", J::s("#/$defs/uuid")),
            ]),
        ),
        ("timestamp", J::obj([("$ref", J::s("#/$defs/timestamp"))])),
        (
            "app",
            J::obj([
                ("description", J::s("The product that sent the event (`app.name`).")),
                ("const", J::s(&schema.app.name)),
            ]),
        ),
        (
            "app_version",
            J::obj([
                ("description", J::s(format!("Version of {title}, when known."))),
                ("type", J::s("string")),
                ("maxLength", J::int(64)),
            ]),
        ),
    ])
}

/// The envelope keys that link events; an app with `identity: none` sends neither.
const ID_KEYS: [&str; 2] = ["anonymous_id", "session_id"];

fn anonymous_id_description(identity: Identity) -> &'static str {
    match identity {
        Identity::Install => "Random id of this install.",
        // `none` leaves the key out (`without_ids`).
        Identity::Run | Identity::None => "Random id of this run of the program, never stored.",
    }
}

/// `props` without the id keys when the app sends none.
fn without_ids(mut props: J, schema: &Schema) -> J {
    if let (J::Obj(entries), Identity::None) = (&mut props, schema.app.identity) {
        entries.retain(|(k, _)| !ID_KEYS.contains(&k.as_str()));
    }
    props
}

/// `props` with the envelope's `schema_version` property, pinned to the
/// schema's version, when it has one (then also `required`: the runtime
/// sends it in every envelope, from `AppMeta::schema_version`).
fn with_schema_version(mut props: J, schema: &Schema) -> J {
    if let Some(v) = schema.schema_version {
        props.push(
            "schema_version",
            J::obj([
                ("description", J::s("The `schema_version` of the schema the event was recorded under.")),
                ("const", J::s(v.to_string())),
            ]),
        );
    }
    props
}

/// `{type: object, properties, required, additionalProperties: false}` for `fields`.
fn object(fields: &[Field]) -> J {
    let mut props = Vec::new();
    let mut required = Vec::new();
    for f in fields {
        match (&f.ty, f.collect) {
            (Some(ty), Collect::Allowed | Collect::Hashed) => {
                let mut s = type_schema(ty, f.collect == Collect::Hashed);
                if let (J::Obj(entries), Some(d)) = (&mut s, &f.description) {
                    entries.insert(0, ("description".into(), J::s(d)));
                }
                props.push((f.name.clone(), s));
                if f.required {
                    required.push(J::s(&f.name));
                }
            }
            _ => {
                let reason = f.reason.as_deref().unwrap_or("forbidden by the schema");
                props.push((
                    f.name.clone(),
                    J::obj([("description", J::s(format!("Never collected: {reason}"))), ("not", J::Obj(vec![]))]),
                ));
            }
        }
    }
    let mut o = J::obj([("type", J::s("object")), ("properties", J::Obj(props))]);
    if !required.is_empty() {
        o.push("required", J::Arr(required));
    }
    o.push("additionalProperties", J::Bool(false));
    o
}

fn int(min: i128, max: i128) -> J {
    J::obj([("type", J::s("integer")), ("minimum", J::int(min)), ("maximum", J::int(max))])
}

fn type_schema(ty: &FieldType, hashed: bool) -> J {
    match ty {
        FieldType::Bool => J::obj([("type", J::s("boolean"))]),
        FieldType::U8 => int(0, u8::MAX.into()),
        FieldType::U16 => int(0, u16::MAX.into()),
        FieldType::U32 => int(0, u32::MAX.into()),
        FieldType::U64 => int(0, u64::MAX.into()),
        FieldType::I8 => int(i8::MIN.into(), i8::MAX.into()),
        FieldType::I16 => int(i16::MIN.into(), i16::MAX.into()),
        FieldType::I32 => int(i32::MIN.into(), i32::MAX.into()),
        FieldType::I64 => int(i64::MIN.into(), i64::MAX.into()),
        // The runtime writes NaN and the infinities as `null`: JSON has no number for them.
        FieldType::F32 | FieldType::F64 => J::obj([("type", J::Arr(vec![J::s("number"), J::s("null")]))]),
        FieldType::String { .. } if hashed => J::obj([("type", J::s("string")), ("pattern", J::s(HASH_PATTERN))]),
        FieldType::String { max_length: Some(n) } => {
            J::obj([("type", J::s("string")), ("maxLength", J::int((*n).into()))])
        }
        FieldType::String { max_length: None } => J::obj([("type", J::s("string"))]),
        FieldType::Enum { values } => {
            J::obj([("type", J::s("string")), ("enum", J::Arr(values.iter().map(J::s).collect()))])
        }
        FieldType::Object { fields } => object(fields),
        FieldType::List { items } => J::obj([("type", J::s("array")), ("items", type_schema(items, hashed))]),
    }
}
