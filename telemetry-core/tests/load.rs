//! Load: 8 threads record 100,000 events each (800,000, the real numbers,
//! also in debug builds) against a collector that answers each request
//! after 20 ms, far slower than the events arrive. The queue and its
//! overflow must stay within their bounds, the spool within its own (what
//! overflows past it is dropped), every event must be counted exactly once
//! as sent, spooled or dropped, and nothing may deadlock.
#![cfg(feature = "http")]

mod common;

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use telemetry_core::{EnvSource, Limits, Telemetry, WireFormat};
use telemetry_testkit::{Collector, temp_dir};

const THREADS: u64 = 8;
const PER_THREAD: u64 = 100_000;
/// The default queue bounds, spelled out.
const QUEUE_EVENTS: usize = 1000;
const QUEUE_BYTES: usize = 4 << 20;
/// The default spool bound.
const SPOOL_BYTES: u64 = 64 << 20;
/// The whole test, as a deadlock guard (it takes about 10 s in debug on 2 cores).
const WATCHDOG: Duration = Duration::from_secs(120);

#[derive(Debug)]
struct Figures {
    stats: telemetry_core::Stats,
    accepted: u64,
    /// Lines and bytes left in the spool.
    spool: (u64, u64),
    max_queued: telemetry_core::Queued,
    record_secs: f64,
    slowest_record: Duration,
    exit: Duration,
}

fn run_load() -> Figures {
    let dir = temp_dir("load");
    let c = Collector::ok();
    c.keep_requests(false);
    c.set_delay(Duration::from_millis(20));
    let t = Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(&dir)
        .notice(false)
        .endpoint(c.url(), WireFormat::Native)
        .limits(Limits::default().with_queue_events(QUEUE_EVENTS).with_queue_bytes(QUEUE_BYTES))
        .shutdown_deadline(Duration::from_secs(10))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .build()
        .unwrap();
    let done = AtomicBool::new(false);
    let start = Instant::now();
    let (max_queued, slowest) = std::thread::scope(|s| {
        // Samples the queue's occupancy while the threads record.
        let sampler = s.spawn(|| peak_queued(&t, &done));
        let workers: Vec<_> = (0..THREADS)
            .map(|k| {
                let t = &t;
                s.spawn(move || {
                    let mut slowest = Duration::ZERO;
                    for i in 0..PER_THREAD {
                        let at = Instant::now();
                        t.record(&run(k * PER_THREAD + i));
                        slowest = slowest.max(at.elapsed());
                    }
                    slowest
                })
            })
            .collect();
        let slowest = workers.into_iter().map(|w| w.join().unwrap()).max().unwrap();
        done.store(true, SeqCst);
        (sampler.join().unwrap(), slowest)
    });
    let record_secs = start.elapsed().as_secs_f64();
    let at = Instant::now();
    let stats = t.shutdown();
    let exit = at.elapsed();
    let spool = std::fs::read_dir(dir.join("spool")).unwrap().fold((0, 0), |(lines, bytes), f| {
        let b = std::fs::read(f.unwrap().path()).unwrap();
        (lines + b.iter().filter(|&&c| c == b'\n').count() as u64, bytes + b.len() as u64)
    });
    std::fs::remove_dir_all(&dir).unwrap();
    Figures { stats, accepted: c.events_accepted(), spool, max_queued, record_secs, slowest_record: slowest, exit }
}

#[test]
fn eight_threads_against_a_slow_collector() {
    let before = memory_kib();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(run_load()).unwrap());
    let f = rx.recv_timeout(WATCHDOG).expect("deadlock: the load test did not finish");
    let after = memory_kib();
    let s = f.stats;
    eprintln!(
        "load: {s:?}; collector accepted {}; recording took {:.1} s, slowest record() {:?}; exit {:?}; \
         max queued {:?}; memory (VmRSS, VmHWM) KiB before {before:?}, after {after:?}",
        f.accepted, f.record_secs, f.slowest_record, f.exit, f.max_queued
    );

    assert_eq!(s.recorded, THREADS * PER_THREAD);
    assert_eq!(s.recorded, s.sent + s.spooled + s.dropped, "{s:?}");
    // The collector takes 20 ms a batch: most events overflow to the spool,
    // which fills up to its 64 MiB bound (about 150,000 events); the rest
    // is dropped.
    assert!(s.dropped > 0 && s.sent > 0 && s.spooled > 0, "{s:?}");
    assert_eq!(f.spool.0, s.spooled, "spooled counts exactly the lines on disk");
    assert!(f.spool.1 <= SPOOL_BYTES, "{} bytes spooled", f.spool.1);
    assert_eq!(s.retried, 0, "{s:?}");
    // Every event counted as sent was accepted by the collector, once.
    assert_eq!(f.accepted, s.sent, "{s:?}");
    // The queue, and as much again in its overflow list.
    assert!(f.max_queued.events <= 9 * QUEUE_EVENTS && f.max_queued.bytes <= 2 * QUEUE_BYTES, "{:?}", f.max_queued);
    // Hang guard only, not a timing claim: a loaded 2-core CI machine
    // preempts a thread for half a second, while a record() stuck behind the
    // collector would wait for the 10 s exit deadline.
    assert!(f.slowest_record < Duration::from_secs(5), "{:?}", f.slowest_record);
    assert!(f.exit < Duration::from_secs(10) + Duration::from_secs(2), "{:?}", f.exit);

    // Memory: the queue and its overflow hold at most 2000 envelopes (about 1 MiB); had it
    // kept all 800,000 (about 450 bytes each) it would need about 340 MiB.
    // The bound is generous (allocator, 10 threads' stacks, the HTTP client and the
    // collector's threads) and still far below an unbounded queue.
    if let (Some((rss0, _)), Some((_, hwm1))) = (before, after) {
        let growth_mib = hwm1.saturating_sub(rss0) / 1024;
        assert!(growth_mib < 64, "peak RSS grew by {growth_mib} MiB");
    }
}
