//! OpenTelemetry logs over OTLP/HTTP JSON: one `resourceLogs` entry per run
//! of events sharing a resource, one log record per event. The grouping and
//! the attributes are shared with the protobuf body (`otlp_proto`).

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

/// Nanoseconds since the Unix epoch of an RFC 3339 timestamp (0 if unreadable).
pub(super) fn unix_nanos(ts: &str) -> u64 {
    humantime::parse_rfc3339(ts)
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or_default()
}

/// The events in runs sharing a resource: app, version and context.
pub(super) fn resource_runs<'e, 'a>(parsed: &'e [Envelope<'a>]) -> impl Iterator<Item = &'e [Envelope<'a>]> {
    let mut rest = parsed;
    std::iter::from_fn(move || {
        let head = rest.first()?;
        let n = rest
            .iter()
            .take_while(|e| {
                e.app == head.app && e.app_version == head.app_version && e.context.get() == head.context.get()
            })
            .count();
        let (run, tail) = rest.split_at(n);
        rest = tail;
        Some(run)
    })
}

/// The resource attributes of a run: `service.name`, `service.version`, then the context keys.
pub(super) fn resource(head: &Envelope<'_>) -> Vec<(String, Ordered)> {
    let mut resource = vec![
        ("service.name".to_string(), Ordered::Str(head.app.to_string())),
        ("service.version".to_string(), Ordered::Str(head.app_version.to_string())),
    ];
    resource.extend(Ordered::members(head.context));
    resource
}

/// A log record's attributes: the event's properties, then `session.id`,
/// `enduser.pseudo.id` (the anonymous id) and `log.record.uid` (the message id).
pub(super) fn attributes(e: &Envelope<'_>) -> Vec<(String, Ordered)> {
    let mut attrs = Ordered::members(e.properties);
    attrs.push(("session.id".into(), Ordered::Str(e.session_id.to_string())));
    attrs.push(("enduser.pseudo.id".into(), Ordered::Str(e.anonymous_id.to_string())));
    attrs.push(("log.record.uid".into(), Ordered::Str(e.message_id.to_string())));
    attrs
}

/// One `resourceLogs` entry per run of events sharing a resource
/// ([`resource_runs`]); one log record per event ([`attributes`]).
pub(super) fn body(b: &mut Vec<u8>, events: &[&str]) {
    let parsed: Vec<Envelope<'_>> = events.iter().filter_map(|e| Envelope::parse(e)).collect();
    b.extend_from_slice(b"{\"resourceLogs\":[");
    push_items(b, resource_runs(&parsed), |b, run| {
        let resource = resource(&run[0]);
        b.extend_from_slice(b"{\"resource\":{\"attributes\":");
        otlp_attributes(b, resource.iter().map(|(k, v)| (k.as_str(), v)));
        b.extend_from_slice(b"},\"scopeLogs\":[{\"scope\":{\"name\":");
        push_json_str(b, LIB);
        b.extend_from_slice(b",\"version\":");
        push_json_str(b, LIB_VERSION);
        b.extend_from_slice(b"},\"logRecords\":[");
        push_items(b, run.iter(), |b, e| {
            b.extend_from_slice(b"{\"timeUnixNano\":");
            push_json_str(b, &unix_nanos(&e.timestamp).to_string());
            b.extend_from_slice(b",\"severityNumber\":9,\"severityText\":\"INFO\",\"body\":{\"stringValue\":");
            push_json_str(b, &e.event);
            b.extend_from_slice(b"},\"attributes\":");
            let attrs = attributes(e);
            otlp_attributes(b, attrs.iter().map(|(k, v)| (k.as_str(), v)));
            b.extend_from_slice(b",\"eventName\":");
            push_json_str(b, &e.event);
            b.push(b'}');
        });
        b.extend_from_slice(b"]}]}");
    });
    b.extend_from_slice(b"]}");
}
