//! Bytes on the wire per event, per wire format, with and without
//! `Content-Encoding: gzip` (and `Compression::Auto`, which gzips only a
//! body over 4 KiB), and the CPU that compressing a batch costs.
//! The side-by-side event (8 fields, 2 hashed: `benches/bench.yaml`, the
//! peers bench's event) is recorded N times and sent to the loopback
//! collector of `telemetry-testkit`; what the collector read is counted:
//! the request line, every header and the body (HTTP/1.1 as sent, before
//! TLS). Byte counts are deterministic; only the CPU rows are timings.
//!
//! `cargo bench -p telemetry-core --bench bytes -- [--batch N] [--runs R]`

#[path = "support.rs"]
mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use support::*;
use telemetry_core::{Batching, Compression, EnvSource, Limits, Telemetry, WireFormat};
use telemetry_testkit::{Collector, Request};

const FORMATS: [WireFormat; 5] =
    [WireFormat::Native, WireFormat::Segment, WireFormat::PostHog, WireFormat::Otlp, WireFormat::OtlpProtobuf];

/// `events` recorded and sent in batches of `batch`: the requests the collector read.
fn run(format: WireFormat, compression: Compression, events: usize, batch: usize) -> Vec<Request> {
    let collector = Collector::ok();
    let dir = state_dir(&format!("bytes-{}-{compression:?}-{batch}", format.name()));
    let mut b = Telemetry::builder(&BENCH_APP)
        .app_version("1.0.0")
        .state_dir(&dir)
        .notice(false)
        .endpoint(collector.url(), format)
        .compression(compression)
        .limits(Limits::default().with_queue_events(events).with_queue_bytes(usize::MAX))
        .batching(
            Batching::default()
                .with_max_events(batch)
                .with_max_bytes(usize::MAX >> 1)
                .with_max_latency(Duration::from_secs(60)),
        );
    if format.needs_api_key() {
        b = b.api_key("phc_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG");
    }
    let t = b.with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([])).build().unwrap();
    let e = build_finished();
    for _ in 0..events {
        t.record(&e);
    }
    assert!(t.flush(Duration::from_secs(60)), "{format:?}: not flushed");
    let stats = t.shutdown();
    assert_eq!(stats.sent, events as u64, "{format:?} {compression:?}: {stats:?}");
    let _ = std::fs::remove_dir_all(dir);
    collector.requests()
}

/// The encoder's level (`transport/http/gzip.rs`), for every body.
const LEVEL: u32 = 1;

fn gzip(body: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(body).unwrap();
    e.finish().unwrap()
}

/// Median microseconds of gzipping `body` at `level`, over `runs`.
fn gzip_micros(body: &[u8], level: u32, runs: usize) -> f64 {
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(gzip(std::hint::black_box(body), level));
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let (batch, runs) = (arg("--batch", 500), arg("--runs", 51));
    println!("Bytes per event: request line + headers + body, as the collector read them.\n");
    println!(
        "| wire format | 1 event, plain | 1 event, gzip | 1 event, auto | {batch} per request, plain | {batch} per request, gzip (level {LEVEL}) | {batch} per request, auto | {batch} per request, gzip level 6 | gzip level 1, µs for 1 event | gzip level {LEVEL} / level 6, µs per batch of {batch} |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for format in FORMATS {
        let per = |c, n, b| {
            let reqs = run(format, c, n, b);
            (reqs.iter().map(wire_bytes).sum::<usize>() as f64 / n as f64, reqs)
        };
        let (one_plain, one) = per(Compression::None, 1, 1);
        let (one_gzip, _) = per(Compression::Gzip, 1, 1);
        let (one_auto, _) = per(Compression::Auto, 1, 1);
        let (many_plain, reqs) = per(Compression::None, batch, batch);
        let (many_gzip, zreqs) = per(Compression::Gzip, batch, batch);
        let (many_auto, _) = per(Compression::Auto, batch, batch);
        let body = &reqs[0].body;
        assert_eq!((reqs.len(), zreqs.len()), (1, 1), "{format:?}: one request each");
        assert_eq!(zreqs[0].header("content-encoding"), Some("gzip"));
        let l6 = gzip(body, 6).len() as f64;
        let head = wire_bytes(&reqs[0]) - reqs[0].wire_len;
        let (us1, us6) = (gzip_micros(body, LEVEL, runs), gzip_micros(body, 6, runs));
        // One event: what a CLI's only request costs the worker before exit.
        let us_one = gzip_micros(&one[0].body, 1, runs);
        println!(
            "| {} | {one_plain:.0} | {one_gzip:.0} | {one_auto:.0} | {many_plain:.1} | {many_gzip:.1} | {many_auto:.1} | {:.1} | {us_one:.0} | {us1:.0} / {us6:.0} |",
            format.name(),
            (l6 + head as f64) / batch as f64,
        );
    }
}
