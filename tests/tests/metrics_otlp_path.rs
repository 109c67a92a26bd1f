//! Where an OTLP endpoint's path sends a period's metrics, end to end on
//! the loopback collector (`endpoint::metrics_url` is the rule): an
//! endpoint ending in `/v1/logs` under a prefix takes them at
//! `<prefix>/v1/metrics` as OpenTelemetry metrics; an endpoint with any
//! other path takes them at that path, as a log record named `metrics`.
//! Either way the body reads back (`cargo_telemetry::wire`) into the
//! `metrics` envelope the page's payload JSON Schema describes.

mod day;

use cargo_telemetry::wire::{Format, Pages, envelopes};
use day::{a_day, the_days_metrics};
use std::path::Path;
use telemetry_core::WireFormat;
use telemetry_testkit::Collector;

/// (endpoint path, where the metrics arrive, as metrics or as a log record)
const PATHS: [(&str, &str, bool); 2] = [("/otlp/v1/logs", "/otlp/v1/metrics", true), ("/ingest", "/ingest", false)];

#[test]
fn the_endpoint_path_decides_where_and_how_the_metrics_go() {
    let pages =
        Pages::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")).unwrap_or_else(|e| panic!("{e}"));
    for (format, as_read) in [(WireFormat::Otlp, Format::OtlpJson), (WireFormat::OtlpProtobuf, Format::OtlpProtobuf)] {
        for (path, arrives_at, as_metrics) in PATHS {
            let case = format!("{} at {path}", format.name());
            let collector = Collector::ok();
            let requests = a_day(&collector, &format!("{}{path}", collector.url()), format);
            let at: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
            assert_eq!(at, [arrives_at], "{case}: one request for the day");
            let body = &requests[0].body;
            let report = pages.check(as_read, body);
            assert_eq!((report.events, &report.problems), (1, &Vec::<String>::new()), "{case}");
            let e = &envelopes(as_read, body).unwrap()[0];
            assert_eq!((&e["event"], &e["properties"]["metrics"]), (&"metrics".into(), &the_days_metrics()), "{case}");
            let text = String::from_utf8_lossy(body);
            let kind = if as_metrics { "resourceMetrics" } else { "resourceLogs" };
            if format == WireFormat::Otlp {
                assert!(text.starts_with(&format!("{{\"{kind}\":")), "{case}: {text}");
            }
        }
    }
}
