//! `Compression::Gzip` on the request a period's metrics travel in
//! (`/v1/metrics`, a request of its own beside the logs): it carries
//! `Content-Encoding: gzip` and the format's content type, and inflates
//! byte for byte to the body the same period is sent in uncompressed.
//! The schema's `identity: run` puts no id on a period's metrics, so two
//! copies of one install's state send the same period in the same bytes.
#![cfg(feature = "http")]

use std::path::Path;
use std::time::Duration;

use opentelemetry_proto::tonic::metrics::v1::{Metric, NumberDataPoint, Sum, metric, number_data_point};
use telemetry_core::{Compression, EnvSource, Telemetry, WireFormat};
use telemetry_testkit::{Collector, Encoding, Request, temp_dir};

static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("schemas/identity_run.yaml");
telemetry_core::generate_metrics!("schemas/identity_run.yaml");

/// 2026-12-01T00:00:00Z, the start of the period the tests end.
const START_MS: u64 = 1_796_083_200_000;

fn handle(dir: &Path, c: &Collector, format: WireFormat, compression: Compression) -> Telemetry {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .notice(false)
        .endpoint(c.url(), format)
        .compression(compression)
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .build()
        .unwrap()
}

/// The one request of the run that ends the period kept in `dir`.
fn period_request(dir: &Path, format: WireFormat, compression: Compression) -> Request {
    let c = Collector::ok();
    let t = handle(dir, &c, format, compression);
    let _m: Metrics = t.metrics();
    assert!(t.flush(Duration::from_secs(10)));
    drop(t);
    let mut requests = c.requests();
    assert_eq!(requests.len(), 1, "{format:?} {compression:?}: {requests:?}");
    requests.remove(0)
}

/// Three runs count a ping each; the stored period is then the day that
/// starts at [`START_MS`], which has ended. Returns two copies of that state.
fn two_copies_of_an_ended_day(tag: &str, format: WireFormat) -> (std::path::PathBuf, std::path::PathBuf) {
    let (a, b) = (temp_dir(&format!("{tag}-gzip")), temp_dir(&format!("{tag}-plain")));
    let unused = Collector::ok();
    for _ in 0..3 {
        let t = handle(&a, &unused, format, Compression::None);
        let m: Metrics = t.metrics();
        m.pings.add(1);
    }
    assert_eq!(unused.requests().len(), 0, "nothing is sent within the period");
    let file = a.join("metrics.json");
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(s["values"], serde_json::json!([3]), "{s}");
    s["start_ms"] = START_MS.into();
    std::fs::write(&file, s.to_string()).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    for entry in std::fs::read_dir(&a).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), b.join(entry.file_name())).unwrap();
    }
    (a, b)
}

#[test]
fn a_gzipped_metrics_request_inflates_to_the_plain_body() {
    for format in [WireFormat::Otlp, WireFormat::OtlpProtobuf] {
        let (a, b) = two_copies_of_an_ended_day(format.name(), format);
        let zipped = period_request(&a, format, Compression::Gzip);
        let plain = period_request(&b, format, Compression::None);
        for (r, encoding) in [(&zipped, Some("gzip")), (&plain, None)] {
            assert_eq!(r.path, "/v1/metrics", "{format:?}");
            assert_eq!(r.header("content-encoding"), encoding, "{format:?}");
            assert_eq!(r.header("content-type"), Some(format.content_type()), "{format:?}");
        }
        // The collector inflated it (with flate2): a gzip stream, not the plain bytes.
        assert_eq!((&zipped.encoding, &plain.encoding), (&Encoding::Gzip, &Encoding::Identity), "{format:?}");
        assert_eq!(zipped.body, plain.body, "{format:?}");
        // The plain body is the period: `pings` 3 over 2026-12-01 (UTC), no id.
        let (start, end) = (START_MS * 1_000_000, (START_MS + 86_400_000) * 1_000_000);
        match format {
            WireFormat::OtlpProtobuf => assert_eq!(protobuf_metrics(&plain.body), [pings(start, end)]),
            _ => {
                let sent: serde_json::Value = serde_json::from_slice(&plain.body).unwrap();
                let want = serde_json::json!([{"name": "pings", "unit": "1", "sum": {"dataPoints": [{"attributes": [],
                    "startTimeUnixNano": start.to_string(), "timeUnixNano": end.to_string(), "asInt": "3"}],
                    "aggregationTemporality": 1, "isMonotonic": true}}]);
                assert_eq!(sent["resourceMetrics"][0]["scopeMetrics"][0]["metrics"], want, "{sent}");
            }
        }
        for dir in [a, b] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }
}

/// The metrics of the protobuf body, decoded by opentelemetry-proto.
fn protobuf_metrics(body: &[u8]) -> Vec<Metric> {
    use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
    use prost::Message;
    let request = ExportMetricsServiceRequest::decode(body).expect("an ExportMetricsServiceRequest");
    request.resource_metrics.into_iter().flat_map(|r| r.scope_metrics).flat_map(|s| s.metrics).collect()
}

/// `pings` as sent: a delta, monotonic `Sum` of 3 over the period, without attributes.
fn pings(start: u64, end: u64) -> Metric {
    let point = NumberDataPoint {
        start_time_unix_nano: start,
        time_unix_nano: end,
        value: Some(number_data_point::Value::AsInt(3)),
        ..Default::default()
    };
    let sum = Sum { data_points: vec![point], aggregation_temporality: 1, is_monotonic: true };
    Metric { name: "pings".into(), unit: "1".into(), data: Some(metric::Data::Sum(sum)), ..Default::default() }
}
