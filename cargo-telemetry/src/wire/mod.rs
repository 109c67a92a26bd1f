//! Captured request bodies checked against the page. Each wire format the
//! runtime sends (`telemetry_core::WireFormat`) is mapped back to the native
//! envelopes it was written from ([`envelopes`]), and each envelope is
//! validated against the payload JSON Schema of the app and schema version
//! the body names ([`Pages::check`]), as `cargo telemetry validate --format`
//! does.
//!
//! Where a body names its schema: the native envelope's `app` and
//! `schema_version`; PostHog's `$app_name` and `schema.version` properties;
//! Segment's `context.app.name` and `context["schema.version"]`; OTLP's
//! resource attribute `service.name` and scope attribute `schema.version`.

mod check;
mod gzip;
mod native;
mod otlp;
mod otlp_metrics;
mod posthog;
mod proto;
mod proto_common;
mod proto_metrics;
mod protobuf;
mod segment;

pub use check::{Pages, Report};

use serde_json::{Map, Value};

/// A wire format, by the name `example-cli --format` and the runtime's
/// `WireFormat` give it.
///
/// ```
/// use cargo_telemetry::wire::Format;
/// assert_eq!(Format::parse("otlp-protobuf"), Some(Format::OtlpProtobuf));
/// assert_eq!(Format::PostHog.name(), "posthog");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `{"batch":[envelope, ...],"sent_at":..}`; also the events file, one envelope a line.
    Native,
    /// PostHog's `/batch/` body.
    PostHog,
    /// Segment's `/v1/batch` body.
    Segment,
    /// OTLP/HTTP JSON logs (`/v1/logs`) or metrics (`/v1/metrics`).
    OtlpJson,
    /// OTLP/HTTP protobuf logs (`/v1/logs`) or metrics (`/v1/metrics`).
    OtlpProtobuf,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 5] =
        [Format::Native, Format::PostHog, Format::Segment, Format::OtlpJson, Format::OtlpProtobuf];

    /// The format named `name` (`otlp` is taken for `otlp-json`, as the runtime names it).
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "otlp" => Some(Format::OtlpJson),
            _ => Format::ALL.into_iter().find(|f| f.name() == name),
        }
    }

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::PostHog => "posthog",
            Format::Segment => "segment",
            Format::OtlpJson => "otlp-json",
            Format::OtlpProtobuf => "otlp-protobuf",
        }
    }
}

/// The native envelopes a body of `format` carries, in order: each a JSON
/// object of the shape the payload JSON Schema describes (`event`,
/// `properties`, `context`, the ids, `timestamp`, `app`, `app_version`,
/// `schema_version`). `Err` says, for a person, why the body is not one of
/// that format.
///
/// An app with `identity: none` sends no anonymous or session id; where
/// PostHog and Segment need an id per event it sends the event's message
/// id, so an id equal to the message id maps to no `anonymous_id`.
///
/// What a format leaves out cannot come back: PostHog, Segment and OTLP
/// send the context's `app_version` only as the app's version, so it is
/// restored by [`Pages::check`] where the schema's context declares it; an
/// OTLP string of digits above `i64::MAX` is read as the integer the
/// runtime sent that way.
///
/// A body saved as it travelled with `Content-Encoding: gzip` (the
/// runtime's default for a batch over 4 KiB in every format but native) is
/// inflated first.
///
/// ```
/// use cargo_telemetry::wire::{Format, envelopes};
/// let body = br#"{"api_key":"k","batch":[{"event":"ping","properties":{"n":1,"$session_id":"s","$lib":"telemetry-core","$lib_version":"0.1.0","$app_name":"demo","$app_version":"1.0","schema.version":"1.2","$os":"Linux","context.ci":false,"$geoip_disable":true,"$process_person_profile":false},"distinct_id":"a","uuid":"m","timestamp":"2023-11-14T22:13:20.123Z"}],"sent_at":"2023-11-14T22:15:00.000Z"}"#;
/// let e = &envelopes(Format::PostHog, body).unwrap()[0];
/// assert_eq!(
///     e,
///     &serde_json::json!({"event": "ping", "properties": {"n": 1}, "context": {"os": "linux", "ci": false},
///         "anonymous_id": "a", "session_id": "s", "message_id": "m", "timestamp": "2023-11-14T22:13:20.123Z",
///         "app": "demo", "app_version": "1.0", "schema_version": "1.2"})
/// );
/// assert_eq!(
///     envelopes(Format::Segment, body).unwrap_err().to_string(),
///     "not a segment body: item 1 of `batch` has no `type` (\"track\")"
/// );
/// ```
pub fn envelopes(format: Format, body: &[u8]) -> Result<Vec<Value>, NotThisFormat> {
    let body = gzip::inflated(body).map_err(|why| NotThisFormat { format, why })?;
    let body = &body[..];
    let result = match format {
        Format::Native => native::envelopes(body),
        Format::PostHog => json(body).and_then(|v| posthog::envelopes(&v)),
        Format::Segment => json(body).and_then(|v| segment::envelopes(&v)),
        Format::OtlpJson => json(body).and_then(|v| otlp_request(&v)),
        Format::OtlpProtobuf if proto_metrics::is_metrics(body) => {
            proto_metrics::decode(body).and_then(|v| otlp_request(&v))
        }
        Format::OtlpProtobuf => proto::decode(body).and_then(|v| otlp_request(&v)),
    };
    result.map_err(|why| NotThisFormat { format, why })
}

/// Why a body is not one of the format it was given as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotThisFormat {
    format: Format,
    why: String,
}

impl std::fmt::Display for NotThisFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.format.name();
        let article = if name.starts_with('o') { "an" } else { "a" };
        write!(f, "not {article} {name} body: {}", self.why)
    }
}

impl std::error::Error for NotThisFormat {}

/// An OTLP request in its JSON form: metrics (`resourceMetrics`) or logs.
fn otlp_request(body: &Value) -> Result<Vec<Value>, String> {
    match body.get("resourceMetrics") {
        Some(_) => otlp_metrics::from_json(body),
        None => otlp::from_json(body),
    }
}

fn json(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| format!("not JSON ({e})"))
}

/// The `batch` array of a JSON body.
fn batch<'a>(body: &'a Value, key: &str) -> Result<&'a Vec<Value>, String> {
    body.get(key).and_then(Value::as_array).ok_or_else(|| format!("no `{key}` array at the top level"))
}

/// Member `key` of `item` (the `n`th of `batch`, counted from 1), or why not.
fn member<'a>(item: &'a Value, key: &str, n: usize) -> Result<&'a Value, String> {
    item.get(key).ok_or_else(|| format!("item {n} of `batch` has no `{key}`"))
}

/// The string member `key` of `item`, or why not.
fn string<'a>(item: &'a Value, key: &str, n: usize) -> Result<&'a str, String> {
    member(item, key, n)?.as_str().ok_or_else(|| format!("item {n} of `batch`: `{key}` is not a string"))
}

/// The parts of a native envelope, put together in its order.
struct Parts {
    event: Value,
    properties: Map<String, Value>,
    context: Map<String, Value>,
    anonymous_id: Value,
    session_id: Value,
    message_id: Value,
    timestamp: Value,
    app: Value,
    /// Empty: the app gave no version (the envelope leaves it out).
    app_version: String,
    schema_version: Option<Value>,
}

impl Parts {
    /// The envelope, with `extra` (what the body had beyond the format's
    /// own members) added where it names no member of its own.
    fn envelope(self, extra: Map<String, Value>) -> Value {
        let mut e = Map::new();
        e.insert("event".into(), self.event);
        e.insert("properties".into(), Value::Object(self.properties));
        e.insert("context".into(), Value::Object(self.context));
        // An app with `identity: none` sends its event's own message id
        // where PostHog and Segment need one per event: no anonymous id.
        let anonymous_id = if self.anonymous_id == self.message_id { Value::Null } else { self.anonymous_id };
        // An id the body does not carry is left out, not sent as null: the
        // payload schema says whether the app's events must have it.
        for (k, v) in [("anonymous_id", anonymous_id), ("session_id", self.session_id), ("message_id", self.message_id)]
        {
            if !v.is_null() {
                e.insert(k.into(), v);
            }
        }
        e.insert("timestamp".into(), self.timestamp);
        e.insert("app".into(), self.app);
        if !self.app_version.is_empty() {
            e.insert("app_version".into(), self.app_version.into());
        }
        if let Some(v) = self.schema_version {
            e.insert("schema_version".into(), v);
        }
        for (k, v) in extra {
            e.entry(k).or_insert(v);
        }
        Value::Object(e)
    }
}

/// The members of `item` other than `read`: kept in the envelope, where
/// the payload schema rejects what it does not declare.
fn extra(item: &Value, read: &[&str]) -> Map<String, Value> {
    let all = item.as_object().into_iter().flatten();
    all.filter(|(k, _)| !read.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
}
