//! The bounded queue between `record()` and the background worker, the
//! worker itself, and how the two part at exit.
//!
//! Ownership rule that keeps counters exact and nothing both sent and
//! spooled by this process: an event is in exactly one of `pending`,
//! `inflight` (the batch the worker is sending) or settled. At exit the
//! caller waits for the worker until the deadline, then sets `closed` and
//! takes `pending` and `inflight` itself. A worker that finishes a request
//! after `closed` counts nothing: those events are spooled and sent again by
//! the next run (collectors dedupe on `message_id`).

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::spool::{Event, MAX_GENERATION, Spool};
use crate::transport::{Outcome, Output, Sink};

/// Counters of one [`crate::Telemetry`] handle.
///
/// Once all is settled (after [`crate::Telemetry::shutdown`], or a
/// successful flush), `recorded == sent + spooled + dropped`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Events recorded while telemetry was on (whatever became of them).
    pub recorded: u64,
    /// Delivered: accepted by the endpoint, written to the file, or printed (debug, log-only).
    pub sent: u64,
    /// Delivery attempts repeated, counted per event.
    pub retried: u64,
    /// Saved to disk at exit for the next run.
    pub spooled: u64,
    /// Lost: queue full, rejected by the endpoint (4xx), spool full, or not this app's event.
    pub dropped: u64,
    /// Events spooled by earlier runs and delivered by this one (not part of `recorded`).
    pub resent: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub recorded: AtomicU64,
    pub sent: AtomicU64,
    pub retried: AtomicU64,
    pub spooled: AtomicU64,
    pub dropped: AtomicU64,
    pub resent: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> Stats {
        Stats {
            recorded: self.recorded.load(Relaxed),
            sent: self.sent.load(Relaxed),
            retried: self.retried.load(Relaxed),
            spooled: self.spooled.load(Relaxed),
            dropped: self.dropped.load(Relaxed),
            resent: self.resent.load(Relaxed),
        }
    }
}

/// Tuning of the queue, batching and retries.
#[derive(Debug, Clone)]
pub(crate) struct Tuning {
    pub queue_events: usize,
    pub queue_bytes: usize,
    pub batch_events: usize,
    pub batch_bytes: usize,
    pub batch_delay: Duration,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
}

#[derive(Debug, Default)]
struct Queue {
    pending: VecDeque<Event>,
    pending_bytes: usize,
    /// When the oldest pending event arrived.
    oldest: Option<Instant>,
    inflight: Option<Arc<Vec<Event>>>,
    flushers: usize,
    /// Set by shutdown: the worker sends everything now, and exits when done.
    shutdown: Option<Instant>,
    /// The caller took over: the worker must not touch or count anything.
    closed: bool,
    /// The worker has exited (done, gave up before the deadline, or panicked).
    worker_gone: bool,
    /// The worker has taken the previous runs' spool into `pending`.
    started: bool,
}

pub(crate) struct Shared {
    queue: Mutex<Queue>,
    work: Condvar,
    settled: Condvar,
    pub counters: Counters,
    tuning: Tuning,
}

fn lock(m: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What to do with events the worker cannot deliver in time.
pub(crate) struct Leftovers {
    pub spool: Option<Spool>,
    pub diag: Option<Output>,
    pub app: String,
}

impl Shared {
    pub(crate) fn new(tuning: Tuning) -> Arc<Self> {
        Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            work: Condvar::new(),
            settled: Condvar::new(),
            counters: Counters::default(),
            tuning,
        })
    }

    /// Queues one envelope; never waits on I/O (the lock is held for a push).
    pub(crate) fn push(&self, json: String) {
        let Ok(mut q) = self.queue.lock() else {
            self.counters.dropped.fetch_add(1, Relaxed);
            return;
        };
        let t = &self.tuning;
        if q.closed || q.pending.len() >= t.queue_events || q.pending_bytes + json.len() > t.queue_bytes {
            drop(q);
            self.counters.dropped.fetch_add(1, Relaxed);
            return;
        }
        let was_empty = q.pending.is_empty();
        q.pending_bytes += json.len();
        q.pending.push_back(Event { json, generation: 0 });
        if was_empty {
            q.oldest = Some(Instant::now());
        }
        let wake = was_empty || q.pending.len() == t.batch_events || q.pending_bytes >= t.batch_bytes;
        drop(q);
        if wake {
            self.work.notify_one();
        }
    }

    /// Events and bytes waiting in the queue now (not counting the batch in flight).
    pub(crate) fn queued(&self) -> (usize, usize) {
        let q = lock(&self.queue);
        (q.pending.len(), q.pending_bytes)
    }

    /// Records that no worker will ever run (it could not start).
    pub(crate) fn mark_worker_gone(&self) {
        lock(&self.queue).worker_gone = true;
        self.settled.notify_all();
    }

    /// Puts events spooled by earlier runs in front of the queue, and marks
    /// the worker started. Gives them back if the caller already closed.
    pub(crate) fn start(&self, events: Vec<Event>) -> Result<(), Vec<Event>> {
        let mut q = lock(&self.queue);
        q.started = true;
        if q.closed {
            return Err(events);
        }
        for e in events.into_iter().rev() {
            q.pending_bytes += e.json.len();
            q.pending.push_front(e);
        }
        if q.oldest.is_none() && !q.pending.is_empty() {
            q.oldest = Some(Instant::now());
        }
        Ok(())
    }

    /// Waits until everything queued so far is settled, or `timeout`.
    pub(crate) fn flush(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut q = lock(&self.queue);
        q.flushers += 1;
        self.work.notify_one();
        while (!q.pending.is_empty() || q.inflight.is_some()) && !q.worker_gone && !q.closed {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            q = self.settled.wait_timeout(q, deadline - now).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
        }
        q.flushers -= 1;
        q.pending.is_empty() && q.inflight.is_none()
    }

    /// Lets the worker send until `deadline`, then takes what is left and
    /// spools it (HTTP) or drops it (other transports). Returns whether the
    /// worker has exited.
    pub(crate) fn shutdown(&self, deadline: Instant, leftovers: &Leftovers) -> bool {
        let mut q = lock(&self.queue);
        if q.closed {
            return q.worker_gone;
        }
        q.shutdown = Some(deadline);
        self.work.notify_one();
        while (!q.started || !q.pending.is_empty() || q.inflight.is_some()) && !q.worker_gone {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            q = self.settled.wait_timeout(q, deadline - now).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
        }
        q.closed = true;
        let inflight = q.inflight.take();
        let pending: Vec<Event> = q.pending.drain(..).collect();
        q.pending_bytes = 0;
        let worker_gone = q.worker_gone;
        drop(q);
        self.work.notify_all();
        let mut rest: Vec<Event> = inflight.map(|b| b.as_ref().clone()).unwrap_or_default();
        rest.extend(pending);
        self.settle_leftovers(&rest, leftovers);
        worker_gone
    }

    fn settle_leftovers(&self, rest: &[Event], lo: &Leftovers) {
        let new = rest.iter().filter(|e| e.generation == 0).count() as u64;
        if rest.is_empty() {
            return;
        }
        let Some(spool) = &lo.spool else {
            self.counters.dropped.fetch_add(new, Relaxed);
            return;
        };
        for generation in 0..MAX_GENERATION {
            let group: Vec<&Event> = rest.iter().filter(|e| e.generation == generation).collect();
            if group.is_empty() {
                continue;
            }
            let n = if generation == 0 { group.len() as u64 } else { 0 };
            match spool.write(&group, generation + 1) {
                Ok(()) => {
                    self.counters.spooled.fetch_add(n, Relaxed);
                }
                Err(e) => {
                    self.counters.dropped.fetch_add(n, Relaxed);
                    if let Some(d) = &lo.diag {
                        d.write(&format!("[{} telemetry] could not spool {} events: {e}\n", lo.app, group.len()));
                    }
                }
            }
        }
    }
}

/// What the worker did with one batch.
enum Done {
    Sent,
    Dropped(String),
}

fn backoff(t: &Tuning, attempt: u32) -> Duration {
    let exp = t.backoff_base.saturating_mul(1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX)).min(t.backoff_max);
    // Jitter: a random point in [exp/2, exp].
    let r = getrandom::u32().unwrap_or(u32::MAX / 2);
    let half = exp / 2;
    half + half.mul_f64(f64::from(r) / f64::from(u32::MAX))
}

/// Runs the worker until it is done; a panic is caught and ends the worker
/// (what it had queued is spooled by the caller at exit).
pub(crate) fn run_worker(shared: Arc<Shared>, sink: Sink, spool_in: Option<Spool>, diag: Option<Output>, app: String) {
    let r = catch_unwind(AssertUnwindSafe(|| worker(&shared, &sink, spool_in.as_ref(), diag.as_ref(), &app)));
    if r.is_err()
        && let Some(d) = &diag
    {
        d.write(&format!("[{app} telemetry] delivery worker stopped after a panic\n"));
    }
    let mut q = lock(&shared.queue);
    q.worker_gone = true;
    drop(q);
    shared.settled.notify_all();
}

fn worker(shared: &Shared, sink: &Sink, spool_in: Option<&Spool>, diag: Option<&Output>, app: &str) {
    let t = &shared.tuning;
    let say = |msg: String| {
        if let Some(d) = diag {
            d.write(&format!("[{app} telemetry] {msg}\n"));
        }
    };
    let mut inherited = Vec::new();
    if let Some(spool) = spool_in {
        let (events, discarded) = spool.take_all();
        if discarded > 0 {
            say(format!("discarded {discarded} spooled events (too old, spooled too often, or unreadable)"));
        }
        if !events.is_empty() {
            say(format!("resending {} spooled events", events.len()));
        }
        inherited = events;
    }
    if let Err(events) = shared.start(inherited) {
        // The caller closed before we started: put them back, unchanged.
        if let Some(spool) = spool_in {
            for generation in 0..MAX_GENERATION {
                let group: Vec<&Event> = events.iter().filter(|e| e.generation == generation).collect();
                let _ = spool.write(&group, generation);
            }
        }
        return;
    }
    loop {
        // Wait for a batch to be due, then move it to `inflight`.
        let batch = {
            let mut q = lock(&shared.queue);
            loop {
                if q.closed {
                    return;
                }
                if q.pending.is_empty() {
                    if q.shutdown.is_some() {
                        return;
                    }
                    shared.settled.notify_all();
                    q = shared.work.wait(q).unwrap_or_else(|p| p.into_inner());
                    continue;
                }
                let age = q.oldest.map(|o| o.elapsed()).unwrap_or_default();
                if q.flushers > 0
                    || q.shutdown.is_some()
                    || q.pending.len() >= t.batch_events
                    || q.pending_bytes >= t.batch_bytes
                    || age >= t.batch_delay
                {
                    break;
                }
                q = shared
                    .work
                    .wait_timeout(q, t.batch_delay - age)
                    .map(|(g, _)| g)
                    .unwrap_or_else(|p| p.into_inner().0);
            }
            let mut batch = Vec::new();
            let mut bytes = 0;
            while let Some(e) = q.pending.front() {
                if !batch.is_empty() && (batch.len() >= t.batch_events || bytes + e.json.len() > t.batch_bytes) {
                    break;
                }
                bytes += e.json.len();
                batch.extend(q.pending.pop_front());
            }
            q.pending_bytes -= bytes;
            if q.pending.is_empty() {
                q.oldest = None;
            }
            let batch = Arc::new(batch);
            q.inflight = Some(batch.clone());
            batch
        };
        let texts: Vec<&str> = batch.iter().map(|e| e.json.as_str()).collect();
        let mut attempt = 0u32;
        let done = loop {
            match sink.deliver(&texts) {
                Outcome::Delivered => break Done::Sent,
                Outcome::Reject(why) => break Done::Dropped(why),
                Outcome::Retry { after, why } => {
                    let wait = after.map(|a| a.min(Duration::from_secs(600))).unwrap_or_else(|| backoff(t, attempt));
                    say(format!("delivery failed ({why}); retrying in {wait:?}"));
                    attempt = attempt.saturating_add(1);
                    let wake_at = Instant::now() + wait;
                    let mut q = lock(&shared.queue);
                    loop {
                        if q.closed {
                            return;
                        }
                        if q.shutdown.is_some_and(|deadline| wake_at > deadline) {
                            // Cannot make it before the exit deadline: leave the
                            // batch in `inflight` for the caller to spool.
                            return;
                        }
                        let now = Instant::now();
                        if now >= wake_at {
                            break;
                        }
                        q = shared
                            .work
                            .wait_timeout(q, wake_at - now)
                            .map(|(g, _)| g)
                            .unwrap_or_else(|p| p.into_inner().0);
                    }
                    drop(q);
                    shared.counters.retried.fetch_add(batch.len() as u64, Relaxed);
                }
            }
        };
        let mut q = lock(&shared.queue);
        if q.closed {
            // The caller took this batch at the deadline and spooled it.
            return;
        }
        // Counted under the lock, so whoever sees the batch settled sees it counted.
        q.inflight = None;
        let new = batch.iter().filter(|e| e.generation == 0).count() as u64;
        let old = batch.len() as u64 - new;
        match &done {
            Done::Sent => {
                shared.counters.sent.fetch_add(new, Relaxed);
                shared.counters.resent.fetch_add(old, Relaxed);
            }
            Done::Dropped(_) => {
                shared.counters.dropped.fetch_add(new, Relaxed);
            }
        }
        drop(q);
        if let Done::Dropped(why) = done {
            say(format!("dropped {} events: {why}", batch.len()));
        }
        shared.settled.notify_all();
    }
}
