//! OpenTelemetry logs over OTLP/HTTP JSON: one `resourceLogs` entry per run
//! of events sharing a resource, one log record per event.

use std::time::UNIX_EPOCH;

use crate::envelope::Envelope;
use crate::format::{LIB, LIB_VERSION};
use crate::json::{Ordered, push_items, push_json_str};

/// One OTLP `AnyValue`: `{"<kind>": <value>}`.
fn otlp_value(b: &mut Vec<u8>, v: &Ordered) {
    fn any(b: &mut Vec<u8>, kind: &str, write: impl FnOnce(&mut Vec<u8>)) {
        b.push(b'{');
        push_json_str(b, kind);
        b.push(b':');
        write(b);
        b.push(b'}');
    }
    match v {
        Ordered::Null => b.extend_from_slice(b"{}"),
        Ordered::Bool(_) => any(b, "boolValue", |b| v.write(b)),
        // int64 travels as a decimal string in OTLP JSON.
        Ordered::I64(x) => any(b, "intValue", |b| push_json_str(b, &x.to_string())),
        // Above i64::MAX: no OTLP integer holds it; send the exact digits as text.
        Ordered::U64(x) => any(b, "stringValue", |b| push_json_str(b, &x.to_string())),
        Ordered::F64(_) => any(b, "doubleValue", |b| v.write(b)),
        Ordered::Str(s) => any(b, "stringValue", |b| push_json_str(b, s)),
        Ordered::List(items) => any(b, "arrayValue", |b| {
            b.extend_from_slice(b"{\"values\":[");
            push_items(b, items.iter(), otlp_value);
            b.extend_from_slice(b"]}");
        }),
        Ordered::Object(m) => any(b, "kvlistValue", |b| {
            b.extend_from_slice(b"{\"values\":");
            otlp_attributes(b, m.iter().map(|(k, v)| (k.as_str(), v)));
            b.push(b'}');
        }),
    }
}

fn otlp_attributes<'v>(b: &mut Vec<u8>, kvs: impl Iterator<Item = (&'v str, &'v Ordered)>) {
    b.push(b'[');
    push_items(b, kvs, |b, (k, v)| {
        b.extend_from_slice(b"{\"key\":");
        push_json_str(b, k);
        b.extend_from_slice(b",\"value\":");
        otlp_value(b, v);
        b.push(b'}');
    });
    b.push(b']');
}

fn unix_nanos(ts: &str) -> u128 {
    humantime::parse_rfc3339(ts)
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// One `resourceLogs` entry per run of events sharing app, version and
/// context (resource attributes: `service.name`, `service.version`, then the
/// context keys); one log record per event with `session.id`,
/// `enduser.pseudo.id` (the anonymous id) and `log.record.uid` (the message
/// id) after the event's properties.
pub(super) fn body(b: &mut Vec<u8>, events: &[&str]) {
    let parsed: Vec<Envelope<'_>> = events.iter().filter_map(|e| Envelope::parse(e)).collect();
    b.extend_from_slice(b"{\"resourceLogs\":[");
    let mut i = 0;
    let mut first_group = true;
    while i < parsed.len() {
        let head = &parsed[i];
        let mut end = i + 1;
        while end < parsed.len()
            && parsed[end].app == head.app
            && parsed[end].app_version == head.app_version
            && parsed[end].context.get() == head.context.get()
        {
            end += 1;
        }
        if !first_group {
            b.push(b',');
        }
        first_group = false;
        let mut resource = vec![
            ("service.name".to_string(), Ordered::Str(head.app.to_string())),
            ("service.version".to_string(), Ordered::Str(head.app_version.to_string())),
        ];
        resource.extend(Ordered::members(head.context));
        b.extend_from_slice(b"{\"resource\":{\"attributes\":");
        otlp_attributes(b, resource.iter().map(|(k, v)| (k.as_str(), v)));
        b.extend_from_slice(b"},\"scopeLogs\":[{\"scope\":{\"name\":");
        push_json_str(b, LIB);
        b.extend_from_slice(b",\"version\":");
        push_json_str(b, LIB_VERSION);
        b.extend_from_slice(b"},\"logRecords\":[");
        for (j, e) in parsed[i..end].iter().enumerate() {
            if j > 0 {
                b.push(b',');
            }
            b.extend_from_slice(b"{\"timeUnixNano\":");
            push_json_str(b, &unix_nanos(&e.timestamp).to_string());
            b.extend_from_slice(b",\"severityNumber\":9,\"severityText\":\"INFO\",\"body\":{\"stringValue\":");
            push_json_str(b, &e.event);
            b.extend_from_slice(b"},\"attributes\":");
            let mut attrs = Ordered::members(e.properties);
            attrs.push(("session.id".into(), Ordered::Str(e.session_id.to_string())));
            attrs.push(("enduser.pseudo.id".into(), Ordered::Str(e.anonymous_id.to_string())));
            attrs.push(("log.record.uid".into(), Ordered::Str(e.message_id.to_string())));
            otlp_attributes(b, attrs.iter().map(|(k, v)| (k.as_str(), v)));
            b.extend_from_slice(b",\"eventName\":");
            push_json_str(b, &e.event);
            b.push(b'}');
        }
        b.extend_from_slice(b"]}]}");
        i = end;
    }
    b.extend_from_slice(b"]}");
}
