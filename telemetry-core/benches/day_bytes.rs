//! Bytes sent in a day by a CLI run 100 times (issue 23): as events, one
//! `command_run` per run, each run sending its own request as it exits; as
//! metrics, each run's count and duration added up on the device and sent
//! as one `metrics` payload by the first run of the next day. What the
//! loopback collector of `telemetry-testkit` read is counted: the request
//! line, every header and the body (HTTP/1.1 as sent, before TLS), per wire
//! format. Byte counts are deterministic (no timings here).
//!
//! `cargo bench -p telemetry-core --bench day_bytes`

#[path = "support.rs"]
mod support;

use std::time::Duration;

use support::*;
use telemetry_core::{EnvSource, Telemetry, TestBuilder, WireFormat};
use telemetry_testkit::Collector;

telemetry_core::generate_metrics!("../../schemas/example-cli.yaml");

const RUNS: usize = 100;
const FORMATS: [WireFormat; 5] =
    [WireFormat::Native, WireFormat::Segment, WireFormat::PostHog, WireFormat::Otlp, WireFormat::OtlpProtobuf];

fn builder(dir: &std::path::Path, collector: &Collector, format: WireFormat) -> TestBuilder {
    let mut b = Telemetry::builder(&APP)
        .app_version("1.0.0")
        .state_dir(dir)
        .notice(false)
        .endpoint(collector.url(), format)
        .shutdown_deadline(Duration::from_secs(10));
    if format.needs_api_key() {
        b = b.api_key("phc_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG");
    }
    b.with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]))
}

/// (requests, bytes) the collector read.
fn read(collector: &Collector) -> (usize, usize) {
    let requests = collector.requests();
    (requests.len(), requests.iter().map(wire_bytes).sum())
}

/// 100 runs, one `command_run` each, each run's request sent as it exits.
fn as_events(format: WireFormat) -> (usize, usize) {
    let collector = Collector::ok();
    let dir = state_dir(&format!("day-events-{}", format.name()));
    let e = event();
    for _ in 0..RUNS {
        let t = builder(&dir, &collector, format).build().unwrap();
        t.record(&e);
        assert_eq!(t.shutdown().sent, 1, "{format:?}");
    }
    let _ = std::fs::remove_dir_all(dir);
    read(&collector)
}

/// 100 runs counting `build` and its duration, then the next day's first run sending the day.
fn as_metrics(format: WireFormat) -> (usize, usize) {
    let collector = Collector::ok();
    let dir = state_dir(&format!("day-metrics-{}", format.name()));
    for i in 0..RUNS {
        let t = builder(&dir, &collector, format).build().unwrap();
        let m: Metrics = t.metrics();
        m.commands.add(CommandsLabel::Build, 1);
        m.build_duration.record_ms(1234 + i as u64);
    }
    // The day ends: the stored period is moved back one day, as the clock would move on.
    let file = dir.join("metrics.json");
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    s["start_ms"] = (s["start_ms"].as_u64().unwrap() - 86_400_000).into();
    std::fs::write(&file, s.to_string()).unwrap();
    let t = builder(&dir, &collector, format).build().unwrap();
    let _m: Metrics = t.metrics();
    assert_eq!(t.shutdown().sent, 1, "{format:?}: the day's payload");
    let _ = std::fs::remove_dir_all(dir);
    read(&collector)
}

fn main() {
    println!("bytes per day, a CLI run {RUNS} times (request line + headers + body, HTTP/1.1, no TLS):");
    println!("| format | as events: requests | bytes | as metrics: requests | bytes | events / metrics |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for format in FORMATS {
        let (en, eb) = as_events(format);
        let (mn, mb) = as_metrics(format);
        println!("| {} | {en} | {eb} | {mn} | {mb} | {:.1}x |", format.name(), eb as f64 / mb as f64);
    }
}
