//! Long-running services against a real HTTP collector on 127.0.0.1:
//! batches are delivered while the process runs (within `max_latency`),
//! periodic events (`Telemetry::every`) arrive while running and stop at
//! once when their guard is dropped or the handle shuts down; a schedule
//! kept in the state it reads (`Telemetry::every_with`) still lets that
//! state, and the handle in it, be dropped and flushed at exit.
#![cfg(feature = "http")]

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use common::*;
use telemetry_core::{Batching, EnvSource, Periodic, Telemetry, TestBuilder, WireFormat};
use telemetry_testkit::{Collector, temp_dir};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn builder(dir: &Path, collector: &Collector) -> TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .notice(false)
        .endpoint(collector.url(), WireFormat::Native)
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
}

/// Events the collector accepted, polled until `n` arrived or `within` passed.
fn wait_for(collector: &Collector, n: u64, within: Duration) -> (u64, Duration) {
    let t0 = Instant::now();
    while collector.events_accepted() < n && t0.elapsed() < within {
        std::thread::sleep(ms(5));
    }
    (collector.events_accepted(), t0.elapsed())
}

#[test]
fn a_batch_is_delivered_while_running_within_max_latency() {
    let collector = Collector::ok();
    let dir = temp_dir("latency");
    let telemetry = builder(&dir, &collector)
        .settings(|b| b.batching(Batching::default().with_max_latency(ms(50))))
        .build()
        .unwrap();
    telemetry.record(&run(1));
    let (n, took) = wait_for(&collector, 1, Duration::from_secs(3));
    assert_eq!(n, 1, "nothing delivered while running");
    // 50 ms of latency, then one request on loopback; 1 s is slack for a busy machine.
    assert!(took < Duration::from_secs(1), "delivered after {took:?}");
    assert_eq!(telemetry.shutdown().sent, 1);
    assert_eq!(collector.requests().len(), 1, "nothing left to send at exit");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn periodic_events_arrive_while_running_and_none_after_shutdown() {
    let collector = Collector::ok();
    let dir = temp_dir("every");
    let telemetry = builder(&dir, &collector)
        .settings(|b| b.batching(Batching::default().with_max_latency(ms(10))))
        .build()
        .unwrap();
    let mut k = 0;
    let schedule = telemetry.every(ms(25), move || {
        k += 1;
        run(k)
    });
    assert!(schedule.is_running());
    let (n, _) = wait_for(&collector, 4, Duration::from_secs(5));
    assert!(n >= 4, "{n} periodic events delivered while running");

    let t0 = Instant::now();
    let stats = telemetry.shutdown();
    let took = t0.elapsed();
    assert!(took < ms(500), "shutdown took {took:?}");
    assert!(!schedule.is_running(), "shutdown stops every schedule");
    let after = collector.events_accepted();
    assert_eq!(after, stats.sent);
    assert_eq!(stats.recorded, stats.sent, "{stats:?}");
    std::thread::sleep(ms(100));
    assert_eq!(collector.events_accepted(), after, "a periodic event arrived after shutdown");
    // Each tick built its event anew: durations 1, 2, 3, ... in order.
    let sent: Vec<u64> = collector
        .requests()
        .iter()
        .flat_map(|r| r.json()["batch"].as_array().cloned().unwrap_or_default())
        .map(|e| e["properties"]["duration_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(sent, (1..=after).collect::<Vec<_>>());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn dropping_the_guard_stops_its_schedule_only() {
    let collector = Collector::ok();
    let dir = temp_dir("guard");
    let telemetry = builder(&dir, &collector)
        .settings(|b| b.batching(Batching::default().with_max_latency(ms(10))))
        .build()
        .unwrap();
    let hourly = telemetry.every(Duration::from_secs(3600), || run(7));
    let fast = telemetry.every(ms(10), || run(1));
    wait_for(&collector, 2, Duration::from_secs(5));
    let t0 = Instant::now();
    drop(fast);
    assert!(t0.elapsed() < ms(100), "dropping the guard took {:?}", t0.elapsed());
    assert!(telemetry.flush(Duration::from_secs(5)));
    let settled = collector.events_accepted();
    std::thread::sleep(ms(60));
    assert!(telemetry.flush(Duration::from_secs(5)));
    assert_eq!(collector.events_accepted(), settled, "the dropped schedule still records");
    assert!(hourly.is_running());
    // An hourly schedule does not hold shutdown for an hour.
    let t0 = Instant::now();
    telemetry.shutdown();
    assert!(t0.elapsed() < ms(500), "shutdown took {:?}", t0.elapsed());
    assert!(!hourly.is_running());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn off_means_no_schedule_no_thread_no_socket() {
    let collector = Collector::ok();
    let dir = temp_dir("every-off");
    let telemetry = builder(&dir, &collector).env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")])).build().unwrap();
    let schedule = telemetry.every(ms(5), || run(1));
    assert!(!schedule.is_running());
    std::thread::sleep(ms(50));
    drop(telemetry);
    assert_eq!(collector.connections(), 0);
    assert!(!dir.exists(), "off wrote {}", dir.display());
}

/// The guard kept in the service's state next to the handle, the event made
/// from that state: dropping the state at exit drops the handle, which
/// sends what the schedule recorded. Before (`every` with a closure owning
/// an `Arc` of the state, the shape the guard's docs suggested), the state
/// was never dropped and nothing was sent.
#[test]
fn a_schedule_kept_in_the_state_it_reads_still_flushes_at_exit() {
    struct Service {
        telemetry: Telemetry,
        heartbeat: OnceLock<Periodic>,
        commands: AtomicU64,
    }
    let dir = temp_dir("every-with");
    let c = Collector::ok();
    // Nothing is sent while running (a 10-minute batch delay): all of it at exit.
    let telemetry = builder(&dir, &c)
        .settings(|b| b.batching(Batching::default().with_max_latency(Duration::from_secs(600))))
        .build()
        .unwrap();
    let service = Arc::new(Service { telemetry, heartbeat: OnceLock::new(), commands: AtomicU64::new(0) });
    let made = Arc::new(AtomicU64::new(0));
    let m = made.clone();
    let heartbeat = service.telemetry.every_with(ms(10), &service, move |s: &Service| {
        m.fetch_add(1, SeqCst);
        run(s.commands.fetch_add(1, SeqCst))
    });
    service.heartbeat.set(heartbeat).unwrap();
    while made.load(SeqCst) < 3 {
        std::thread::sleep(ms(5));
    }
    assert_eq!(c.events_accepted(), 0);
    let state = Arc::downgrade(&service);
    drop(service);
    // Had a tick been making an event just then, it drops the state instead: wait for it.
    let t0 = Instant::now();
    while state.upgrade().is_some() && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(ms(5));
    }
    assert!(state.upgrade().is_none(), "the service's state (and its handle) was never dropped");
    let made = made.load(SeqCst);
    assert_eq!(wait_for(&c, made, Duration::from_secs(10)).0, made, "{made} made, all sent at exit");
    std::fs::remove_dir_all(&dir).unwrap();
}
