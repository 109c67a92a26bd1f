//! An OTLP/HTTP protobuf logs body (`ExportLogsServiceRequest`; metrics:
//! `proto_metrics`) decoded to its OTLP JSON form, for `otlp` to read:
//! only the messages and fields that reach an envelope; others are skipped
//! by their wire type. Field numbers are those of opentelemetry-proto's
//! `logs/v1/logs.proto` (the resource, the scope and attributes:
//! `proto_common`); the tests decode the same bodies with the
//! opentelemetry-proto crate.

use serde_json::{Map, Value, json};

use super::proto_common::{any_value, key_value, resource, scope};
use super::protobuf::{Wire, fields, messages, text};

/// `ExportLogsServiceRequest` { resource_logs = 1 }.
pub(super) fn decode(body: &[u8]) -> Result<Value, String> {
    if body.first() == Some(&b'{') {
        return Err("it is JSON (use --format otlp-json)".into());
    }
    Ok(json!({ "resourceLogs": messages(body, 1, resource_logs)? }))
}

/// `ResourceLogs`, its scopes under `scopeLogs`.
fn resource_logs(b: &[u8]) -> Result<Value, String> {
    resource(b, "scopeLogs", scope_logs)
}

/// `ScopeLogs`, its records under `logRecords`.
fn scope_logs(b: &[u8]) -> Result<Value, String> {
    scope(b, "logRecords", log_record)
}

/// `LogRecord` { time_unix_nano = 1, body = 5, attributes = 6,
/// observed_time_unix_nano = 11, event_name = 12 }.
fn log_record(b: &[u8]) -> Result<Value, String> {
    let mut out = Map::new();
    for (n, w) in fields(b)? {
        match (n, w) {
            (1, Wire::Fixed64(t)) => _ = out.insert("timeUnixNano".into(), t.to_string().into()),
            (11, Wire::Fixed64(t)) => _ = out.insert("observedTimeUnixNano".into(), t.to_string().into()),
            (5, Wire::Bytes(v)) => _ = out.insert("body".into(), any_value(v)?),
            (12, Wire::Bytes(s)) => _ = out.insert("eventName".into(), text(s)?),
            _ => {}
        }
    }
    out.insert("attributes".into(), messages(b, 6, key_value)?);
    Ok(Value::Object(out))
}
