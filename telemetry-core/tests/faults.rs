//! The fault matrix: every way the collector can misbehave, against a real
//! HTTP collector on 127.0.0.1, both while the app runs ("steady": events
//! are recorded while the fault is on, then the collector recovers) and at
//! exit (the fault is still on when the handle shuts down; a second run
//! against the recovered collector sends what was spooled).
//!
//! Every cell asserts:
//! - each `record()` call returned without waiting on I/O (a hang guard:
//!   [`RECORD_GUARD`] is far below the time any fault blocks for);
//! - exit returned within the shutdown deadline plus [`EXIT_SLACK`];
//! - `recorded == sent + spooled + dropped`, and the split the cell expects;
//! - once recovered, the set of message ids the collector accepted (committed
//!   to a 2xx answer) is exactly the set recorded, minus the events
//!   it rejected (400), each under one message id; an id accepted twice is
//!   allowed only in the case the runtime documents (`delivery.rs`): a
//!   request that completes after the exit deadline, whose events were
//!   therefore also spooled and sent again by the next run.
#![cfg(feature = "http")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use telemetry_core::{Batching, EnvSource, Retry, Stats, Telemetry, WireFormat};
use telemetry_testkit::{Answered, Collector, Reply, Request, free_addr, temp_dir};

/// Events recorded while the fault is on.
const N: u64 = 20;
/// Events delivered before the collector restarts (the restart cells only).
const WARMUP: u64 = 5;
/// The shutdown deadline of the first run.
const DEADLINE: Duration = Duration::from_millis(200);
/// Hang guard on exit: deadline + this. A blocked exit would take the
/// request timeout (10 s at exit) or forever.
const EXIT_SLACK: Duration = Duration::from_millis(1500);
/// Hang guard on each `record()`: the faults block a request for 1 s
/// (steady) to 10 s (at exit), so a `record()` that waited on I/O would
/// take at least that. Not a performance threshold.
const RECORD_GUARD: Duration = Duration::from_millis(100);
/// How long a test waits for something that should happen in milliseconds.
const PATIENCE: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Nothing listens on the port.
    Refused,
    Http500,
    /// 503 with `Retry-After: 1`.
    Http503RetryAfter,
    Http429,
    Http400,
    /// Reads the request, never answers.
    Hang,
    /// Answers 200 one byte at a time: slower than the request timeout.
    SlowDrip,
    /// Closes with TCP reset while the request body is half read.
    ResetMidRequest,
    /// Sends 200 and a cut body (`content-length` 100, 10 bytes, close).
    CutMidResponse,
    /// 200 with a binary, non-JSON body.
    Garbage200,
    /// Delivers, then the collector stops (listener and connections
    /// closed) and later comes back on the same port.
    Restarted,
}

/// What the runtime must do with the events recorded while the fault is on,
/// before the collector recovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Steady {
    /// Retry them (`retried > 0`) and deliver all after recovery.
    Retry,
    /// Drop them (no retry on 4xx): `dropped > 0`, never retried.
    Drop,
    /// Count them as delivered: the collector said 200.
    Deliver,
}

/// What happens at exit with the fault on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtExit {
    /// All `N` spooled; the next run sends each once.
    Spool,
    /// All `N` spooled, and the request in flight at the deadline completes
    /// later: its events are accepted twice, the documented duplicate.
    SpoolLateAck,
    /// Rejected ones dropped, none sent, any not yet tried spooled.
    Drop,
    /// Delivered within the deadline (the collector said 200); any left spooled.
    Deliver,
}

macro_rules! matrix {
    ($($name:ident: $fault:expr, $steady:expr, $at_exit:expr;)*) => {$(
        mod $name {
            use super::*;
            #[test]
            fn steady() {
                steady_cell($fault, $steady);
            }
            #[test]
            fn at_exit() {
                exit_cell($fault, $at_exit);
            }
        }
    )*};
}

// The matrix. Each row is two tests: `<row>::steady` and `<row>::at_exit`.
//      row                 fault                      steady            at exit
matrix! {
    refused:            Fault::Refused,            Steady::Retry,    AtExit::Spool;
    http_500:           Fault::Http500,            Steady::Retry,    AtExit::Spool;
    http_503_retry_after: Fault::Http503RetryAfter, Steady::Retry,   AtExit::Spool;
    http_429:           Fault::Http429,            Steady::Retry,    AtExit::Spool;
    http_400:           Fault::Http400,            Steady::Drop,     AtExit::Drop;
    hang:               Fault::Hang,               Steady::Retry,    AtExit::Spool;
    slow_drip:          Fault::SlowDrip,           Steady::Retry,    AtExit::SpoolLateAck;
    reset_mid_request:  Fault::ResetMidRequest,    Steady::Retry,    AtExit::Spool;
    cut_mid_response:   Fault::CutMidResponse,     Steady::Deliver,  AtExit::Deliver;
    garbage_200:        Fault::Garbage200,         Steady::Deliver,  AtExit::Deliver;
    restarted:          Fault::Restarted,          Steady::Retry,    AtExit::Spool;
}

/// The collector's address across restarts, and every incarnation of it.
struct Site {
    addr: SocketAddr,
    live: Option<Collector>,
    past: Vec<Collector>,
}

impl Site {
    /// The collector as the fault needs it at the start.
    fn new(fault: Fault, steady: bool) -> Self {
        let reply = match fault {
            Fault::Refused | Fault::Restarted => None,
            Fault::Http500 => Some(Reply::Status(500, vec![])),
            Fault::Http503RetryAfter => Some(Reply::Status(503, vec![("Retry-After", "1".into())])),
            Fault::Http429 => Some(Reply::Status(429, vec![])),
            Fault::Http400 => Some(Reply::Status(400, vec![])),
            Fault::Hang => Some(Reply::Hang),
            // About 110 bytes: 3.3 s in steady state (request timeout 1 s),
            // 2.2 s at exit (after the 200 ms deadline, within the 10 s timeout).
            Fault::SlowDrip => Some(Reply::Drip(Duration::from_millis(if steady { 30 } else { 20 }))),
            Fault::ResetMidRequest => Some(Reply::ResetMidRequest),
            Fault::CutMidResponse => Some(Reply::CutMidResponse),
            Fault::Garbage200 => Some(Reply::Garbage200),
        };
        match (fault, reply) {
            (Fault::Refused, _) => {
                // A port that was just free: nothing listens there until `recover`.
                let addr = free_addr();
                Site { addr, live: None, past: Vec::new() }
            }
            (_, Some(reply)) => {
                let c = Collector::start(Vec::new(), reply);
                Site { addr: c.addr, live: Some(c), past: Vec::new() }
            }
            (_, None) => {
                let c = Collector::ok();
                Site { addr: c.addr, live: Some(c), past: Vec::new() }
            }
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The restart cells: the collector goes away, connections and all.
    fn crash(&mut self) {
        if let Some(mut c) = self.live.take() {
            c.stop();
            self.past.push(c);
        }
    }

    /// The fault ends: the collector answers 200 again, on the same address.
    fn recover(&mut self) {
        match &self.live {
            Some(c) => c.set_reply(Reply::Status(200, vec![])),
            None => self.live = Some(Collector::start_at(self.addr, Vec::new(), Reply::Status(200, vec![]))),
        }
    }

    fn all(&self) -> impl Iterator<Item = &Collector> {
        self.past.iter().chain(&self.live)
    }

    fn requests(&self) -> Vec<Request> {
        self.all().flat_map(Collector::requests).collect()
    }

    fn started(&self) -> usize {
        self.all().map(Collector::started).sum()
    }

    fn answered(&self) -> Vec<Answered> {
        self.all().flat_map(Collector::answered).collect()
    }
}

fn builder(dir: &Path, site: &Site, request_timeout: Duration) -> telemetry_core::TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .notice(false)
        .endpoint(site.url(), WireFormat::Native)
        .batching(
            Batching::default()
                .with_max_events(5)
                .with_max_bytes(256 << 10)
                .with_max_latency(Duration::from_millis(20)),
        )
        .retry(
            Retry::default()
                .with_backoff(Duration::from_millis(20), Duration::from_millis(100))
                .with_request_timeout(request_timeout),
        )
        .shutdown_deadline(DEADLINE)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
}

/// Records `run(n)` for each `n`, asserting each call returns at once.
fn record_all(t: &Telemetry, ns: std::ops::Range<u64>) {
    for n in ns {
        let start = Instant::now();
        t.record(&run(n));
        let took = start.elapsed();
        assert!(took < RECORD_GUARD, "record({n}) took {took:?}: it waited on I/O");
    }
}

fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < PATIENCE, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Shuts down, asserting exit takes no longer than the deadline plus slack.
fn timed_shutdown(t: Telemetry) -> Stats {
    let start = Instant::now();
    let stats = t.shutdown();
    let took = start.elapsed();
    assert!(took < DEADLINE + EXIT_SLACK, "exit took {took:?} (deadline {DEADLINE:?})");
    stats
}

/// `(n, message_id)` of each event in a native batch; `n` is `duration_ms`.
fn events_of(r: &Request) -> Vec<(u64, String)> {
    r.json()["batch"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["properties"]["duration_ms"].as_u64().unwrap(), e["message_id"].as_str().unwrap().to_string()))
        .collect()
}

/// The second run: nothing recorded, the spool sent to the recovered collector.
fn next_run(dir: &Path, site: &Site, spooled: u64) {
    let t = builder(dir, site, Duration::from_secs(10)).settings(|b| b.shutdown_deadline(PATIENCE)).build().unwrap();
    let s = t.shutdown();
    assert_eq!(s, Stats { resent: spooled, ..Stats::default() }, "the next run resends the spool, nothing else");
    let left = std::fs::read_dir(dir.join("spool")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "spool emptied");
}

/// What the collector saw, checked against what was recorded: every event
/// reached it under one message id; accepted and rejected partition the
/// recorded set; duplicates only as `late` allows. Returns the duplicates.
fn check_ids(site: &Site, total: u64, dropped: u64, late_after: Option<Instant>) -> BTreeSet<u64> {
    let mut ids: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for r in site.requests() {
        for (n, id) in events_of(&r) {
            ids.entry(n).or_default().insert(id);
        }
    }
    assert_eq!(ids.keys().copied().collect::<Vec<_>>(), (0..total).collect::<Vec<_>>(), "every event reached it");
    for (n, set) in &ids {
        assert_eq!(set.len(), 1, "event {n} travelled under one message id, not {set:?}");
    }
    // Dedupe on message id, as a collector would, counting duplicates.
    let mut accepted: BTreeMap<u64, Vec<Instant>> = BTreeMap::new();
    let mut rejected = BTreeSet::new();
    for a in site.answered() {
        for (n, _) in events_of(&a.request) {
            match a.status {
                200..=299 => accepted.entry(n).or_default().push(a.done),
                400 => {
                    rejected.insert(n);
                }
                _ => {}
            }
        }
    }
    assert_eq!(rejected.len() as u64, dropped, "dropped exactly the rejected events");
    assert!(rejected.iter().all(|n| !accepted.contains_key(n)), "a rejected event was never accepted");
    let unique: BTreeSet<u64> = accepted.keys().copied().chain(rejected.iter().copied()).collect();
    assert_eq!(unique, (0..total).collect(), "accepted + rejected = recorded");
    let dups: BTreeSet<u64> = accepted.iter().filter(|(_, at)| at.len() > 1).map(|(n, _)| *n).collect();
    for n in &dups {
        let at = &accepted[n];
        let late = late_after.expect("a duplicate without a request that completed after the exit deadline");
        assert_eq!(at.len(), 2, "event {n} accepted {} times", at.len());
        assert!(at.iter().any(|t| *t > late), "event {n} duplicated, but not by a request completed after exit");
    }
    dups
}

fn steady_cell(fault: Fault, expect: Steady) {
    let dir = temp_dir("fault-steady");
    let mut site = Site::new(fault, true);
    let t = builder(&dir, &site, Duration::from_secs(1)).build().unwrap();
    let warm = if fault == Fault::Restarted { WARMUP } else { 0 };
    if warm > 0 {
        record_all(&t, 0..warm);
        assert!(t.flush(PATIENCE));
        site.crash();
    }
    let total = warm + N;
    record_all(&t, warm..total);
    // The fault has been met before the collector recovers.
    match expect {
        Steady::Retry => wait_until("a retry", || t.stats().retried > 0),
        Steady::Drop => wait_until("a drop", || t.stats().dropped > 0),
        Steady::Deliver => wait_until("a delivery", || t.stats().sent > 0),
    }
    site.recover();
    assert!(t.flush(PATIENCE), "everything settled after recovery: {:?}", t.stats());
    let s = timed_shutdown(t);
    assert_eq!(s.recorded, total);
    assert_eq!(s.recorded, s.sent + s.spooled + s.dropped, "{s:?}");
    assert_eq!(s.spooled, 0, "{s:?}");
    match expect {
        Steady::Retry => assert!(s.retried > 0 && s.dropped == 0 && s.sent == total, "{s:?}"),
        Steady::Drop => assert!(s.retried == 0 && s.dropped > 0 && s.sent == total - s.dropped, "{s:?}"),
        Steady::Deliver => assert!(s.retried == 0 && s.dropped == 0 && s.sent == total, "{s:?}"),
    }
    let dups = check_ids(&site, total, s.dropped, None);
    assert!(dups.is_empty());
    assert!(!dir.join("spool").exists() || std::fs::read_dir(dir.join("spool")).unwrap().count() == 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn exit_cell(fault: Fault, expect: AtExit) {
    let dir = temp_dir("fault-exit");
    let mut site = Site::new(fault, false);
    // A request may take 10 s: exit must not wait for it.
    let t = builder(&dir, &site, Duration::from_secs(10)).build().unwrap();
    let warm = if fault == Fault::Restarted { WARMUP } else { 0 };
    if warm > 0 {
        record_all(&t, 0..warm);
        assert!(t.flush(PATIENCE));
        site.crash();
    }
    let total = warm + N;
    let seen = site.requests().len();
    let started = site.started();
    record_all(&t, warm..total);
    // The fault is met, and on, at shutdown.
    match fault {
        Fault::Refused | Fault::Restarted => std::thread::sleep(Duration::from_millis(50)),
        _ => wait_until("the collector sees a request", || site.started() > started),
    }
    let exit_at = Instant::now();
    let s = timed_shutdown(t);
    assert_eq!(s.recorded, total);
    assert_eq!(s.recorded, s.sent + s.spooled + s.dropped, "{s:?}");
    match expect {
        AtExit::Spool | AtExit::SpoolLateAck => {
            assert_eq!((s.sent, s.spooled, s.dropped), (warm, N, 0), "{s:?}")
        }
        AtExit::Drop => assert!(s.sent == 0 && s.dropped > 0 && s.retried == 0, "{s:?}"),
        AtExit::Deliver => assert!(s.sent > 0 && s.dropped == 0 && s.retried == 0, "{s:?}"),
    }
    let mut first_fault_batch = BTreeSet::new();
    if expect == AtExit::SpoolLateAck {
        // The detached request completes after exit; wait for it so the
        // duplicate it makes is part of the check.
        first_fault_batch = site.requests()[seen..][..1].iter().flat_map(events_of).map(|(n, _)| n).collect();
        wait_until("the late answer", || !site.answered().is_empty());
    }
    // The first run's worker may still be in an attempt it began before the
    // deadline (exit does not wait for it). Under load that attempt can
    // reach the collector late: it must meet the fault, not the recovered
    // collector, whose 200 would make a duplicate this cell does not expect
    // (the SpoolLateAck cells expect exactly that, and check it).
    let mut last = site.started();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let now = site.started();
        if now == last {
            break;
        }
        last = now;
    }
    site.recover();
    next_run(&dir, &site, s.spooled);
    let late_after = (expect == AtExit::SpoolLateAck).then_some(exit_at + DEADLINE);
    let dups = check_ids(&site, total, s.dropped, late_after);
    assert_eq!(dups, first_fault_batch, "duplicates are exactly the batch acknowledged after the deadline");
    std::fs::remove_dir_all(&dir).unwrap();
}
