//! An OTLP/HTTP protobuf metrics body (`ExportMetricsServiceRequest`)
//! decoded to its OTLP JSON form, for `otlp_metrics` to read: the messages
//! and fields the runtime writes; others are skipped by their wire type.
//! Field numbers are those of opentelemetry-proto's
//! `metrics/v1/metrics.proto` (the resource, the scope and attributes:
//! `proto_common`); the tests decode the same bodies with the
//! opentelemetry-proto crate.

use serde_json::{Map, Value, json};

use super::proto_common::{key_value, resource, scope};
use super::protobuf::{Wire, fields, messages, text};

/// Whether `body`, a protobuf OTLP request, is a metrics one: its first
/// record's field 1 is a `Metric`'s name (a string), not a `LogRecord`'s
/// time (fixed64). The two requests' outer messages share field numbers.
pub(super) fn is_metrics(body: &[u8]) -> bool {
    let first = |b: &[u8], n: u64| -> Option<Vec<u8>> {
        fields(b).ok()?.into_iter().find_map(|(f, w)| match (f, w) {
            (f, Wire::Bytes(m)) if f == n => Some(m.to_vec()),
            _ => None,
        })
    };
    let record = first(body, 1).and_then(|r| first(&r, 2)).and_then(|s| first(&s, 2));
    record.is_some_and(|r| fields(&r).is_ok_and(|f| f.iter().any(|(n, w)| *n == 1 && matches!(w, Wire::Bytes(_)))))
}

/// `ExportMetricsServiceRequest` { resource_metrics = 1 }.
pub(super) fn decode(body: &[u8]) -> Result<Value, String> {
    Ok(json!({ "resourceMetrics": messages(body, 1, resource_metrics)? }))
}

/// `ResourceMetrics`, its scopes under `scopeMetrics`.
fn resource_metrics(b: &[u8]) -> Result<Value, String> {
    resource(b, "scopeMetrics", scope_metrics)
}

/// `ScopeMetrics`, its metrics under `metrics`.
fn scope_metrics(b: &[u8]) -> Result<Value, String> {
    scope(b, "metrics", metric)
}

/// `Metric` { name = 1, unit = 3, gauge = 5, sum = 7, histogram = 9 }; a
/// form's `data_points = 1`.
fn metric(b: &[u8]) -> Result<Value, String> {
    let mut out = Map::new();
    for (n, w) in fields(b)? {
        let Wire::Bytes(m) = w else { continue };
        match n {
            1 => _ = out.insert("name".into(), text(m)?),
            3 => _ = out.insert("unit".into(), text(m)?),
            5 => _ = out.insert("gauge".into(), json!({ "dataPoints": messages(m, 1, number_point)? })),
            7 => _ = out.insert("sum".into(), json!({ "dataPoints": messages(m, 1, number_point)? })),
            9 => _ = out.insert("histogram".into(), json!({ "dataPoints": messages(m, 1, histogram_point)? })),
            _ => {}
        }
    }
    Ok(Value::Object(out))
}

/// `NumberDataPoint` { start_time_unix_nano = 2, time_unix_nano = 3, as_double = 4, as_int = 6, attributes = 7 }.
fn number_point(b: &[u8]) -> Result<Value, String> {
    let mut out = times(b)?;
    for (n, w) in fields(b)? {
        match (n, w) {
            (4, Wire::Fixed64(v)) => _ = out.insert("asDouble".into(), f64::from_bits(v).into()),
            (6, Wire::Fixed64(v)) => _ = out.insert("asInt".into(), (v as i64).to_string().into()),
            _ => {}
        }
    }
    out.insert("attributes".into(), messages(b, 7, key_value)?);
    Ok(Value::Object(out))
}

/// `HistogramDataPoint` { count = 4, sum = 5, bucket_counts = 6, explicit_bounds = 7, attributes = 9 }.
fn histogram_point(b: &[u8]) -> Result<Value, String> {
    let mut out = times(b)?;
    let (mut counts, mut bounds) = (Vec::new(), Vec::new());
    for (n, w) in fields(b)? {
        match (n, w) {
            (4, Wire::Fixed64(v)) => _ = out.insert("count".into(), v.to_string().into()),
            (5, Wire::Fixed64(v)) => _ = out.insert("sum".into(), f64::from_bits(v).into()),
            (6, Wire::Fixed64(v)) => counts.push(Value::from(v.to_string())),
            (6, Wire::Bytes(packed)) => counts.extend(words(packed)?.map(|v| Value::from(v.to_string()))),
            (7, Wire::Fixed64(v)) => bounds.push(Value::from(f64::from_bits(v))),
            (7, Wire::Bytes(packed)) => bounds.extend(words(packed)?.map(|v| Value::from(f64::from_bits(v)))),
            _ => {}
        }
    }
    out.insert("bucketCounts".into(), counts.into());
    out.insert("explicitBounds".into(), bounds.into());
    out.insert("attributes".into(), messages(b, 9, key_value)?);
    Ok(Value::Object(out))
}

/// A data point's `start_time_unix_nano = 2` and `time_unix_nano = 3`.
fn times(b: &[u8]) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for (n, w) in fields(b)? {
        match (n, w) {
            (2, Wire::Fixed64(t)) => _ = out.insert("startTimeUnixNano".into(), t.to_string().into()),
            (3, Wire::Fixed64(t)) => _ = out.insert("timeUnixNano".into(), t.to_string().into()),
            _ => {}
        }
    }
    Ok(out)
}

/// A packed repeated fixed64 or double field's 8-byte words.
fn words(b: &[u8]) -> Result<impl Iterator<Item = u64> + '_, String> {
    if !b.len().is_multiple_of(8) {
        return Err("a packed fixed64 field whose length is not a multiple of 8".into());
    }
    Ok(b.chunks_exact(8).map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])))
}
