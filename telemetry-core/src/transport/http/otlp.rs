//! OpenTelemetry logs over OTLP/HTTP JSON: one `resourceLogs` entry per run
//! of events sharing a resource, one log record per event. The resource and
//! record attributes are shared with the protobuf body (`otlp_proto`).

use std::borrow::Cow;

use serde_core::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ordered::{Key, Members, Ordered};
use super::semconv::resource;
use super::streamed_value::{Any, Encoding};
use super::{LIB, LIB_VERSION, SCHEMA_VERSION, push_items};
use crate::envelope::{Event, Origin};
use crate::json::push_json_str;

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

pub(super) fn otlp_attributes(b: &mut Vec<u8>, kvs: &Members<'_>) {
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

/// The events of one process after another: a new run wherever the
/// service (app, version, context), the schema version or the ids change.
pub(super) fn runs(events: &[Event]) -> impl Iterator<Item = &[Event]> {
    let mut rest = events;
    std::iter::from_fn(move || {
        let head = &rest.first()?.origin;
        let n = rest.iter().take_while(|e| same_resource(&e.origin, head)).count();
        let (run, tail) = rest.split_at(n);
        rest = tail;
        Some(run)
    })
}

/// Whether two origins are one process under one schema: one OTLP
/// resource (with the ids) and scope.
fn same_resource(a: &Origin, b: &Origin) -> bool {
    a.app == b.app
        && a.app_version == b.app_version
        && a.schema_version == b.schema_version
        && a.context == b.context
        && a.anonymous_id == b.anonymous_id
        && a.session_id == b.session_id
}

/// A run's resource attributes: the service and context by the semantic
/// conventions ([`resource`]), then `session.id` and `enduser.pseudo.id`
/// (the anonymous id), which every record of the process shares: sent once
/// per request, not per record. None under `identity: none`.
pub(super) fn log_resource(r: &Origin) -> Members<'_> {
    let mut attributes = resource(r);
    let ids = [("session.id", &r.session_id), ("enduser.pseudo.id", &r.anonymous_id)];
    for (k, v) in ids.into_iter().filter_map(|(k, v)| Some((k, v.as_deref()?))) {
        attributes.push((Cow::Borrowed(k), Ordered::Str(Cow::Borrowed(v))));
    }
    attributes
}

/// The record's time: its millisecond and its ordinal within it
/// ([`Event::ordinal`]) as nanoseconds, unique among its process's events.
pub(super) fn nanos(e: &Event) -> u64 {
    e.at_ms * 1_000_000 + u64::from(e.ordinal.unwrap_or(0))
}

/// The record's `log.record.uid` where it needs one: the message id's 16
/// bytes in unpadded base64url (RFC 4648, section 5), 22 characters. None
/// where the resource's `session.id` and the record's time identify it (an
/// event of this release: its time is unique in its run), so a batch sent
/// again (after a lost answer, or spooled and sent by the next run) is
/// still deduplicated; a record of a run without ids (`identity: none`), or
/// read from an earlier release's spool (no ordinal), keeps the uid.
pub(super) fn uid(e: &Event) -> Option<[u8; 22]> {
    if e.origin.session_id.is_some() && e.ordinal.is_some() {
        return None;
    }
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let id = e.message_id.as_u128();
    let mut out = [0u8; 22];
    for (i, c) in out.iter_mut().enumerate() {
        // 21 characters of 6 bits, then the last 2 bits padded with 4 zeros.
        let six = if i < 21 { id >> (122 - 6 * i) } else { id << 4 };
        *c = ALPHABET[(six & 63) as usize];
    }
    Some(out)
}

/// One `resourceLogs` entry per run of events sharing a resource
/// ([`runs`], [`log_resource`]: the ids are there), its scope naming the
/// schema (attribute `schema.version`, when the schema has one); one log
/// record per event, whose attributes are the event's properties, then
/// `log.record.uid` where it needs one ([`uid`]). The event's name is the
/// record's `eventName` only: semconv's events carry no body.
pub(super) fn body(b: &mut Vec<u8>, events: &[Event]) {
    b.extend_from_slice(b"{\"resourceLogs\":[");
    push_items(b, runs(events), |b, run| {
        b.extend_from_slice(b"{\"resource\":{\"attributes\":");
        otlp_attributes(b, &log_resource(&run[0].origin));
        b.extend_from_slice(b"},\"scopeLogs\":[{\"scope\":{\"name\":");
        push_json_str(b, LIB);
        b.extend_from_slice(b",\"version\":");
        push_json_str(b, LIB_VERSION);
        if let Some(v) = &run[0].origin.schema_version {
            b.extend_from_slice(b",\"attributes\":[");
            string_attribute(b, SCHEMA_VERSION, |b| push_json_str(b, v));
            b.push(b']');
        }
        b.extend_from_slice(b"},\"logRecords\":[");
        push_items(b, run.iter(), log_record);
        b.extend_from_slice(b"]}]}");
    });
    b.extend_from_slice(b"]}");
}

/// One log record. Its time is `observedTimeUnixNano` only, as the
/// OpenTelemetry SDK sends an event: logs.proto says the observed time
/// "MUST be set" and is, for an event of an OpenTelemetry SDK, "typically
/// set at the generation time and is equal to Timestamp", while
/// `timeUnixNano` is optional (0: "unknown or missing"), and readers "use
/// time_unix_nano if it is present, otherwise use observed_time_unix_nano";
/// `record()` is where the toolkit observes the event. The severity is its
/// number only (9, `INFO`): a text would repeat it.
fn log_record(b: &mut Vec<u8>, e: &Event) {
    let nanos = nanos(e);
    let _ = std::io::Write::write_fmt(
        b,
        format_args!("{{\"observedTimeUnixNano\":\"{nanos}\",\"severityNumber\":9,\"attributes\":["),
    );
    let none = properties(b, &e.properties);
    if let Some(uid) = uid(e) {
        if !none {
            b.push(b',');
        }
        string_attribute(b, "log.record.uid", |b| {
            b.push(b'"');
            b.extend_from_slice(&uid);
            b.push(b'"');
        });
    }
    b.extend_from_slice(b"],\"eventName\":");
    push_json_str(b, e.name);
    b.push(b'}');
}

/// `{"key":k,"value":{"stringValue":..}}`, the value written by `value`.
pub(super) fn string_attribute(b: &mut Vec<u8>, k: &str, value: impl FnOnce(&mut Vec<u8>)) {
    b.extend_from_slice(b"{\"key\":");
    push_json_str(b, k);
    b.extend_from_slice(b",\"value\":{\"stringValue\":");
    value(b);
    b.extend_from_slice(b"}}");
}

/// The members of the event's properties as `{"key":..,"value":..}`
/// items, written while serde_json reads them: no value is built (building
/// one was most of this body's time). Returns whether it wrote none (also
/// when they are not a JSON object: then nothing is written).
fn properties(b: &mut Vec<u8>, json: &str) -> bool {
    let start = b.len();
    let mut de = serde_json::Deserializer::from_str(json);
    match de.deserialize_map(Items(b)) {
        Ok(n) => n == 0,
        Err(_) => {
            b.truncate(start);
            true
        }
    }
}

/// An object's members as `KeyValue` items; the value is how many.
struct Items<'b>(&'b mut Vec<u8>);

impl<'de> Visitor<'de> for Items<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while let Some(Key(k)) = a.next_key()? {
            if n > 0 {
                self.0.push(b',');
            }
            n += 1;
            self.0.extend_from_slice(b"{\"key\":");
            push_json_str(self.0, &k);
            self.0.extend_from_slice(b",\"value\":");
            a.next_value_seed(Any(Json(self.0)))?;
            self.0.push(b'}');
        }
        Ok(n)
    }
}

/// One JSON value as an OTLP JSON `AnyValue`, as [`otlp_value`] writes it.
struct Json<'b>(&'b mut Vec<u8>);

impl Json<'_> {
    fn kind(self, kind: &[u8], write: impl FnOnce(&mut Vec<u8>)) {
        self.0.extend_from_slice(b"{\"");
        self.0.extend_from_slice(kind);
        self.0.extend_from_slice(b"\":");
        write(self.0);
        self.0.push(b'}');
    }
}

impl Encoding for Json<'_> {
    fn empty(self) {
        self.0.extend_from_slice(b"{}");
    }
    fn bool(self, v: bool) {
        self.kind(b"boolValue", |b| b.extend_from_slice(if v { b"true" } else { b"false" }));
    }
    fn int(self, v: i64) {
        self.kind(b"intValue", |b| push_json_str(b, &v.to_string()));
    }
    fn double(self, v: f64) {
        self.kind(b"doubleValue", |b| Ordered::F64(v).write(b));
    }
    fn string(self, v: &str) {
        self.kind(b"stringValue", |b| push_json_str(b, v));
    }
    fn array<'de, A: SeqAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        self.0.extend_from_slice(b"{\"arrayValue\":{\"values\":[");
        let mut first = true;
        while a.next_element_seed(Item { b: self.0, first: &mut first })?.is_some() {}
        self.0.extend_from_slice(b"]}}");
        Ok(())
    }
    fn kvlist<'de, A: MapAccess<'de>>(self, a: A) -> Result<(), A::Error> {
        self.0.extend_from_slice(b"{\"kvlistValue\":{\"values\":[");
        Items(self.0).visit_map(a)?;
        self.0.extend_from_slice(b"]}}");
        Ok(())
    }
}

/// An array item, after a comma unless it is the first.
struct Item<'b, 'f> {
    b: &'b mut Vec<u8>,
    first: &'f mut bool,
}

impl<'de> DeserializeSeed<'de> for Item<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if !std::mem::take(self.first) {
            self.b.push(b',');
        }
        d.deserialize_any(Any(Json(self.b)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::otlp_proto::tests::OBJECTS;
    use super::*;

    /// Python's `base64.urlsafe_b64encode(uuid.UUID(u).bytes).rstrip(b"=")`.
    #[test]
    fn the_uid_is_the_message_ids_bytes_in_base64url() {
        use crate::envelope::tests::{event, origin};
        for (id, b64) in [
            (0x0123_4567_89ab_4def_8123_4567_89ab_cdef, "ASNFZ4mrTe-BI0VniavN7w"),
            (u128::MAX, "_____________________w"),
            (1, "AAAAAAAAAAAAAAAAAAAAAQ"),
        ] {
            let e = Event { ordinal: None, ..event(&origin("{}", "", None), "ran", id, 0, |_| {}) };
            assert_eq!(std::str::from_utf8(&uid(&e).unwrap()).unwrap(), b64, "{id:x}");
        }
    }

    /// Only a record with a session and an ordinal is identified by its time.
    #[test]
    fn a_record_keeps_its_uid_without_a_session_or_an_ordinal() {
        use crate::envelope::tests::{event, origin};
        let with = origin("{}", "", None);
        let without = with.unlinked();
        let e = |o, ordinal| Event { ordinal, ..event(o, "ran", 1, 7, |_| {}) };
        assert_eq!(uid(&e(&with, Some(3))), None);
        assert!(uid(&e(&with, None)).is_some());
        assert!(uid(&e(&without, Some(3))).is_some());
        assert_eq!(nanos(&e(&with, Some(3))), 7_000_003);
        assert_eq!(nanos(&e(&with, None)), 7_000_000);
    }

    #[test]
    fn properties_streamed_as_the_value_tree_writes_them() {
        for json in OBJECTS {
            let mut streamed = b"[".to_vec();
            let none = properties(&mut streamed, json);
            streamed.push(b']');
            let mut tree = Vec::new();
            let members = Ordered::members(json);
            otlp_attributes(&mut tree, &members);
            assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(tree).unwrap(), "{json}");
            assert_eq!(none, members.is_empty());
        }
        for bad in ["[1]", "1", r#"{"a":1"#, r#"{"a":[1,}"#, ""] {
            let mut b = b"[".to_vec();
            assert!(properties(&mut b, bad), "{bad}");
            assert_eq!(b, b"[", "{bad}");
        }
    }
}
