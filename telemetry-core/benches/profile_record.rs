//! A small fixed workload for `valgrind --tool=callgrind` (instruction
//! counts are repeatable where wall time is not): builds a handle that
//! delivers to memory, records `N` events of `benches/bench.yaml`, flushes.
//! `cargo bench -p telemetry-core --bench profile_record --no-run`, then
//! `valgrind --tool=callgrind <binary> [N]` and `callgrind_annotate --inclusive=yes`.

#[path = "support.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use support::*;

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let sink = telemetry_core::MemorySink::counting();
    let t = enabled_memory(&sink);
    let e = build_finished();
    for _ in 0..n {
        t.record(black_box(&e));
    }
    t.flush(Duration::from_secs(30));
    let stats = t.shutdown();
    println!("recorded {n}: {stats:?}, delivered {}", sink.delivered());
    cleanup_memory();
}
