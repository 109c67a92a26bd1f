//! A burst loses nothing at defaults, and memory stays bounded (issue 13,
//! item 3): what a full queue cannot hold overflows to the disk spool, is
//! sent later in the same run once the collector catches up, or by the next
//! run; events are dropped only when the spool's bound is hit too. Every
//! test checks `recorded == sent + spooled + dropped`, and that what is
//! counted `spooled` is exactly what is on disk.
#![cfg(feature = "http")]

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::time::{Duration, Instant};

use common::*;
use telemetry_core::{Batching, EnvSource, Limits, Retry, Stats, Telemetry, TestBuilder, WireFormat};
use telemetry_testkit::{Collector, Reply, free_addr, temp_dir};

/// The default queue bounds, spelled out: with its overflow list, memory
/// holds at most twice these.
const QUEUE_EVENTS: usize = 1000;
const QUEUE_BYTES: usize = 4 << 20;

fn builder(dir: &Path, url: String) -> TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .notice(false)
        .endpoint(url, WireFormat::Native)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
}

fn settled(s: &Stats) {
    assert_eq!(s.recorded, s.sent + s.spooled + s.dropped, "{s:?}");
}

/// Lines and bytes in the spool's files.
fn on_disk(dir: &Path) -> (u64, u64) {
    let Ok(files) = std::fs::read_dir(dir.join("spool")) else { return (0, 0) };
    files.map(|f| std::fs::read(f.unwrap().path()).unwrap()).fold((0, 0), |(lines, bytes), b| {
        (lines + b.iter().filter(|&&c| c == b'\n').count() as u64, bytes + b.len() as u64)
    })
}

/// Records `n` events from one thread as fast as it can, sampling
/// [`Telemetry::queued`] meanwhile; returns the peak of each.
fn burst(t: &Telemetry, n: u64) -> telemetry_core::Queued {
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let sampler = s.spawn(|| peak_queued(t, &done));
        for i in 0..n {
            t.record(&run(i));
        }
        done.store(true, SeqCst);
        sampler.join().unwrap()
    })
}

/// 100,000 events at the defaults against a collector that takes 20 ms a
/// request: nothing is dropped; what this run did not send is on disk, and
/// the next run sends exactly that.
#[test]
fn burst_of_100k_at_defaults_loses_nothing() {
    const N: u64 = 100_000;
    let dir = temp_dir("burst");
    let slow = Collector::ok();
    slow.keep_requests(false);
    slow.set_delay(Duration::from_millis(20));
    let before = memory_kib();
    let t = builder(&dir, slow.url()).settings(|b| b.shutdown_deadline(Duration::from_millis(300))).build().unwrap();
    let peak = burst(&t, N);
    let s = t.shutdown();
    let after = memory_kib();
    eprintln!(
        "burst: {s:?}; peak queued {peak:?}; collector accepted {}; memory (VmRSS, VmHWM) KiB before {before:?}, after {after:?}",
        slow.events_accepted()
    );
    // No assertion on memory here: the tests of this binary run in one
    // process, side by side. BENCHMARKS.md has the figure, from this test
    // run alone (`--exact`).
    settled(&s);
    assert_eq!((s.recorded, s.dropped), (N, 0), "{s:?}");
    assert!(s.sent > 0 && s.spooled > 0, "{s:?}");
    // A request still in flight at the deadline is spooled (its answer never
    // came), yet this test's process lives on, so the abandoned request may
    // still reach the collector: delivery is at least once, the duplicates
    // carry the same message ids, and there is at most one batch of them.
    let accepted = slow.events_accepted();
    assert!((s.sent..=s.sent + 500).contains(&accepted), "accepted {accepted}, {s:?}");
    assert_eq!(on_disk(&dir).0, s.spooled, "spooled counts exactly the lines on disk");
    assert!(peak.events <= 9 * QUEUE_EVENTS && peak.bytes <= 2 * QUEUE_BYTES, "{peak:?}");

    let fast = Collector::ok();
    fast.keep_requests(false);
    let t = builder(&dir, fast.url()).build().unwrap();
    assert!(t.flush(Duration::from_secs(120)), "{:?}", t.stats());
    let again = t.shutdown();
    assert_eq!(again, Stats { resent: s.spooled, ..Stats::default() });
    assert_eq!(fast.events_accepted(), s.spooled);
    assert_eq!(s.sent + again.resent, N);
    assert_eq!(on_disk(&dir), (0, 0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Overflow spooled while the collector is slow is read back and sent by the
/// same run once it catches up, and counted once, as sent: every event
/// reaches the collector exactly once, and nothing is left on disk.
#[test]
fn overflow_is_sent_later_in_the_same_run_and_counted_once() {
    const N: u64 = 5000;
    let dir = temp_dir("sameRun");
    let c = Collector::ok();
    c.set_delay(Duration::from_millis(20));
    let t = builder(&dir, c.url()).build().unwrap();
    burst(&t, N);
    let t0 = Instant::now();
    while t.stats().spooled == 0 {
        assert!(t0.elapsed() < Duration::from_secs(10), "nothing overflowed to the spool: {:?}", t.stats());
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(t.flush(Duration::from_secs(60)), "{:?}", t.stats());
    assert_eq!(t.stats(), Stats { recorded: N, sent: N, ..Stats::default() });
    assert_eq!(t.shutdown(), Stats { recorded: N, sent: N, ..Stats::default() });
    let ids = message_ids(&c.requests());
    assert_eq!(ids.len() as u64, N);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len() as u64, N, "each event exactly once");
    assert_eq!(on_disk(&dir), (0, 0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// With the collector down and a small spool, overflow fills the spool up to
/// its bound and the rest is dropped, counted; the spool never outgrows it.
#[test]
fn spool_bound_hit_drops_and_counts() {
    const N: u64 = 5000;
    const SPOOL_BYTES: u64 = 200 << 10;
    let dir = temp_dir("spoolFull");
    let t = builder(&dir, format!("http://{}/ingest", free_addr()))
        .settings(|b| {
            b.retry(Retry::default().with_backoff(Duration::from_secs(30), Duration::from_secs(30)))
                .limits(Limits::default().with_spool_bytes(SPOOL_BYTES).with_spool_files(1000))
                .shutdown_deadline(Duration::from_millis(100))
        })
        .build()
        .unwrap();
    burst(&t, N);
    let s = t.shutdown();
    settled(&s);
    let (lines, bytes) = on_disk(&dir);
    assert_eq!((s.recorded, s.sent, s.spooled, s.dropped), (N, 0, lines, N - lines), "{s:?}");
    assert!(lines > 0 && s.dropped > 0, "{s:?}");
    assert!(bytes <= SPOOL_BYTES, "{bytes} bytes spooled over a bound of {SPOOL_BYTES}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A sink that is not HTTP has no spool: a full queue drops, as before.
#[test]
fn memory_sink_still_drops_when_the_queue_is_full() {
    let sink = telemetry_core::MemorySink::new();
    let t = Telemetry::builder(&APP)
        .limits(Limits::default().with_queue_events(10).with_queue_bytes(1 << 20))
        .batching(
            Batching::default().with_max_events(1000).with_max_bytes(1 << 20).with_max_latency(Duration::from_secs(60)),
        )
        .for_tests(sink.clone())
        .build()
        .unwrap();
    for i in 0..50 {
        t.record(&run(i));
    }
    assert_eq!(t.queued().events, 10);
    let s = t.shutdown();
    assert_eq!(s, Stats { recorded: 50, sent: 10, dropped: 40, ..Stats::default() });
    assert_eq!(sink.take().len(), 10);
}

/// A 400 for overflowed events read back drops them (counted), as for any
/// batch: reading back does not make rejected events count twice.
#[test]
fn rejected_overflow_is_dropped_once() {
    const N: u64 = 3000;
    let dir = temp_dir("rejected");
    let c = Collector::start(Vec::new(), Reply::Status(400, vec![]));
    c.set_delay(Duration::from_millis(20));
    let t = builder(&dir, c.url()).build().unwrap();
    burst(&t, N);
    assert!(t.flush(Duration::from_secs(60)), "{:?}", t.stats());
    assert_eq!(t.shutdown(), Stats { recorded: N, dropped: N, ..Stats::default() });
    assert_eq!(on_disk(&dir), (0, 0));
    std::fs::remove_dir_all(&dir).unwrap();
}
