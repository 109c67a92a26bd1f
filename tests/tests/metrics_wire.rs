//! A period's metrics on every wire format, end to end: three runs of a
//! day, then a run of the next day whose request bodies the loopback
//! collector captures. Each body is mapped back to envelopes and checked
//! against the page's payload JSON Schema by `cargo_telemetry::wire`, as
//! `cargo telemetry validate --format` does; OTLP goes to `/v1/metrics`.
//! (The OTLP bodies decoded by opentelemetry-proto into their declared
//! forms: `telemetry-core`'s `otlp_metrics` tests.)

use cargo_telemetry::wire::{Format, Pages, envelopes};
use serde_json::json;
use std::path::Path;
use std::time::Duration;
use telemetry_core::{EnvSource, Telemetry, WireFormat};
use telemetry_testkit::{Collector, temp_dir};

static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/example-cli.yaml");
telemetry_core::generate_metrics!("../schemas/example-cli.yaml");

const FORMATS: [(WireFormat, Format, &str); 5] = [
    (WireFormat::Native, Format::Native, "/"),
    (WireFormat::PostHog, Format::PostHog, "/batch/"),
    (WireFormat::Segment, Format::Segment, "/v1/batch"),
    (WireFormat::Otlp, Format::OtlpJson, "/v1/metrics"),
    (WireFormat::OtlpProtobuf, Format::OtlpProtobuf, "/v1/metrics"),
];

fn pages() -> Pages {
    Pages::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")).unwrap_or_else(|e| panic!("{e}"))
}

/// The body of the one request a day's metrics are sent in, over `format`.
fn sent_body(format: WireFormat) -> (String, Vec<u8>) {
    let dir = temp_dir(&format!("metrics-wire-{}", format.name()));
    let collector = Collector::ok();
    let run = || {
        Telemetry::builder(&APP)
            .app_version("1.2.3")
            .state_dir(&dir)
            .notice(false)
            .endpoint(collector.url(), format)
            .api_key("phc_test_key")
            .with_test_knobs()
            .env(EnvSource::from_pairs::<&str, &str>([]))
            .build()
            .unwrap()
    };
    for ms in [90, 2100, 2100] {
        let t = run();
        let m: Metrics = t.metrics();
        m.commands.add(CommandsLabel::Build, 1);
        m.build_duration.record_ms(ms);
    }
    // The day ends: the stored period is moved back one day, as the clock would move on.
    let file = dir.join("metrics.json");
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    s["start_ms"] = (s["start_ms"].as_u64().unwrap() - 86_400_000).into();
    std::fs::write(&file, s.to_string()).unwrap();
    let t = run();
    let _m: Metrics = t.metrics();
    assert!(t.flush(Duration::from_secs(10)));
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
    let mut requests = collector.requests();
    assert_eq!(requests.len(), 1, "{}: one request for the day", format.name());
    let r = requests.remove(0);
    (r.path, r.body)
}

#[test]
fn every_wire_format_sends_the_period_as_the_page_describes() {
    let pages = pages();
    for (format, as_read, path) in FORMATS {
        let (at, body) = sent_body(format);
        let via = format.name();
        let want_path = if format == WireFormat::Native { at.clone() } else { path.to_string() };
        assert_eq!(at, want_path, "{via}");
        let report = pages.check(as_read, &body);
        assert_eq!((report.events, &report.problems), (1, &Vec::<String>::new()), "{via}");
        let version = APP.schema_version().expect("example-cli's schema is versioned");
        assert_eq!(report.schemas, [format!("example-cli schema {version}")], "{via}");
        let e = &envelopes(as_read, &body).unwrap()[0];
        assert_eq!(e["event"], "metrics", "{via}");
        assert_eq!(
            e["properties"]["metrics"],
            json!({"commands": {"build": 3, "test": 0}, "build_duration": {"unit": "ms", "count": 3, "sum": 4290,
                "bounds": [100, 500, 1000, 5000, 30000], "counts": [1, 0, 0, 2, 0, 0]}}),
            "{via}"
        );
        let (start, end) =
            (e["properties"]["period_start"].as_str().unwrap(), e["properties"]["period_end"].as_str().unwrap());
        assert!(
            start.ends_with("T00:00:00.000Z") && end.ends_with("T00:00:00.000Z") && start < end,
            "{via}: {start} {end}"
        );
    }
}

/// A label the schema does not declare, in the native document and as an
/// OTLP data point: rejected, at the labeled counter's JSON pointer.
#[test]
fn an_undeclared_label_is_rejected_at_its_pointer() {
    let pages = pages();
    let (_, body) = sent_body(WireFormat::Native);
    let mut native: serde_json::Value = serde_json::from_slice(&body).unwrap();
    native["batch"][0]["properties"]["metrics"]["commands"]["deploy"] = json!(1);
    let (_, body) = sent_body(WireFormat::Otlp);
    let mut otlp: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let points = &mut otlp["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["sum"]["dataPoints"];
    let mut deploy = points[0].clone();
    deploy["attributes"][0]["value"]["stringValue"] = json!("deploy");
    points.as_array_mut().unwrap().push(deploy);
    for (format, tampered) in [(Format::Native, native), (Format::OtlpJson, otlp)] {
        let report = pages.check(format, tampered.to_string().as_bytes());
        let at = "event 1 of 1 (`metrics`) at /properties/metrics/commands: ";
        assert!(
            !report.problems.is_empty() && report.problems.iter().all(|p| p.starts_with(at) && p.contains("deploy")),
            "{format:?}: {:?}",
            report.problems
        );
    }
}
