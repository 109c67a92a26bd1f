//! The bounded queue between `record()` and the worker, and the rules by
//! which the two hand events over.
//!
//! Ownership rule that keeps counters exact and nothing both sent and
//! spooled by this process: an event is in exactly one of `pending`,
//! `overflow` (did not fit in `pending`; waiting for the spooler, or for
//! room), the spooler's hands (being written), `Activity::Sending` (the batch the
//! worker is sending), or settled: sent, dropped, or spooled (on disk,
//! counted in `spooled`). A file this run spooled and the worker reads back
//! leaves `spooled` as its events re-enter `pending`, so an event spooled
//! and then sent by the same run counts once, as sent. At exit the caller
//! waits for the worker until the deadline, then moves to `Phase::Closed`
//! and takes `pending`, `overflow` and the batch being sent itself. A worker
//! that finishes a request after that counts nothing: those events are spooled and sent
//! again by the next run (collectors dedupe on `message_id`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::pending::{Activity, Backlog, Next, Phase, Spooler, State, one_run};
use super::stats::{Counters, Queued};
use super::tuning::Tuning;
use crate::envelope::Event;
use crate::transport::Pace;

/// The queue: its state under one lock, the condition variables its
/// threads wait on, and the counters; shared by the recording threads, the
/// worker, the spooler and the [`super::Delivery`] handle.
pub(crate) struct Queue {
    state: Mutex<State>,
    work: Condvar,
    settled: Condvar,
    /// Wakes the spooler (overflow due, worker started, closed).
    pub(super) spool: Condvar,
    /// Wakes recording threads waiting for the spooler to take a full
    /// overflow list (taken, closed).
    pub(super) taken: Condvar,
    pub counters: Counters,
    pub tuning: Tuning,
    /// Consent was withdrawn since this process started (`consent.rs`).
    pub withdrawn: AtomicBool,
}

pub(super) fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Queue {
    /// A queue that drops when full until told it [`Queue::overflows`].
    pub(crate) fn new(tuning: Tuning) -> Arc<Self> {
        Arc::new(Queue {
            state: Mutex::new(State::new(Spooler::Off)),
            work: Condvar::new(),
            settled: Condvar::new(),
            spool: Condvar::new(),
            taken: Condvar::new(),
            counters: Counters::default(),
            tuning,
            withdrawn: AtomicBool::new(false),
        })
    }

    /// There is a spool (told before anything is recorded): a full queue
    /// overflows to it.
    pub(super) fn overflows(&self) {
        lock(&self.state).spooler = Spooler::Unstarted;
    }

    /// The spooler could not start: a full queue drops again, and a
    /// recording thread waiting for its take stops waiting.
    pub(super) fn no_overflow(&self) {
        lock(&self.state).spooler = Spooler::Off;
        self.taken.notify_all();
    }

    pub(super) fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Waits on `cv` until woken or `until`; a poisoned lock is taken as is.
    pub(super) fn wait_until<'a>(
        &self,
        cv: &Condvar,
        q: MutexGuard<'a, State>,
        until: Instant,
    ) -> MutexGuard<'a, State> {
        let left = until.saturating_duration_since(Instant::now());
        cv.wait_timeout(q, left).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0)
    }

    // --- the recording side ---

    /// Queues one envelope; never waits on I/O (the lock is held for a
    /// push). A full queue overflows (when there is a spool) into a list of
    /// the same bounds that the spooler thread writes to disk; beyond that,
    /// the envelope waits for the spooler to take the list, or is dropped
    /// and counted ([`Queue::overflow`]). `true`: the spooler thread is
    /// due and not started, and the caller starts it.
    #[must_use = "true: the caller starts the spooler"]
    pub(crate) fn push(&self, event: Event) -> bool {
        let Ok(mut q) = self.state.lock() else {
            self.counters.dropped.fetch_add(1, Relaxed);
            return false;
        };
        let t = &self.tuning;
        if q.closed() {
            drop(q);
            self.counters.dropped.fetch_add(1, Relaxed);
            return false;
        }
        if !q.fits(t, event.size()) {
            return self.overflow(q, event);
        }
        let was_empty = q.pending.is_empty();
        q.pending_bytes += event.size();
        q.pending.push_back(event);
        if was_empty {
            q.oldest = Some(Instant::now());
        }
        let wake = was_empty || q.pending.len() == t.batch_events || q.pending_bytes >= t.batch_bytes;
        drop(q);
        if wake {
            self.work.notify_one();
        }
        false
    }

    /// Events and bytes waiting in memory now: the queue and its overflow
    /// (not counting the batch in flight or the one being spooled).
    pub(crate) fn queued(&self) -> Queued {
        let q = lock(&self.state);
        Queued { events: q.pending.len() + q.overflow.len(), bytes: q.pending_bytes + q.overflow_bytes }
    }

    /// Waits until everything recorded so far is settled (this run's
    /// overflow read back and sent too), or `timeout`.
    pub(crate) fn flush(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut q = lock(&self.state);
        q.flushers += 1;
        self.work.notify_one();
        while q.unsettled() && !q.worker_gone() && !q.closed() {
            if Instant::now() >= deadline {
                break;
            }
            q = self.wait_until(&self.settled, q, deadline);
        }
        q.flushers -= 1;
        !q.unsettled()
    }

    /// Lets the worker send until `deadline`, then closes the queue and
    /// takes what is left (the batch in flight first, then pending, then
    /// overflow). Returns the events and whether the spooler is writing a
    /// file (the only thread exit must wait for: the file must be whole); a
    /// second call takes nothing.
    pub(crate) fn close(&self, deadline: Instant) -> (Vec<Event>, bool) {
        let mut q = lock(&self.state);
        if q.closed() {
            return (Vec::new(), false);
        }
        if q.phase != Phase::WorkerGone {
            q.phase = Phase::Draining { until: deadline, listed: q.listed() };
        }
        self.work.notify_one();
        while q.busy_at_exit() && !q.worker_gone() {
            if Instant::now() >= deadline {
                break;
            }
            q = self.wait_until(&self.settled, q, deadline);
        }
        let worker_gone = q.worker_gone();
        q.phase = Phase::Closed { worker_gone };
        let writing = q.spooler == Spooler::Writing;
        let mut rest: Vec<Event> = match std::mem::take(&mut q.activity) {
            Activity::Sending(batch) => batch.as_ref().clone(),
            Activity::Waiting | Activity::Reading => Vec::new(),
        };
        rest.extend(q.pending.drain(..));
        rest.extend(q.overflow.drain(..));
        (q.pending_bytes, q.overflow_bytes) = (0, 0);
        drop(q);
        self.work.notify_all();
        self.spool.notify_all();
        self.taken.notify_all();
        (rest, writing)
    }

    /// Counts a batch delivered (`sent`) or refused: this run's events as
    /// sent or dropped, earlier runs' as resent (they were counted by theirs).
    pub(crate) fn count(&self, batch: &[Event], sent: bool) {
        let new = batch.iter().filter(|e| e.generation == 0).count() as u64;
        if sent {
            self.counters.sent.fetch_add(new, Relaxed);
            self.counters.resent.fetch_add(batch.len() as u64 - new, Relaxed);
        } else {
            self.counters.dropped.fetch_add(new, Relaxed);
        }
    }

    // --- the worker side ---

    /// Records that the worker has exited (or never ran).
    pub(crate) fn mark_worker_gone(&self) {
        let mut q = lock(&self.state);
        q.phase = match q.phase {
            Phase::Closed { .. } => Phase::Closed { worker_gone: true },
            _ => Phase::WorkerGone,
        };
        drop(q);
        self.settled.notify_all();
        self.spool.notify_all();
    }

    /// Lists the earlier runs' spool files for the worker to read (first,
    /// one at a time), and marks them listed. `false`: the caller
    /// already closed.
    pub(crate) fn start(&self, files: Vec<PathBuf>) -> bool {
        let mut q = lock(&self.state);
        q.phase = match q.phase {
            Phase::Starting => Phase::Running,
            Phase::Draining { until, .. } => Phase::Draining { until, listed: true },
            other => other,
        };
        let open = !q.closed();
        if open {
            q.backlog.extend(files.into_iter().map(|path| Backlog { path, own: None }));
        }
        drop(q);
        self.spool.notify_all();
        open
    }

    /// Waits for work: an earlier run's spool file to read (whenever none
    /// of its predecessors' events are pending), a due batch (full, old
    /// enough, flushed or shutting down; of one run's events only, see
    /// [`one_run`]; it becomes `Activity::Sending`), or, once
    /// the queue is empty and not shutting down, this run's overflow file
    /// to read back. `None`: the worker is done.
    pub(crate) fn next(&self) -> Option<Next> {
        let t = &self.tuning;
        let mut q = lock(&self.state);
        loop {
            if q.closed() {
                return None;
            }
            q.refill(t);
            let inherited = q.backlog.front().is_some_and(|b| b.own.is_none()) && q.inherited == 0;
            let own = q.pending.is_empty() && q.draining().is_none() && !q.backlog.is_empty();
            if inherited || own {
                q.activity = Activity::Reading;
                return q.backlog.pop_front().map(Next::Read);
            }
            if q.pending.is_empty() {
                if q.draining().is_some() {
                    return None;
                }
                self.settled.notify_all();
                q = self.work.wait(q).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            let age = q.oldest.map(|o| o.elapsed()).unwrap_or_default();
            if q.flushers > 0
                || q.draining().is_some()
                || q.pending.len() >= t.batch_events
                || q.pending_bytes >= t.batch_bytes
                || age >= t.batch_delay
            {
                break;
            }
            q = self.work.wait_timeout(q, t.batch_delay - age).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
        }
        let mut batch: Vec<Event> = Vec::new();
        let mut bytes = 0;
        while let Some(e) = q.pending.front() {
            let full = batch.len() >= t.batch_events || bytes + e.size() > t.batch_bytes;
            if batch.first().is_some_and(|first| full || !one_run(first, e)) {
                break;
            }
            bytes += e.size();
            batch.extend(q.pending.pop_front());
        }
        q.pending_bytes -= bytes;
        q.inherited -= batch.iter().filter(|e| e.generation > 0).count().min(q.inherited);
        if q.pending.is_empty() {
            q.oldest = None;
        }
        let pace = if q.pending.is_empty() && q.overflow.is_empty() && q.backlog.is_empty() {
            Pace::CaughtUp
        } else {
            Pace::Behind
        };
        let batch = Arc::new(batch);
        q.activity = Activity::Sending(batch.clone());
        Some(Next::Send(batch, pace))
    }

    /// Sleeps until `wake_at` to retry the batch in flight. `false`: stop
    /// now, because the caller closed, or the exit deadline comes first (the
    /// batch stays `Activity::Sending` for the caller to spool).
    pub(crate) fn wait_to_retry(&self, wake_at: Instant) -> bool {
        let mut q = lock(&self.state);
        loop {
            if q.closed() || q.draining().is_some_and(|deadline| wake_at > deadline) {
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
        let mut q = lock(&self.state);
        if q.closed() {
            return false;
        }
        q.activity = Activity::Waiting;
        self.count(batch, sent);
        true
    }

    /// Wakes the worker (a backlog file to read).
    pub(super) fn notify_work(&self) {
        self.work.notify_one();
    }

    /// Wakes whoever waits for the queue to settle (flush, shutdown).
    pub(crate) fn notify_settled(&self) {
        self.settled.notify_all();
    }
}
