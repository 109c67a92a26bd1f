//! Renderers: the "what we collect" page and the payload JSON Schema of a
//! schema, the files a project commits under its `docs/`.
//!
//! Output is deterministic: the same schema gives the same bytes on every
//! machine and every run (no dates, no absolute paths, no hash-map order).
//!
//! # The payload envelope
//!
//! One event travels as one JSON object:
//!
//! ```json
//! {
//!   "event": "command_run",
//!   "properties": { "command": "build", "duration_ms": 1200 },
//!   "context": { "os": "linux" },
//!   "anonymous_id": "8c6f7d0e-2b1a-4c3d-9e8f-7a6b5c4d3e2f",
//!   "session_id": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
//!   "message_id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
//!   "timestamp": "2025-01-01T12:00:00.000Z",
//!   "app": "example-cli",
//!   "app_version": "1.0.0"
//! }
//! ```
//!
//! - `event`: the event's name from the schema.
//! - `properties`: the event's collected fields; optional fields are left out
//!   when they have no value; `hashed` fields are 64 lowercase hex digits.
//! - `context`: the schema's context fields (always present, maybe `{}`).
//! - `anonymous_id`: the random per-install id (lowercase hyphenated UUID).
//! - `session_id`: random, one per process; `message_id`: random, one per event.
//! - `timestamp`: RFC 3339 UTC time the event was recorded.
//! - `app`: the schema's `app.name`, so one collector can serve several products.
//! - `app_version`: the application's version, when the application gave one.
//! - `schema_version`: the schema's own `schema_version` (a `const`), sent
//!   in every envelope when the schema has one, and absent when it has none.
//!
//! Nothing else is allowed at any level: the payload JSON Schema says
//! `additionalProperties: false` on every object.
//!
//! ```
//! let schema = telemetry_schema::load_str(
//!     "version: 1\napp: { name: demo, title: Demo, description: Helps us. }\nevents:\n  ping:\n    description: A ping.\n    fields:\n      n: { collect: allowed, type: u8, description: Count., example: 3 }\n",
//!     "demo.yaml",
//! )
//! .unwrap();
//! let page = telemetry_schema::render::markdown(&schema);
//! assert!(page.starts_with("# Demo telemetry\n"));
//! let payload = telemetry_schema::render::example_payload(&schema, &schema.events[0]);
//! assert_eq!(payload["properties"]["n"], 3);
//! let json_schema = telemetry_schema::render::payload_schema(&schema);
//! assert_eq!(json_schema["$defs"]["event_ping"]["properties"]["event"]["const"], "ping");
//! ```

mod collection;
mod collector;
mod field_table;
mod governance;
mod identity;
mod markdown;
mod metrics;
mod opt_out;
mod options;
mod payload;
mod payload_metrics;
mod see_sent;
mod text;

pub(crate) use markdown::is_generated_page;
pub use markdown::{GENERATED_MARKER, markdown, markdown_on, markdown_with};
pub use options::{DEFAULT_COMMAND, Options};
pub use payload::{payload_schema, payload_schema_text, payload_schema_text_with, payload_schema_with};

use crate::json::J;
use crate::model::{Event, Field, FieldType, Schema, Value};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The key of the demonstration hashes on generated pages. Real installs
/// use a random per-install key that never leaves the machine.
pub const DEMO_KEY: &str = "example-key";

/// Placeholder `anonymous_id` of example payloads.
pub const DEMO_ANONYMOUS_ID: &str = "8c6f7d0e-2b1a-4c3d-9e8f-7a6b5c4d3e2f";
/// Placeholder `session_id` of example payloads.
pub const DEMO_SESSION_ID: &str = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";
/// Placeholder `message_id` of example payloads.
pub const DEMO_MESSAGE_ID: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
/// Placeholder `timestamp` of example payloads.
pub const DEMO_TIMESTAMP: &str = "2025-01-01T12:00:00.000Z";
/// Placeholder `app_version` of example payloads, used when the context has no
/// `app_version` (or `<app>_version`) field with an example.
pub const DEMO_APP_VERSION: &str = "1.0.0";

/// HMAC-SHA256 of `value` under [`DEMO_KEY`], as 64 lowercase hex digits:
/// what a `hashed` field's example looks like on the wire.
///
/// ```
/// let h = telemetry_schema::render::demo_hash("acme-website");
/// assert_eq!(h.len(), 64);
/// assert_eq!(h, telemetry_schema::render::demo_hash("acme-website"));
/// assert_ne!(h, telemetry_schema::render::demo_hash("acme-website2"));
/// ```
pub fn demo_hash(value: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(DEMO_KEY.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The example payload of `event`: the envelope with `properties` and
/// `context` built from the fields' `example` values, hashed fields hashed
/// with [`demo_hash`], fields without an example given a placeholder of their
/// type, and fixed placeholder ids and timestamp. It validates against
/// [`payload_schema`].
///
/// ```
/// let schema = telemetry_schema::load_str(
///     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  e:\n    description: x\n    fields:\n      who: { collect: hashed, type: string, description: x, example: acme }\n      ok: { collect: allowed, type: bool, description: x }\n",
///     "demo.yaml",
/// )
/// .unwrap();
/// let p = telemetry_schema::render::example_payload(&schema, &schema.events[0]);
/// assert_eq!(p["properties"]["who"], telemetry_schema::render::demo_hash("acme"));
/// assert_eq!(p["properties"]["ok"], false);
/// assert_eq!(p["event"], "e");
/// ```
pub fn example_payload(schema: &Schema, event: &Event) -> serde_json::Value {
    example_envelope(schema, event).to_value()
}

/// The example payload of `event` as pretty JSON text, as shown on the page.
///
/// ```
/// # let schema = telemetry_schema::load_str(
/// #     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents: { e: { description: x } }\n", "demo.yaml").unwrap();
/// let text = telemetry_schema::render::example_payload_text(&schema, &schema.events[0]);
/// assert!(text.starts_with("{\n  \"event\": \"e\",\n  \"properties\": {},"));
/// ```
pub fn example_payload_text(schema: &Schema, event: &Event) -> String {
    example_envelope(schema, event).pretty()
}

pub(crate) fn example_envelope(schema: &Schema, event: &Event) -> J {
    // The product's own version field, if the context declares one, keeps the example consistent.
    let own = format!("{}_version", schema.app.name.replace('-', "_"));
    let app_version = schema
        .context
        .iter()
        .find(|f| f.name == "app_version" || f.name == own)
        .and_then(|f| match &f.example {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_else(|| DEMO_APP_VERSION.to_string());
    let mut envelope = J::obj([
        ("event", J::s(&event.name)),
        ("properties", example_object(&event.fields)),
        ("context", example_object(&schema.context)),
        ("anonymous_id", J::s(DEMO_ANONYMOUS_ID)),
        ("session_id", J::s(DEMO_SESSION_ID)),
        ("message_id", J::s(DEMO_MESSAGE_ID)),
        ("timestamp", J::s(DEMO_TIMESTAMP)),
        ("app", J::s(&schema.app.name)),
        ("app_version", J::s(app_version)),
    ]);
    if let (J::Obj(entries), crate::model::Identity::None) = (&mut envelope, schema.app.identity) {
        entries.retain(|(k, _)| k != "anonymous_id" && k != "session_id");
    }
    // Last, where the runtime writes it.
    if let Some(v) = schema.schema_version {
        envelope.push("schema_version", J::s(v.to_string()));
    }
    envelope
}

/// The example object of a set of fields (collected ones, in schema order).
pub(crate) fn example_object(fields: &[Field]) -> J {
    J::Obj(
        fields
            .iter()
            .filter(|f| f.is_collected())
            .filter_map(|f| {
                let ty = f.ty.as_ref()?;
                Some((f.name.clone(), example_value(ty, f.example.as_ref(), hashed_name(f))))
            })
            .collect(),
    )
}

/// A hashed field's name: what its example hash is made from when it gives
/// no example, so that each hashed field shows its own hash.
fn hashed_name(f: &Field) -> Option<&str> {
    (f.collect == crate::Collect::Hashed).then_some(f.name.as_str())
}

/// `hashed` is the field's name when it is hashed.
fn example_value(ty: &FieldType, example: Option<&Value>, hashed: Option<&str>) -> J {
    match (ty, example) {
        (FieldType::Object { fields }, ex) => {
            let mut obj = example_object(fields);
            // An object-level example overrides its fields' own examples.
            if let (J::Obj(entries), Some(Value::Map(given))) = (&mut obj, ex) {
                for (k, v) in given {
                    let Some(f) = fields.iter().find(|f| &f.name == k) else { continue };
                    let Some(fty) = &f.ty else { continue };
                    if let Some(slot) = entries.iter_mut().find(|(name, _)| name == k) {
                        slot.1 = example_value(fty, Some(v), hashed_name(f));
                    }
                }
            }
            obj
        }
        (FieldType::List { items }, Some(Value::List(list))) => {
            J::Arr(list.iter().map(|v| example_value(items, Some(v), hashed)).collect())
        }
        (FieldType::List { items }, _) => J::Arr(vec![example_value(items, None, hashed)]),
        (_, Some(v)) if hashed.is_some() => J::s(demo_hash(&scalar_text(v))),
        (_, None) if let Some(name) = hashed => J::s(demo_hash(name)),
        (_, Some(v)) => literal(ty, v),
        (_, None) => placeholder(ty),
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null | Value::List(_) | Value::Map(_) => String::new(),
    }
}

fn literal(ty: &FieldType, v: &Value) -> J {
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) if matches!(ty, FieldType::F32 | FieldType::F64) => J::float(*i as f64),
        Value::Int(i) => J::int(*i),
        Value::Float(f) => J::float(*f),
        Value::Str(s) => J::s(s),
        Value::List(items) => J::Arr(items.iter().map(|i| literal(ty, i)).collect()),
        Value::Map(entries) => J::Obj(entries.iter().map(|(k, v)| (k.clone(), literal(ty, v))).collect()),
    }
}

/// A value of type `ty` for fields that give no example.
fn placeholder(ty: &FieldType) -> J {
    match ty {
        FieldType::Bool => J::Bool(false),
        FieldType::U8
        | FieldType::U16
        | FieldType::U32
        | FieldType::U64
        | FieldType::I8
        | FieldType::I16
        | FieldType::I32
        | FieldType::I64 => J::int(0),
        FieldType::F32 | FieldType::F64 => J::float(0.0),
        FieldType::String { max_length } => {
            let text: String = "example".chars().take(max_length.map_or(usize::MAX, |m| m as usize)).collect();
            J::s(text)
        }
        FieldType::Enum { values } => J::s(values.first().cloned().unwrap_or_default()),
        FieldType::Object { fields } => example_object(fields),
        FieldType::List { items } => J::Arr(vec![placeholder(items)]),
    }
}

/// The file name a schema was loaded from, without directories: generated
/// files name their source but must not depend on where the tree is checked out.
pub(crate) fn source_name(schema: &Schema) -> String {
    schema.file.file_name().map_or_else(|| schema.file.display().to_string(), |n| n.to_string_lossy().into_owned())
}
