//! OTLP/HTTP protobuf (`application/x-protobuf`), the OpenTelemetry default:
//! the same `ExportLogsServiceRequest` as the JSON wire format, written by
//! hand for the few messages and fields it uses, so the runtime needs no
//! protobuf library. Field numbers are those of opentelemetry-proto's
//! `logs.proto`, `common.proto` and `resource.proto`; the tests decode
//! every body with opentelemetry-proto's prost types.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ordered::{Key, Ordered};
use super::otlp::runs;
use super::semconv::resource;
use super::{LIB, LIB_VERSION, SCHEMA_VERSION};
use crate::envelope::Event;

/// Wire types.
const VARINT: u32 = 0;
const I64: u32 = 1;
const LEN: u32 = 2;

fn varint(b: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        b.push((v as u8) | 0x80);
        v >>= 7;
    }
    b.push(v as u8);
}

fn tag(b: &mut Vec<u8>, field: u32, wire: u32) {
    varint(b, u64::from(field << 3 | wire));
}

/// A length-delimited field whose content `write` appends: the length is
/// reserved as one byte and widened afterwards if the content is longer
/// than 127 bytes (one move of the content; messages here are small).
fn message<R>(b: &mut Vec<u8>, field: u32, write: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    tag(b, field, LEN);
    let at = b.len();
    b.push(0);
    let r = write(b);
    let len = b.len() - at - 1;
    if len < 0x80 {
        b[at] = len as u8;
    } else {
        let mut v = Vec::with_capacity(3);
        varint(&mut v, len as u64);
        b.splice(at..at + 1, v);
    }
    r
}

fn string(b: &mut Vec<u8>, field: u32, s: &str) {
    tag(b, field, LEN);
    varint(b, s.len() as u64);
    b.extend_from_slice(s.as_bytes());
}

fn uint(b: &mut Vec<u8>, field: u32, v: u64) {
    tag(b, field, VARINT);
    varint(b, v);
}

fn fixed64(b: &mut Vec<u8>, field: u32, v: u64) {
    tag(b, field, I64);
    b.extend_from_slice(&v.to_le_bytes());
}

/// `AnyValue` (oneof: 1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist).
fn any_value(b: &mut Vec<u8>, v: &Ordered<'_>) {
    match v {
        Ordered::Null => {}
        Ordered::Bool(x) => uint(b, 2, u64::from(*x)),
        // int64 is a two's complement varint.
        Ordered::I64(x) => uint(b, 3, *x as u64),
        // Above i64::MAX: no OTLP integer holds it; the exact digits as text, as in JSON.
        Ordered::U64(x) => string(b, 1, &x.to_string()),
        Ordered::F64(x) => fixed64(b, 4, x.to_bits()),
        Ordered::Str(s) => string(b, 1, s),
        Ordered::List(items) => message(b, 5, |b| {
            for item in items {
                message(b, 1, |b| any_value(b, item));
            }
        }),
        Ordered::Object(m) => message(b, 6, |b| {
            for (k, v) in m {
                key_value(b, 1, k, v);
            }
        }),
    }
}

/// `KeyValue { 1: key, 2: value }` as field `field`.
fn key_value(b: &mut Vec<u8>, field: u32, k: &str, v: &Ordered<'_>) {
    message(b, field, |b| {
        string(b, 1, k);
        message(b, 2, |b| any_value(b, v));
    });
}

/// `ExportLogsServiceRequest`: the same messages, fields and order as the
/// JSON body (`otlp::body`), in protobuf.
pub(super) fn body(b: &mut Vec<u8>, events: &[Event]) {
    for run in runs(events) {
        // ExportLogsServiceRequest.resource_logs = 1
        message(b, 1, |b| {
            // ResourceLogs.resource = 1 { Resource.attributes = 1 }
            message(b, 1, |b| {
                for (k, v) in &resource(&run[0].origin) {
                    key_value(b, 1, k, v);
                }
            });
            // ResourceLogs.scope_logs = 2
            message(b, 2, |b| {
                // ScopeLogs.scope = 1 { name = 1, version = 2, attributes = 3 }
                message(b, 1, |b| {
                    string(b, 1, LIB);
                    string(b, 2, LIB_VERSION);
                    if let Some(v) = &run[0].origin.schema_version {
                        key_value(b, 3, SCHEMA_VERSION, &Ordered::Str(v.into()));
                    }
                });
                for e in run {
                    // ScopeLogs.log_records = 2
                    message(b, 2, |b| log_record(b, e));
                }
            });
        });
    }
}

/// `LogRecord`: time_unix_nano = 1 (fixed64), severity_number = 2,
/// severity_text = 3, attributes = 6, observed_time_unix_nano = 11
/// (fixed64), event_name = 12; no body (as the JSON body).
fn log_record(b: &mut Vec<u8>, e: &Event) {
    fixed64(b, 1, e.at_ms * 1_000_000);
    uint(b, 2, 9);
    string(b, 3, "INFO");
    properties(b, &e.properties);
    let mut id = [0u8; 36];
    let message_id = e.message_id.hyphenated().encode_lower(&mut id);
    let r = &e.origin;
    for (k, v) in
        [("session.id", &*r.session_id), ("enduser.pseudo.id", &*r.anonymous_id), ("log.record.uid", &*message_id)]
    {
        message(b, 6, |b| {
            string(b, 1, k);
            message(b, 2, |b| string(b, 1, v));
        });
    }
    fixed64(b, 11, e.at_ms * 1_000_000);
    string(b, 12, e.name);
}

/// The event's properties as `LogRecord.attributes` (field 6), written
/// while serde_json reads them: no value is built (building one was most
/// of this body's time). Nothing is written if they are not a JSON object.
fn properties(b: &mut Vec<u8>, json: &str) {
    let start = b.len();
    let mut de = serde_json::Deserializer::from_str(json);
    if de.deserialize_map(Members { b, field: 6 }).is_err() {
        b.truncate(start);
    }
}

/// Each member of an object as a `KeyValue` of field `field`.
struct Members<'b> {
    b: &'b mut Vec<u8>,
    field: u32,
}

impl<'de> Visitor<'de> for Members<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        while let Some(Key(k)) = a.next_key()? {
            message(self.b, self.field, |b| {
                string(b, 1, &k);
                message(b, 2, |b| a.next_value_seed(Any(b)))
            })?;
        }
        Ok(())
    }
}

/// One JSON value as an `AnyValue`, as [`any_value`] writes it.
struct Any<'b>(&'b mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for Any<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Any<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        uint(self.0, 2, u64::from(v));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        uint(self.0, 3, v as u64);
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        match i64::try_from(v) {
            Ok(i) => uint(self.0, 3, i as u64),
            Err(_) => string(self.0, 1, &v.to_string()),
        }
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        fixed64(self.0, 4, v.to_bits());
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        string(self.0, 1, v);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        message(self.0, 5, |b| {
            while a.next_element_seed(ArrayItem(b))?.is_some() {}
            Ok(())
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<(), A::Error> {
        message(self.0, 6, |b| Members { b, field: 1 }.visit_map(a))
    }
}

/// An `ArrayValue.values` entry (field 1).
struct ArrayItem<'b>(&'b mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for ArrayItem<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        message(self.0, 1, |b| d.deserialize_any(Any(b)))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use prost::Message;

    /// Every value kind: strings, bool, i64 (negative too), u64 above
    /// i64::MAX, float, null, nested list and object; two resources.
    fn events(n: usize) -> Vec<Event> {
        use crate::envelope::tests::{event, origin};
        let (linux, other) = (origin(r#"{"os":"linux","ci":false}"#, "1.0", None), origin(r#"{"ci":true}"#, "", None));
        (0..=n)
            .map(|i| {
                let o = if i < n { &linux } else { &other };
                event(o, "ran", i as u128, 1_700_000_000_123, |w| {
                    w.i64("n", -3);
                    w.u64("big", u64::MAX);
                    w.f64("f", 0.5);
                    w.list("tags", |l| l.str("a", None));
                    w.object("o", |o| {
                        o.bool("x", true);
                        o.object("y", |y| y.str("z", "é", None));
                    });
                })
            })
            .collect()
    }

    fn json_and_proto(events: &[Event]) -> (ExportLogsServiceRequest, ExportLogsServiceRequest) {
        let mut j = Vec::new();
        super::super::otlp::body(&mut j, events);
        let mut p = Vec::new();
        body(&mut p, events);
        (serde_json::from_slice(&j).unwrap(), ExportLogsServiceRequest::decode(p.as_slice()).unwrap())
    }

    #[test]
    fn decodes_to_the_same_request_as_the_json_body() {
        // A record over 127 bytes and a batch over 16 KiB: lengths of 2 and 3 varint bytes.
        let (json, proto) = json_and_proto(&events(60));
        assert_eq!(proto, json);
        assert_eq!(proto.resource_logs.len(), 2);
        assert_eq!(proto.resource_logs[0].scope_logs[0].log_records.len(), 60);
        let rec = &proto.resource_logs[0].scope_logs[0].log_records[0];
        assert_eq!(
            (rec.time_unix_nano, rec.severity_number, rec.event_name.as_str()),
            (1_700_000_000_123_000_000, 9, "ran")
        );
    }

    /// The registry's attribute names (`tests/data/semconv-registry.txt`).
    fn registry() -> Vec<&'static str> {
        include_str!("../../../tests/data/semconv-registry.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.contains('='))
            .collect()
    }

    fn string_value(v: &Option<opentelemetry_proto::tonic::common::v1::AnyValue>) -> String {
        use opentelemetry_proto::tonic::common::v1::any_value::Value;
        match v.as_ref().and_then(|v| v.value.as_ref()) {
            Some(Value::StringValue(s)) => s.clone(),
            other => format!("{other:?}"),
        }
    }

    /// A seed product's process (example-cli's context keys) decoded by
    /// opentelemetry-proto: semconv names and values, product keys under
    /// `app.`, no `app_version` beside `service.version`, the event name
    /// only in `event_name`, both times, and the schema in the scope.
    #[test]
    fn by_the_semantic_conventions() {
        use crate::envelope::tests::{event, origin};
        let ctx = r#"{"os":"linux","os_version":"6.1","arch":"x86_64","app_version":"1.2.3","ci":false,"container":false,"locale":"de_DE","shell":"zsh"}"#;
        let e = event(&origin(ctx, "1.2.3", Some("1.0")), "command_run", 1, 1_700_000_000_123, |w| {
            w.str("command", "build", None)
        });
        let mut p = Vec::new();
        body(&mut p, &[e]);
        let req = ExportLogsServiceRequest::decode(p.as_slice()).unwrap();
        let rl = &req.resource_logs[0];
        let resource: Vec<(String, String)> = rl
            .resource
            .as_ref()
            .unwrap()
            .attributes
            .iter()
            .map(|kv| (kv.key.clone(), string_value(&kv.value)))
            .collect();
        let want: Vec<(String, String)> = [
            ("service.name", "demo"),
            ("service.version", "1.2.3"),
            ("os.type", "linux"),
            ("os.version", "6.1"),
            ("host.arch", "amd64"),
            ("app.ci", "Some(BoolValue(false))"),
            ("app.container", "Some(BoolValue(false))"),
            ("app.locale", "de_DE"),
            ("app.shell", "zsh"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(resource, want);
        let scope_logs = &rl.scope_logs[0];
        let scope = scope_logs.scope.as_ref().unwrap();
        assert_eq!(
            (scope.attributes[0].key.as_str(), string_value(&scope.attributes[0].value)),
            ("schema.version", "1.0".into())
        );
        let rec = &scope_logs.log_records[0];
        assert_eq!((rec.event_name.as_str(), &rec.body), ("command_run", &None));
        assert_eq!(
            (rec.time_unix_nano, rec.observed_time_unix_nano),
            (1_700_000_000_123_000_000, 1_700_000_000_123_000_000)
        );
        // Every name the runtime chooses (the event's own properties aside) is the registry's,
        // or in the `app.` namespace (the product's), or `schema.version`.
        let registry = registry();
        let names = resource
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(rec.attributes.iter().map(|kv| kv.key.as_str()).filter(|k| *k != "command"));
        for name in names {
            assert!(registry.contains(&name) || name.starts_with("app."), "{name} is neither semconv's nor in app.");
        }
        assert!(!registry.contains(&"schema.version") && !registry.iter().any(|n| n.starts_with("schema.")));
    }

    #[test]
    fn varints_and_widened_lengths() {
        let mut b = Vec::new();
        varint(&mut b, 300);
        assert_eq!(b, [0xac, 0x02]);
        let mut b = Vec::new();
        message(&mut b, 2, |b| b.extend(std::iter::repeat_n(7u8, 200)));
        assert_eq!(&b[..3], [0x12, 0xc8, 0x01]);
        assert_eq!(b.len(), 203);
        let mut b = Vec::new();
        uint(&mut b, 3, (-1i64) as u64);
        assert_eq!(b.len(), 11);
    }

    /// JSON objects with every kind of value, escapes, nesting, and edge numbers.
    pub(in super::super) const OBJECTS: &[&str] = &[
        "{}",
        r#"{"n":-3,"big":18446744073709551615,"max":9223372036854775807,"f":0.5,"e":1e300,"none":null}"#,
        r#"{"tags":["a",["b",[]],{}],"o":{"x":true,"y":{"z":"é \"q\" \n"}},"k\"ey":"v"}"#,
        r#"{"command":"build","duration_ms":1234,"flags":["release","locked"],"ci":false}"#,
    ];

    #[test]
    fn properties_streamed_as_the_value_tree_writes_them() {
        for json in OBJECTS {
            let mut streamed = Vec::new();
            properties(&mut streamed, json);
            let mut tree = Vec::new();
            for (k, v) in &Ordered::members(json) {
                key_value(&mut tree, 6, k, v);
            }
            assert_eq!(streamed, tree, "{json}");
        }
        // Not an object, or not JSON: nothing written.
        for bad in ["[1]", "1", r#"{"a":1"#, r#"{"a":[1,}"#, ""] {
            let mut b = vec![9];
            properties(&mut b, bad);
            assert_eq!(b, [9], "{bad}");
        }
    }
}
