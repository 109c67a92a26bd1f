//! A period's metrics on every wire format, end to end: three runs of a
//! day, then a run of the next day whose request bodies the loopback
//! collector captures. Each body is mapped back to envelopes and checked
//! against the page's payload JSON Schema by `cargo_telemetry::wire`, as
//! `cargo telemetry validate --format` does; OTLP goes to `/v1/metrics`.
//! (The OTLP bodies decoded by opentelemetry-proto into their declared
//! forms: `telemetry-core`'s `otlp_metrics` tests.)

mod day;

use cargo_telemetry::wire::{Format, Pages, envelopes};
use day::{APP, a_day, the_days_metrics};
use serde_json::json;
use std::path::Path;
use telemetry_core::WireFormat;
use telemetry_testkit::Collector;

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
    let collector = Collector::ok();
    let mut requests = a_day(&collector, &collector.url(), format);
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
        assert_eq!(e["properties"]["metrics"], the_days_metrics(), "{via}");
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
