//! OTLP/HTTP protobuf (`application/x-protobuf`), the OpenTelemetry default:
//! the same `ExportLogsServiceRequest` as the JSON wire format, written by
//! hand for the few messages and fields it uses, so the runtime needs no
//! protobuf library. Field numbers are those of opentelemetry-proto's
//! `logs.proto`, `common.proto` and `resource.proto`; the tests decode
//! every body with opentelemetry-proto's prost types.

mod metrics;
mod stream;
mod wire;

pub(super) use metrics::body as metrics_body;

use super::ordered::Ordered;
use super::otlp::{log_resource, nanos, runs, uid};
use super::{LIB, LIB_VERSION, SCHEMA_VERSION};
use crate::envelope::Event;
use stream::properties;
use wire::{fixed64, key_value, message, string, uint};

/// `ExportLogsServiceRequest`: the same messages, fields and order as the
/// JSON body (`otlp::body`), in protobuf.
pub(super) fn body(b: &mut Vec<u8>, events: &[Event]) {
    for run in runs(events) {
        // ExportLogsServiceRequest.resource_logs = 1
        message(b, 1, |b| {
            // ResourceLogs.resource = 1 { Resource.attributes = 1 }
            message(b, 1, |b| {
                for (k, v) in &log_resource(&run[0].origin) {
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

/// `LogRecord`: severity_number = 2, attributes = 6 (the properties, then
/// `log.record.uid` where it needs one), observed_time_unix_nano = 11
/// (fixed64), event_name = 12; no time_unix_nano, no body, no severity
/// text (as the JSON body, `otlp::log_record`, says why).
fn log_record(b: &mut Vec<u8>, e: &Event) {
    uint(b, 2, 9);
    properties(b, &e.properties);
    if let Some(id) = uid(e) {
        key_value(b, 6, "log.record.uid", &Ordered::Str(String::from_utf8_lossy(&id)));
    }
    fixed64(b, 11, nanos(e));
    string(b, 12, e.name);
}

#[cfg(test)]
pub(super) mod tests {
    use super::wire::varint;
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
            (rec.time_unix_nano, rec.observed_time_unix_nano, rec.severity_number, rec.event_name.as_str()),
            (0, 1_700_000_000_123_000_000, 9, "ran")
        );
    }

    /// The registry's attribute names (`tests/data/semconv-registry.txt`).
    fn registry() -> Vec<&'static str> {
        include_str!("../../../../tests/data/semconv-registry.txt")
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
    /// only in `event_name`, the observed time only (the ordinal in its
    /// nanoseconds), and the schema in the scope.
    #[test]
    fn by_the_semantic_conventions() {
        use crate::envelope::tests::{event, origin};
        let ctx = r#"{"os":"linux","os_version":"6.1","arch":"x86_64","app_version":"1.2.3","ci":false,"container":false,"locale":"de_DE","shell":"zsh"}"#;
        let e = Event {
            ordinal: Some(2),
            ..event(&origin(ctx, "1.2.3", Some("1.0")), "command_run", 1, 1_700_000_000_123, |w| {
                w.str("command", "build", None)
            })
        };
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
            ("session.id", "s-id"),
            ("enduser.pseudo.id", "a-id"),
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
        assert_eq!((rec.event_name.as_str(), &rec.body, rec.severity_text.as_str()), ("command_run", &None, ""));
        // The ids are the resource's; the record has its properties only: the
        // resource's session.id and the record's time identify it.
        let names: Vec<(&str, String)> =
            rec.attributes.iter().map(|kv| (kv.key.as_str(), string_value(&kv.value))).collect();
        assert_eq!(names, [("command", "build".into())]);
        assert_eq!((rec.time_unix_nano, rec.observed_time_unix_nano), (0, 1_700_000_000_123_000_002));
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
