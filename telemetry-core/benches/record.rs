//! `Telemetry::record` on the caller's thread (divan: median, mean, min, max).
//! `cargo bench -p telemetry-core --bench record`

#[path = "support.rs"]
mod support;

use divan::{Bencher, black_box};
use support::*;

fn main() {
    divan::main();
    cleanup();
}

/// Telemetry off: one relaxed atomic load and a branch.
#[divan::bench(sample_count = 1000, sample_size = 1000)]
fn record_disabled(b: Bencher) {
    let t = disabled();
    let e = event();
    b.bench_local(|| t.record(black_box(&e)));
}

/// On, collector down, queue with room: serialize, hash, push.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn record_enabled_collector_down(b: Bencher) {
    let t = enabled_collector_down(1 << 20);
    let e = event();
    b.bench_local(|| t.record(black_box(&e)));
}

/// On, collector down long enough that the queue is full: serialize, then drop.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn record_enabled_queue_full(b: Bencher) {
    let t = enabled_collector_down(1);
    let e = event();
    t.record(&e);
    b.bench_local(|| t.record(black_box(&e)));
}

/// Baseline: the properties alone, as `properties_json` writes them.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn properties_only(b: Bencher) {
    let h = telemetry_core::Hasher::new(&[7; 32]);
    let e = event();
    b.bench_local(|| telemetry_core::properties_json(black_box(&e), &h));
}

/// Parts of one record: a v4 UUID from the OS.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn part_uuid_v4() -> uuid::Uuid {
    uuid::Uuid::new_v4()
}

/// Parts of one record: the timestamp.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn part_timestamp() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}
