//! OpenTelemetry logs over OTLP/HTTP JSON: one `resourceLogs` entry per run
//! of events sharing a resource, one log record per event. The resource and
//! record attributes are shared with the protobuf body (`otlp_proto`).

use std::borrow::Cow;

use super::item::{Batch, Item, Resource};
use super::ordered::{Members, Ordered};
use crate::format::{LIB, LIB_VERSION};
use crate::json::{push_items, push_json_str};

/// One OTLP `AnyValue`: `{"<kind>": <value>}`.
fn otlp_value(b: &mut Vec<u8>, v: &Ordered<'_>) {
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
            otlp_attributes(b, m);
            b.push(b'}');
        }),
    }
}

fn otlp_attributes(b: &mut Vec<u8>, kvs: &Members<'_>) {
    b.push(b'[');
    push_items(b, kvs.iter(), |b, (k, v)| {
        b.extend_from_slice(b"{\"key\":");
        push_json_str(b, k);
        b.extend_from_slice(b",\"value\":");
        otlp_value(b, v);
        b.push(b'}');
    });
    b.push(b']');
}

/// The resource attributes of a run: `service.name`, `service.version`, then the context keys.
pub(super) fn resource<'a>(r: &'a Resource<'_>) -> Members<'a> {
    let mut resource = vec![
        (Cow::Borrowed("service.name"), Ordered::Str(Cow::Borrowed(&*r.app))),
        (Cow::Borrowed("service.version"), Ordered::Str(Cow::Borrowed(&*r.app_version))),
    ];
    resource.extend(Ordered::members(r.context));
    resource
}

/// A log record's attributes: the event's properties, then `session.id`,
/// `enduser.pseudo.id` (the anonymous id) and `log.record.uid` (the message id).
pub(super) fn attributes<'a>(i: &'a Item<'_>, r: &'a Resource<'_>) -> Members<'a> {
    let mut attrs = Ordered::members(i.properties);
    attrs.push((Cow::Borrowed("session.id"), Ordered::Str(Cow::Borrowed(&*r.session_id))));
    attrs.push((Cow::Borrowed("enduser.pseudo.id"), Ordered::Str(Cow::Borrowed(&*r.anonymous_id))));
    attrs.push((Cow::Borrowed("log.record.uid"), Ordered::Str(Cow::Borrowed(&*i.message_id))));
    attrs
}

/// One `resourceLogs` entry per run of events sharing a resource
/// ([`Batch::runs`]); one log record per event ([`attributes`]).
pub(super) fn body(b: &mut Vec<u8>, batch: &Batch<'_>) {
    b.extend_from_slice(b"{\"resourceLogs\":[");
    push_items(b, batch.runs(), |b, (head, run)| {
        b.extend_from_slice(b"{\"resource\":{\"attributes\":");
        otlp_attributes(b, &resource(head));
        b.extend_from_slice(b"},\"scopeLogs\":[{\"scope\":{\"name\":");
        push_json_str(b, LIB);
        b.extend_from_slice(b",\"version\":");
        push_json_str(b, LIB_VERSION);
        b.extend_from_slice(b"},\"logRecords\":[");
        push_items(b, run.iter(), |b, i| {
            b.extend_from_slice(b"{\"timeUnixNano\":\"");
            let _ = std::io::Write::write_fmt(b, format_args!("{}", i.nanos));
            b.extend_from_slice(b"\",\"severityNumber\":9,\"severityText\":\"INFO\",\"body\":{\"stringValue\":");
            push_json_str(b, &i.event);
            b.extend_from_slice(b"},\"attributes\":");
            otlp_attributes(b, &attributes(i, &batch.resources[i.resource]));
            b.extend_from_slice(b",\"eventName\":");
            push_json_str(b, &i.event);
            b.push(b'}');
        });
        b.extend_from_slice(b"]}]}");
    });
    b.extend_from_slice(b"]}");
}
