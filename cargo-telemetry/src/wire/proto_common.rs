//! What the OTLP logs and metrics requests share, decoded to their OTLP
//! JSON form: `common/v1/common.proto`'s `KeyValue` and `AnyValue`, and the
//! resource and scope wrappers around a signal's records, whose field
//! numbers the two signals share (`ResourceLogs` and `ResourceMetrics`,
//! `ScopeLogs` and `ScopeMetrics`).

use serde_json::{Map, Value, json};

use super::protobuf::{Wire, fields, messages, text};

/// A decoder of one message.
pub(super) type Read = fn(&[u8]) -> Result<Value, String>;

/// `ResourceLogs` / `ResourceMetrics` { resource = 1 (`Resource` { attributes = 1 }),
/// scope_logs / scope_metrics = 2 }: the scopes under `key`, each decoded by `read`.
pub(super) fn resource(b: &[u8], key: &str, read: Read) -> Result<Value, String> {
    wrapper(b, ("resource", 1), (key, read))
}

/// `ScopeLogs` / `ScopeMetrics` { scope = 1 (`InstrumentationScope` { attributes = 3 }),
/// log_records / metrics = 2 }: the records under `key`, each decoded by `read`.
pub(super) fn scope(b: &[u8], key: &str, read: Read) -> Result<Value, String> {
    wrapper(b, ("scope", 3), (key, read))
}

/// A message whose field 1 is `head` (a message whose field `attributes`
/// holds its attributes) and whose repeated field 2 holds the records.
fn wrapper(b: &[u8], (head, attributes): (&str, u64), (key, read): (&str, Read)) -> Result<Value, String> {
    let mut out = Map::new();
    for (n, w) in fields(b)? {
        if let (1, Wire::Bytes(h)) = (n, w) {
            out.insert(head.into(), json!({ "attributes": messages(h, attributes, key_value)? }));
        }
    }
    out.insert(key.into(), messages(b, 2, read)?);
    Ok(Value::Object(out))
}

/// `KeyValue` { key = 1, value = 2 }.
pub(super) fn key_value(b: &[u8]) -> Result<Value, String> {
    let (mut key, mut value) = (Value::Null, json!({}));
    for (n, w) in fields(b)? {
        match (n, w) {
            (1, Wire::Bytes(k)) => key = text(k)?,
            (2, Wire::Bytes(v)) => value = any_value(v)?,
            _ => {}
        }
    }
    Ok(json!({ "key": key, "value": value }))
}

/// `AnyValue` { string = 1, bool = 2, int = 3, double = 4, array = 5
/// (`ArrayValue` { values = 1 }), kvlist = 6 (`KeyValueList` { values = 1 }),
/// bytes = 7 }, in the JSON encoding (int64 as a decimal string, bytes base64 — here hex).
pub(super) fn any_value(b: &[u8]) -> Result<Value, String> {
    let mut out = json!({});
    for (n, w) in fields(b)? {
        out = match (n, w) {
            (1, Wire::Bytes(s)) => json!({ "stringValue": text(s)? }),
            (2, Wire::Varint(v)) => json!({ "boolValue": v != 0 }),
            // int64 travels as two's complement in a varint.
            (3, Wire::Varint(v)) => json!({ "intValue": (v as i64).to_string() }),
            (4, Wire::Fixed64(v)) => json!({ "doubleValue": f64::from_bits(v) }),
            (5, Wire::Bytes(a)) => json!({ "arrayValue": { "values": messages(a, 1, any_value)? } }),
            (6, Wire::Bytes(k)) => json!({ "kvlistValue": { "values": messages(k, 1, key_value)? } }),
            (7, Wire::Bytes(bytes)) => {
                json!({ "bytesValue": bytes.iter().map(|x| format!("{x:02x}")).collect::<String>() })
            }
            _ => out,
        };
    }
    Ok(out)
}
