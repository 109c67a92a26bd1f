//! The bounded queue between `record()` and the worker, and the rules by
//! which the two hand events over.
//!
//! Ownership rule that keeps counters exact and nothing both sent and
//! spooled by this process: an event is in exactly one of `pending`,
//! `inflight` (the batch the worker is sending) or settled. At exit the
//! caller waits for the worker until the deadline, then sets `closed` and
//! takes `pending` and `inflight` itself. A worker that finishes a request
//! after `closed` counts nothing: those events are spooled and sent again by
//! the next run (collectors dedupe on `message_id`).

use std::collections::VecDeque;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::stats::Counters;
use crate::spool::Event;

/// Tuning of the queue, batching and retries.
#[derive(Debug, Clone)]
pub(crate) struct Tuning {
    pub queue_events: usize,
    pub queue_bytes: usize,
    pub batch_events: usize,
    pub batch_bytes: usize,
    pub batch_delay: Duration,
    /// Only HTTP retries: the other transports deliver now or never.
    #[cfg(feature = "http")]
    pub backoff: Backoff,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            queue_events: 1000,
            queue_bytes: 4 << 20,
            batch_events: 100,
            batch_bytes: 256 << 10,
            batch_delay: Duration::from_secs(2),
            #[cfg(feature = "http")]
            backoff: Backoff { base: Duration::from_millis(500), max: Duration::from_secs(60) },
        }
    }
}

/// Retry delays: doubling from `base` up to `max`, with jitter.
#[cfg(feature = "http")]
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

#[cfg(feature = "http")]
impl Backoff {
    /// The wait before retry number `attempt` (from 0).
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        let exp = self.base.saturating_mul(1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX)).min(self.max);
        // Jitter: a random point in [exp/2, exp].
        let r = getrandom::u32().unwrap_or(u32::MAX / 2);
        let half = exp / 2;
        half + half.mul_f64(f64::from(r) / f64::from(u32::MAX))
    }
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

/// The queue and counters, shared by the recording threads, the worker and
/// the [`super::Delivery`] handle.
pub(crate) struct Shared {
    queue: Mutex<Queue>,
    work: Condvar,
    settled: Condvar,
    pub counters: Counters,
    pub tuning: Tuning,
}

fn lock(m: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    m.lock().unwrap_or_else(|p| p.into_inner())
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

    /// Waits on `cv` until woken or `until`; a poisoned lock is taken as is.
    fn wait_until<'a>(&self, cv: &Condvar, q: MutexGuard<'a, Queue>, until: Instant) -> MutexGuard<'a, Queue> {
        let left = until.saturating_duration_since(Instant::now());
        cv.wait_timeout(q, left).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0)
    }

    // --- the recording side ---

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

    /// Waits until everything queued so far is settled, or `timeout`.
    pub(crate) fn flush(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut q = lock(&self.queue);
        q.flushers += 1;
        self.work.notify_one();
        while (!q.pending.is_empty() || q.inflight.is_some()) && !q.worker_gone && !q.closed {
            if Instant::now() >= deadline {
                break;
            }
            q = self.wait_until(&self.settled, q, deadline);
        }
        q.flushers -= 1;
        q.pending.is_empty() && q.inflight.is_none()
    }

    /// Lets the worker send until `deadline`, then closes the queue and
    /// takes what is left (the batch in flight first). Returns the events
    /// and whether the worker has exited; a second call takes nothing.
    pub(crate) fn close(&self, deadline: Instant) -> (Vec<Event>, bool) {
        let mut q = lock(&self.queue);
        if q.closed {
            return (Vec::new(), q.worker_gone);
        }
        q.shutdown = Some(deadline);
        self.work.notify_one();
        while (!q.started || !q.pending.is_empty() || q.inflight.is_some()) && !q.worker_gone {
            if Instant::now() >= deadline {
                break;
            }
            q = self.wait_until(&self.settled, q, deadline);
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
        (rest, worker_gone)
    }

    // --- the worker side ---

    /// Records that the worker has exited (or never ran).
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

    /// Waits for a batch to be due (full, old enough, flushed or shutting
    /// down), then moves it to `inflight`. `None`: the worker is done.
    pub(crate) fn next_batch(&self) -> Option<Arc<Vec<Event>>> {
        let t = &self.tuning;
        let mut q = lock(&self.queue);
        loop {
            if q.closed {
                return None;
            }
            if q.pending.is_empty() {
                if q.shutdown.is_some() {
                    return None;
                }
                self.settled.notify_all();
                q = self.work.wait(q).unwrap_or_else(|p| p.into_inner());
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
            q = self.work.wait_timeout(q, t.batch_delay - age).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
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
        Some(batch)
    }

    /// Sleeps until `wake_at` to retry the batch in flight. `false`: stop
    /// now, because the caller closed, or the exit deadline comes first (the
    /// batch stays in `inflight` for the caller to spool).
    #[cfg(feature = "http")]
    pub(crate) fn wait_to_retry(&self, wake_at: Instant) -> bool {
        let mut q = lock(&self.queue);
        loop {
            if q.closed || q.shutdown.is_some_and(|deadline| wake_at > deadline) {
                return false;
            }
            if Instant::now() >= wake_at {
                return true;
            }
            q = self.wait_until(&self.work, q, wake_at);
        }
    }

    /// Counts the batch in flight as sent or dropped and clears it, under
    /// the lock, so whoever sees the batch settled sees it counted. `false`:
    /// the caller closed and took this batch at the deadline (nothing counted).
    pub(crate) fn settle(&self, batch: &[Event], sent: bool) -> bool {
        let mut q = lock(&self.queue);
        if q.closed {
            return false;
        }
        q.inflight = None;
        let new = batch.iter().filter(|e| e.generation == 0).count() as u64;
        if sent {
            self.counters.sent.fetch_add(new, Relaxed);
            self.counters.resent.fetch_add(batch.len() as u64 - new, Relaxed);
        } else {
            self.counters.dropped.fetch_add(new, Relaxed);
        }
        true
    }

    /// Wakes whoever waits for the queue to settle (flush, shutdown).
    pub(crate) fn notify_settled(&self) {
        self.settled.notify_all();
    }
}
