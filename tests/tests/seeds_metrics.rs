//! The seed products that count (their schema declares `metrics:`), end to
//! end over every wire format: their program runs twice in a day, then once
//! the next day, through the real runtime to the loopback collector. Every
//! request body is mapped back to envelopes and checked against the page of
//! the app and schema version it names (`cargo_telemetry::wire`, as `cargo
//! telemetry validate --format` does): the one `metrics` payload against the
//! page's metrics JSON Schema (`event_metrics`), the events beside it
//! against theirs. (`seeds_e2e.rs` runs each program once: no period ends.)

mod seeds;

use cargo_telemetry::wire::{Format, Pages, envelopes};
use example_products::{Options, PRODUCTS, Product, Sink};
use seeds::{no_env, run, workspace};
use serde_json::json;
use telemetry_core::WireFormat;
use telemetry_testkit::{Collector, Request, temp_dir};

const FORMATS: [(WireFormat, Format); 5] = [
    (WireFormat::Native, Format::Native),
    (WireFormat::PostHog, Format::PostHog),
    (WireFormat::Segment, Format::Segment),
    (WireFormat::Otlp, Format::OtlpJson),
    (WireFormat::OtlpProtobuf, Format::OtlpProtobuf),
];

/// The products whose page has a metrics payload schema.
fn counting() -> Vec<&'static Product> {
    let counts = |p: &Product| {
        let path = workspace().join("docs").join(format!("{}.events.schema.json", p.app.name()));
        let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).expect("payload schema")).unwrap();
        schema["$defs"].get("event_metrics").is_some()
    };
    PRODUCTS.iter().copied().filter(|p| counts(p)).collect()
}

/// Every request `product`'s program makes over `format` in two runs of a
/// day and one of the next day; the number of events the last run recorded
/// and sent.
fn two_days(product: &Product, format: WireFormat) -> (Vec<Request>, usize, u64) {
    let dir = temp_dir(&format!("seed-metrics-{}", format.name()));
    let collector = Collector::ok();
    let sink = Sink::Endpoint { url: collector.url(), format, api_key: Some("phc_test_key".into()) };
    let options = Options { sink, state_dir: None };
    for _ in 0..2 {
        let (_, _, telemetry) = run(product, &options, no_env(), &dir);
        telemetry.shutdown();
    }
    // The day ends: the stored period is moved back one day, as the clock would move on.
    let file = dir.join("metrics.json");
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).expect("metrics.json")).unwrap();
    s["start_ms"] = (s["start_ms"].as_u64().unwrap() - 86_400_000).into();
    std::fs::write(&file, s.to_string()).unwrap();
    let (recorded, _, telemetry) = run(product, &options, no_env(), &dir);
    let sent = telemetry.shutdown().sent;
    std::fs::remove_dir_all(&dir).unwrap();
    (collector.requests(), recorded, sent)
}

#[test]
fn each_counting_seed_sends_one_day_of_metrics_as_its_page_describes() {
    let pages = Pages::load(&workspace().join("schemas")).unwrap_or_else(|e| panic!("{e}"));
    let products = counting();
    let names: Vec<&str> = products.iter().map(|p| p.app.name()).collect();
    assert!(names.contains(&"argilla"), "Argilla counts its bulk records: {names:?}");
    let mut problems = Vec::new();
    for product in products {
        for (format, as_read) in FORMATS {
            let (app, via) = (product.app.name(), format.name());
            let (requests, recorded, sent) = two_days(product, format);
            assert_eq!(sent, recorded as u64 + 1, "{app} via {via}: the last run's events and the day's metrics");
            let mut metrics = Vec::new();
            for r in &requests {
                let report = pages.check(as_read, &r.body);
                problems.extend(report.problems.iter().map(|p| format!("{app} via {via} at {}: {p}", r.path)));
                let sent = envelopes(as_read, &r.body).unwrap_or_default();
                metrics.extend(sent.into_iter().filter(|e| e["event"] == "metrics").map(|e| (r.path.clone(), e)));
            }
            assert_eq!(metrics.len(), 1, "{app} via {via}: one payload for the day: {metrics:?}");
            let (path, e) = &metrics[0];
            if matches!(format, WireFormat::Otlp | WireFormat::OtlpProtobuf) {
                assert_eq!(path, "/v1/metrics", "{app} via {via}");
            }
            if app == "argilla" {
                // Two runs of `record_all`: 500, 120 and 64 records each.
                let want = json!({"bulk_records": {"text_classification": 1000, "token_classification": 240, "text2text": 128}});
                assert_eq!(e["properties"]["metrics"], want, "{app} via {via}");
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
