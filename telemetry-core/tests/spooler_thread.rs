//! The spooler thread starts at the first overflow, not in `build()`: a run
//! whose queue never fills (a CLI's) starts one thread, the worker (a
//! thread's start cost ~0.1 ms of a CLI's exit on two cores). One test in
//! this binary: it counts the process's threads.
#![cfg(all(feature = "http", target_os = "linux"))]

mod common;

use std::time::{Duration, Instant};

use common::*;
use telemetry_core::{EnvSource, Telemetry, WireFormat};
use telemetry_testkit::{Collector, temp_dir};

/// Threads named after the app's (`example-cli-telemetry` for the worker,
/// `example-cli-telemetry-spool` for the spooler: Linux keeps the first 15
/// bytes of each, the same for both).
fn telemetry_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|comm| comm.trim_end() == "example-cli-tel")
        .count()
}

/// The count once `at_least` threads carry the name (or after 10 s), plus a
/// 50 ms grace for any other just-spawned one. A thread exists as soon as
/// `spawn` returns, but std names it from inside the thread once it first
/// runs: on a loaded machine, a count taken right away can miss it (CI did).
fn telemetry_threads_settled(at_least: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(10);
    while telemetry_threads() < at_least && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(50));
    telemetry_threads()
}

#[test]
fn the_spooler_thread_starts_at_the_first_overflow() {
    let dir = temp_dir("spooler-thread");
    let slow = Collector::ok();
    slow.keep_requests(false);
    // Slow enough that a loop of records fills the queue (1,000 events).
    slow.set_delay(Duration::from_millis(50));
    let t = Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(&dir)
        .notice(false)
        .endpoint(slow.url(), WireFormat::Native)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .build()
        .unwrap();
    t.record(&run(0));
    assert_eq!(telemetry_threads_settled(1), 1, "build() and a record() start the worker only");
    for i in 1..5_000 {
        t.record(&run(i));
    }
    assert_eq!(telemetry_threads_settled(2), 2, "the first overflow started the spooler");
    let s = t.shutdown();
    assert_eq!((s.recorded, s.dropped), (5_000, 0), "{s:?}");
    assert_eq!(s.recorded, s.sent + s.spooled, "{s:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
