//! Per-call latency distribution of `Telemetry::record` (median, p99,
//! p99.9, max), which divan does not report.
//! `cargo bench -p telemetry-core --bench record_latency`

#[path = "support.rs"]
mod support;

use std::hint::black_box;
use std::time::Instant;

use support::*;

const CALLS: usize = 200_000;

fn measure(name: &str, t: &telemetry_core::Telemetry, overhead: u64) {
    let e = event();
    for _ in 0..10_000 {
        t.record(black_box(&e));
    }
    let mut ns = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let start = Instant::now();
        t.record(black_box(&e));
        ns.push((start.elapsed().as_nanos() as u64).saturating_sub(overhead));
    }
    report(name, &mut ns);
}

fn report(name: &str, ns: &mut [u64]) {
    ns.sort_unstable();
    let q = |p: f64| ns[((ns.len() as f64 * p) as usize).min(ns.len() - 1)];
    println!("| {name} | {} | {} | {} | {} |", q(0.5), q(0.99), q(0.999), ns[ns.len() - 1]);
}

fn main() {
    // The cost of timing an empty region, subtracted from every sample.
    let mut empty: Vec<u64> = (0..CALLS)
        .map(|_| {
            let s = Instant::now();
            black_box(());
            s.elapsed().as_nanos() as u64
        })
        .collect();
    empty.sort_unstable();
    let overhead = empty[empty.len() / 2];
    println!("timer overhead (median, subtracted): {overhead} ns; {CALLS} calls each");
    println!("| case | median ns | p99 ns | p99.9 ns | max ns |");
    println!("| --- | --- | --- | --- | --- |");
    measure("disabled (DO_NOT_TRACK=1)", &disabled(), overhead);
    // Room for warm-up + samples, so every call takes the enqueue path.
    measure("enabled, collector down, queue has room", &enabled_collector_down(CALLS + 20_000), overhead);
    let full = enabled_collector_down(1);
    measure("enabled, collector down, queue full (dropped)", &full, overhead);
    let file = enabled_file();
    measure("enabled, worker draining to the JSON-lines file", &file, overhead);
    let stats = file.shutdown();
    println!("file case: {stats:?}");
    cleanup();
    cleanup_file();
}
