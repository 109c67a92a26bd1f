//! Delivery throughput to a real HTTP/1.1 collector on 127.0.0.1 (the
//! integration tests' collector from `telemetry-testkit`, in this process): N events recorded, then
//! `flush`, timed from the first `record()` to the end of the flush.
//! Batched (the default 500 events per request, and 1,000) vs one request per event,
//! as a client that sends each event on its own does (`batch(1, ..)`: same
//! code, same keep-alive connection, only the batching differs).
//!
//! `cargo bench -p telemetry-core --bench delivery -- [--batched N] [--per-event N] [--runs R]`

#[path = "support.rs"]
mod support;

use std::time::{Duration, Instant};

use support::*;
use telemetry_core::{Batching, EnvSource, Limits, Telemetry, WireFormat};
use telemetry_testkit::Collector;

/// Returns events per second, after checking every event reached the collector.
fn run(events: usize, batch: usize) -> f64 {
    let collector = Collector::ok();
    let dir = state_dir(&format!("delivery-{batch}"));
    let t = Telemetry::builder(&BENCH_APP)
        .app_version("1.0.0")
        .state_dir(&dir)
        .notice(false)
        .endpoint(collector.url(), WireFormat::Native)
        .limits(Limits::default().with_queue_events(events).with_queue_bytes(usize::MAX))
        .batching(
            Batching::default()
                .with_max_events(batch)
                .with_max_bytes((batch * 1024).max(256 << 10))
                .with_max_latency(Duration::from_secs(2)),
        )
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .build()
        .unwrap();
    let e = build_finished();
    let start = Instant::now();
    for _ in 0..events {
        t.record(&e);
    }
    let flushed = t.flush(Duration::from_secs(300));
    let took = start.elapsed();
    let stats = t.shutdown();
    let received: usize =
        collector.requests().iter().map(|r| r.body.windows(12).filter(|w| w == b"\"message_id\"").count()).sum();
    assert!(flushed && stats.sent == events as u64 && received == events, "{stats:?}, {received} received");
    let _ = std::fs::remove_dir_all(dir);
    events as f64 / took.as_secs_f64()
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let (batched, per_event, runs) = (arg("--batched", 50_000), arg("--per-event", 2_000), arg("--runs", 5));
    // Warm-up: connection setup, allocator, page faults.
    run(2_000, 500);
    let b: Vec<f64> = (0..runs).map(|_| run(batched, 500)).collect();
    let l: Vec<f64> = (0..runs).map(|_| run(batched, 1000)).collect();
    let p: Vec<f64> = (0..runs).map(|_| run(per_event, 1)).collect();
    let (bm, blo, bhi) = median(b);
    let (lm, llo, lhi) = median(l);
    let (pm, plo, phi) = median(p);
    // One line per case, parsed by `cargo xtask bench`: name, events, median, min, max (events/s).
    println!("delivery batched(500) events={batched} runs={runs} median={bm:.0} min={blo:.0} max={bhi:.0}");
    println!("delivery batched(1000) events={batched} runs={runs} median={lm:.0} min={llo:.0} max={lhi:.0}");
    println!("delivery per-event events={per_event} runs={runs} median={pm:.0} min={plo:.0} max={phi:.0}");
    println!("ratio {:.1}x (batches of 1000: {:.1}x)", bm / pm, lm / pm);
}
