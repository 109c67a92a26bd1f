//! Consent is re-checked before every send: a running service whose
//! consent another process withdraws (`telemetry disable`, or an `enable`
//! that made a new id) sends nothing more once it has learned, within one
//! batch, erases what it holds and stops its periodic schedules.
#![cfg(feature = "http")]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::time::{Duration, Instant};

use common::*;
use telemetry_core::{Batching, TestBuilder, WireFormat};
use telemetry_testkit::{Collector, Request, temp_dir};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Polls `cond` every 5 ms for up to 10 s; returns how long it took.
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) -> Duration {
    let t0 = Instant::now();
    while !cond() {
        assert!(t0.elapsed() < Duration::from_secs(10), "{what}: not within 10 s");
        std::thread::sleep(ms(5));
    }
    t0.elapsed()
}

/// Events in native batches sent under `id`.
fn sent_under(reqs: &[Request], id: &str) -> usize {
    reqs.iter().flat_map(|r| r.json()["batch"].as_array().unwrap().clone()).filter(|e| e["anonymous_id"] == id).count()
}

/// A service sending one event every 100 ms over HTTP, another process
/// withdrawing consent: before, the collector received 22–24 more events
/// under the deleted id in the next 2.5 s.
fn a_running_service_stops_sending(withdraw: impl FnOnce(TestBuilder)) {
    let dir = temp_dir("recheck");
    let c = Collector::ok();
    let t = quiet_builder(&dir)
        .settings(|b| b.endpoint(c.url(), WireFormat::Native).batching(Batching::default().with_max_latency(ms(20))))
        .build()
        .unwrap();
    let id = state_of(&dir)["anonymous_id"].as_str().unwrap().to_string();
    let n = Arc::new(AtomicU64::new(0));
    let m = n.clone();
    let schedule = t.every(ms(100), move || run(m.fetch_add(1, SeqCst)));
    wait_until("two events sent", || c.events_accepted() >= 2);

    withdraw(quiet_builder(&dir));
    // Learned before its next send (one batch), or at the schedule's next look.
    wait_until("the schedule stopped", || !schedule.is_running());
    assert!(!t.is_enabled());
    let requests = c.requests().len();
    let sent = sent_under(&c.requests(), &id);
    t.record(&run(1000));
    std::thread::sleep(ms(300)); // three periods
    let stats = t.shutdown();

    assert_eq!(c.requests().len(), requests, "sent after it learned");
    assert_eq!(sent_under(&c.requests(), &id), sent);
    assert_eq!(stats.sent, sent as u64);
    assert_eq!((stats.spooled, stats.recorded), (0, stats.sent + stats.dropped), "{stats:?}");
    assert!(!dir.join("spool").exists(), "nothing spooled under the old id");
    assert!(!dir.join("events.jsonl").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn disable_in_another_process_stops_a_running_services_sends() {
    a_running_service_stops_sending(|other| assert!(other.disable().unwrap().changed));
}

/// `disable` then `enable`: consent is given again, under a new id that
/// this process never had. It must not go on sending under the old one.
#[test]
fn a_new_id_from_another_process_stops_a_running_services_sends() {
    a_running_service_stops_sending(|other| {
        other.clone().disable().unwrap();
        assert!(other.enable().unwrap().changed);
    });
}

/// A CLI's run: it records, another process disables, and the run exits
/// before the worker took the batch, so the exiting thread would send it
/// itself (`delivery/exit.rs`). It re-reads consent first: nothing is sent,
/// the event is erased (dropped), nothing spooled.
#[test]
fn a_cli_s_exit_sends_nothing_once_another_process_disabled() {
    let dir = temp_dir("recheck-exit");
    let c = Collector::ok();
    let t = quiet_builder(&dir).settings(|b| b.endpoint(c.url(), WireFormat::Native)).build().unwrap();
    t.record(&run(1));
    assert!(quiet_builder(&dir).disable().unwrap().changed);
    let stats = t.shutdown();
    assert!(c.requests().is_empty(), "sent after consent was withdrawn");
    assert_eq!((stats.recorded, stats.sent, stats.dropped, stats.spooled), (1, 0, 1, 0), "{stats:?}");
    assert!(!dir.join("spool").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
