//! Each wire format's corpus bodies (`telemetry-core/tests/corpus/`, every
//! body byte for byte as the runtime writes it) map back to exactly the
//! envelopes of the native body of the same events; the protobuf decoder
//! reads what opentelemetry-proto's decoder reads.

use cargo_telemetry::wire::{Format, envelopes};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use prost::Message;
use serde_json::Value;

const CASES: [&str; 3] = ["fresh", "earlier", "spooled"];

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/../telemetry-core/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if name.ends_with(".hex") { hex(std::str::from_utf8(&bytes).unwrap()) } else { bytes }
}

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

/// The native envelopes without the context's `app_version`, which the
/// other formats send only as the app's version.
fn native(case: &str) -> Vec<Value> {
    let mut all = envelopes(Format::Native, &corpus(&format!("{case}.native.json"))).unwrap();
    for e in &mut all {
        e["context"].as_object_mut().unwrap().remove("app_version");
    }
    all
}

/// OTLP sends no message id for a record its run's `session.id` and its
/// time identify (this release's, with a session): its envelope's id is
/// made from the time (a version 8 UUID). Those ids, checked unique in the
/// body, are replaced by the native envelope's; how many there were.
fn time_ids(got: &mut [Value], expected: &[Value]) -> usize {
    let mut seen = std::collections::BTreeSet::new();
    for (g, e) in got.iter_mut().zip(expected) {
        if g["message_id"] != e["message_id"] {
            let id = g["message_id"].as_str().unwrap().to_string();
            assert!(id.starts_with("00000000-0000-8") && id[19..].starts_with('8'), "{id}");
            assert!(seen.insert(id.clone()), "{id} twice");
            g["message_id"] = e["message_id"].clone();
        }
    }
    seen.len()
}

#[test]
fn every_format_maps_back_to_the_native_envelopes() {
    // The earlier release's spooled lines (6 of `earlier`) keep their uid.
    for (case, by_time) in CASES.into_iter().zip([8, 2, 8]) {
        let expected = native(case);
        assert_eq!(expected.len(), 8, "{case}");
        for (format, file) in [
            (Format::PostHog, "posthog.json"),
            (Format::Segment, "segment.json"),
            (Format::OtlpJson, "otlp.json"),
            (Format::OtlpProtobuf, "otlp-protobuf.hex"),
        ] {
            let mut got = envelopes(format, &corpus(&format!("{case}.{file}"))).unwrap();
            let otlp = matches!(format, Format::OtlpJson | Format::OtlpProtobuf);
            assert_eq!(time_ids(&mut got, &expected), if otlp { by_time } else { 0 }, "{case} {}", format.name());
            for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
                assert_eq!(g, e, "{case} {}: envelope {i}", format.name());
            }
            assert_eq!(got.len(), expected.len(), "{case} {}", format.name());
        }
    }
}

#[test]
fn the_events_file_reads_as_native() {
    for case in CASES {
        let lines = envelopes(Format::Native, &corpus(&format!("{case}.jsonl"))).unwrap();
        let body = envelopes(Format::Native, &corpus(&format!("{case}.native.json"))).unwrap();
        assert_eq!(lines, body, "{case}");
    }
}

/// The same protobuf body decoded by opentelemetry-proto, written as OTLP
/// JSON by its serde support, maps to the same envelopes as the body read
/// by this crate's own decoder.
#[test]
fn protobuf_decoding_agrees_with_opentelemetry_proto() {
    for case in CASES {
        let body = corpus(&format!("{case}.otlp-protobuf.hex"));
        let theirs = ExportLogsServiceRequest::decode(body.as_slice()).unwrap();
        let json = serde_json::to_vec(&theirs).unwrap();
        assert_eq!(
            envelopes(Format::OtlpJson, &json).unwrap(),
            envelopes(Format::OtlpProtobuf, &body).unwrap(),
            "{case}"
        );
    }
}

#[test]
fn a_body_of_another_format_says_so() {
    let native = corpus("fresh.native.json");
    let posthog = corpus("fresh.posthog.json");
    let protobuf = corpus("fresh.otlp-protobuf.hex");
    let cases: [(Format, &[u8], &str); 6] = [
        (Format::PostHog, &native, "not a posthog body: item 1 of `batch` has no `distinct_id`"),
        (Format::Segment, &posthog, "not a segment body: item 1 of `batch` has no `type` (\"track\")"),
        (Format::OtlpJson, &native, "not an otlp-json body: no `resourceLogs` array at the top level"),
        (Format::OtlpProtobuf, &native, "not an otlp-protobuf body: it is JSON (use --format otlp-json)"),
        (Format::Native, &protobuf, "not a native body: binary, not JSON text (an otlp-protobuf body?)"),
        (Format::Native, b"{\"event\":1}", "not a native body: line 1 is not an envelope (no `event` string)"),
    ];
    for (format, body, expected) in cases {
        assert_eq!(envelopes(format, body).unwrap_err().to_string(), expected);
    }
}

/// An app with `identity: none`: no anonymous or session id in any format,
/// the event's message id where PostHog and Segment need one per event.
/// Its page accepts each body; an install-id app's page refuses the same
/// body for the ids it lacks, by pointer.
#[test]
fn bodies_without_ids_check_against_an_identity_none_page_only() {
    use cargo_telemetry::wire::Pages;
    const M: &str = "00000000-0000-4000-8000-000000000002";
    const T: &str = "2023-11-14T22:13:20.123Z";
    let native = format!(
        r#"{{"batch":[{{"event":"ping","properties":{{"n":1}},"context":{{}},"message_id":"{M}","timestamp":"{T}","app":"demo"}}],"sent_at":"{T}"}}"#
    );
    let posthog = format!(
        r#"{{"api_key":"k","batch":[{{"event":"ping","properties":{{"n":1,"$lib":"telemetry-core","$lib_version":"0.1.0","$app_name":"demo","$app_version":"","$geoip_disable":true,"$process_person_profile":false}},"distinct_id":"{M}","uuid":"{M}","timestamp":"{T}"}}],"sent_at":"{T}"}}"#
    );
    let segment = format!(
        r#"{{"batch":[{{"type":"track","event":"ping","properties":{{"n":1}},"context":{{"app":{{"name":"demo","version":""}},"library":{{"name":"telemetry-core","version":"0.1.0"}}}},"anonymousId":"{M}","messageId":"{M}","timestamp":"{T}"}}],"sentAt":"{T}"}}"#
    );
    let otlp = format!(
        r#"{{"resourceLogs":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"demo"}}}}]}},"scopeLogs":[{{"scope":{{"name":"telemetry-core"}},"logRecords":[{{"observedTimeUnixNano":"1700000000123000000","eventName":"ping","attributes":[{{"key":"n","value":{{"intValue":"1"}}}},{{"key":"log.record.uid","value":{{"stringValue":"{M}"}}}}]}}]}}]}}]}}"#
    );
    let page = |identity: &str| {
        let dir = tempfile::tempdir().unwrap();
        let schema = format!(
            "version: 1\napp: {{ name: demo, title: Demo, description: x, identity: {identity} }}\nevents:\n  ping:\n    description: x\n    fields:\n      n: {{ collect: allowed, type: u8, description: x }}\n"
        );
        std::fs::write(dir.path().join("demo.yaml"), schema).unwrap();
        (Pages::load(dir.path()).unwrap(), dir)
    };
    let (none, _d1) = page("none");
    let (install, _d2) = page("install");
    for (format, body) in
        [(Format::Native, &native), (Format::PostHog, &posthog), (Format::Segment, &segment), (Format::OtlpJson, &otlp)]
    {
        let envelope = &envelopes(format, body.as_bytes()).unwrap()[0];
        assert!(envelope.get("anonymous_id").is_none() && envelope.get("session_id").is_none(), "{envelope}");
        let report = none.check(format, body.as_bytes());
        assert_eq!((report.events, report.problems), (1, vec![]), "{}", format.name());
        assert_eq!(
            install.check(format, body.as_bytes()).problems,
            [
                r#"event 1 of 1 (`ping`) at the top level: "anonymous_id" is a required property"#,
                r#"event 1 of 1 (`ping`) at the top level: "session_id" is a required property"#,
            ],
            "{}",
            format.name()
        );
    }
}

/// A body saved as it travelled with `Content-Encoding: gzip` maps to the
/// events of the body it inflates to, in every format; a gzip stream cut
/// short says so instead of being read as a body of the format.
#[test]
fn a_gzipped_body_reads_as_the_body_it_inflates_to() {
    use std::io::Write;
    let gzip = |body: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(body).unwrap();
        e.finish().unwrap()
    };
    for case in CASES {
        for (format, file) in [
            (Format::Native, "native.json"),
            (Format::Native, "jsonl"),
            (Format::PostHog, "posthog.json"),
            (Format::Segment, "segment.json"),
            (Format::OtlpJson, "otlp.json"),
            (Format::OtlpProtobuf, "otlp-protobuf.hex"),
        ] {
            let plain = corpus(&format!("{case}.{file}"));
            let expected = envelopes(format, &plain).unwrap();
            assert_eq!(envelopes(format, &gzip(&plain)).unwrap(), expected, "{case}.{file}");
        }
    }
    let zipped = gzip(&corpus("fresh.posthog.json"));
    assert_eq!(
        envelopes(Format::PostHog, &zipped[..zipped.len() - 9]).unwrap_err().to_string(),
        "not a posthog body: a gzip stream (`Content-Encoding: gzip`) that does not inflate: incomplete deflate stream"
    );
}
