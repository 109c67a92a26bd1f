//! An OTLP/HTTP protobuf logs body (`ExportLogsServiceRequest`; metrics:
//! `proto_metrics`) decoded to
//! its OTLP JSON form, for `otlp` to read: only the messages and fields
//! that reach an envelope; others are skipped by their wire type. Field
//! numbers are those of opentelemetry-proto's `logs/v1/logs.proto` and
//! `common/v1/common.proto`; the tests decode the same bodies with the
//! opentelemetry-proto crate.

use serde_json::{Map, Value, json};

/// One field's value, by its wire type.
pub(super) enum Wire<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32,
}

/// The fields of one message, in order.
pub(super) fn fields(mut b: &[u8]) -> Result<Vec<(u64, Wire<'_>)>, String> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let tag = varint(&mut b)?;
        let value = match tag & 7 {
            0 => Wire::Varint(varint(&mut b)?),
            1 => Wire::Fixed64(u64::from_le_bytes(take(&mut b, 8)?.try_into().map_err(|_| "cut short")?)),
            2 => {
                let n = usize::try_from(varint(&mut b)?).map_err(|_| "a length past the address space")?;
                Wire::Bytes(take(&mut b, n)?)
            }
            5 => {
                take(&mut b, 4)?;
                Wire::Fixed32
            }
            t => return Err(format!("wire type {t} (field {}), which OTLP does not use", tag >> 3)),
        };
        out.push((tag >> 3, value));
    }
    Ok(out)
}

fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
    if b.len() < n {
        return Err("a field runs past the end of its message".into());
    }
    let (head, tail) = b.split_at(n);
    *b = tail;
    Ok(head)
}

fn varint(b: &mut &[u8]) -> Result<u64, String> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let [byte, rest @ ..] = *b else { return Err("a varint runs past the end of its message".into()) };
        *b = rest;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("a varint longer than ten bytes".into())
}

/// The repeated message field `number` of `b`, each decoded by `read`.
pub(super) fn messages(b: &[u8], number: u64, read: fn(&[u8]) -> Result<Value, String>) -> Result<Value, String> {
    let items = fields(b)?.into_iter().filter(|(n, _)| *n == number);
    let values = items.filter_map(|(_, w)| if let Wire::Bytes(m) = w { Some(read(m)) } else { None });
    Ok(Value::Array(values.collect::<Result<_, _>>()?))
}

pub(super) fn text(b: &[u8]) -> Result<Value, String> {
    std::str::from_utf8(b).map(Value::from).map_err(|_| "a string that is not UTF-8".into())
}

/// `ExportLogsServiceRequest` { resource_logs = 1 }.
pub(super) fn decode(body: &[u8]) -> Result<Value, String> {
    if body.first() == Some(&b'{') {
        return Err("it is JSON (use --format otlp-json)".into());
    }
    Ok(json!({ "resourceLogs": messages(body, 1, resource_logs)? }))
}

/// `ResourceLogs` { resource = 1 (`Resource` { attributes = 1 }), scope_logs = 2 }.
fn resource_logs(b: &[u8]) -> Result<Value, String> {
    let mut out = Map::new();
    for (n, w) in fields(b)? {
        if let (1, Wire::Bytes(r)) = (n, w) {
            out.insert("resource".into(), json!({ "attributes": messages(r, 1, key_value)? }));
        }
    }
    out.insert("scopeLogs".into(), messages(b, 2, scope_logs)?);
    Ok(Value::Object(out))
}

/// `ScopeLogs` { scope = 1 (`InstrumentationScope` { attributes = 3 }), log_records = 2 }.
fn scope_logs(b: &[u8]) -> Result<Value, String> {
    let mut out = Map::new();
    for (n, w) in fields(b)? {
        if let (1, Wire::Bytes(s)) = (n, w) {
            out.insert("scope".into(), json!({ "attributes": messages(s, 3, key_value)? }));
        }
    }
    out.insert("logRecords".into(), messages(b, 2, log_record)?);
    Ok(Value::Object(out))
}

/// `LogRecord` { time_unix_nano = 1, body = 5, attributes = 6, event_name = 12 }.
fn log_record(b: &[u8]) -> Result<Value, String> {
    let mut out = Map::new();
    for (n, w) in fields(b)? {
        match (n, w) {
            (1, Wire::Fixed64(t)) => _ = out.insert("timeUnixNano".into(), t.to_string().into()),
            (5, Wire::Bytes(v)) => _ = out.insert("body".into(), any_value(v)?),
            (12, Wire::Bytes(s)) => _ = out.insert("eventName".into(), text(s)?),
            _ => {}
        }
    }
    out.insert("attributes".into(), messages(b, 6, key_value)?);
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
fn any_value(b: &[u8]) -> Result<Value, String> {
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
