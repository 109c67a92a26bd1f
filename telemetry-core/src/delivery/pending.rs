//! What waits between `record()` and the worker: the pending queue, the
//! overflow that did not fit, the spool files still to read, and the
//! bounds checks on them. `queue.rs` holds the rules by which threads hand
//! these over; this file only the data and its arithmetic.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::tuning::Tuning;
use crate::envelope::Event;

/// A spool file the worker has still to read.
#[derive(Debug)]
pub(crate) struct Backlog {
    pub path: PathBuf,
    /// `Some(n)`: this run's overflow, `n` events counted in `spooled`;
    /// `None`: an earlier run's (its events count in `resent` once sent).
    pub own: Option<u64>,
}

/// What the worker does next.
pub(crate) enum Next {
    Send(Arc<Vec<Event>>),
    Read(Backlog),
}

#[derive(Debug, Default)]
pub(super) struct Queue {
    pub pending: VecDeque<Event>,
    pub pending_bytes: usize,
    /// When the oldest pending event arrived.
    pub oldest: Option<Instant>,
    /// How many events of earlier runs are in `pending`: the next of their
    /// files is read only when none are left, so one file at a time is in memory.
    pub inherited: usize,
    /// Envelopes that did not fit in `pending` (the queue's bytes, eight
    /// times its events: `Tuning::overflow_events`), only when
    /// `overflows`: the spooler writes them to disk, or the worker moves
    /// them to `pending` when there is room again.
    pub overflow: VecDeque<Event>,
    pub overflow_bytes: usize,
    /// There is a spool and a spooler thread: a full queue overflows.
    pub overflows: bool,
    /// The spooler was woken for the current overflow.
    pub spool_asked: bool,
    /// The spooler is writing a batch it took from `overflow`.
    pub spooling: bool,
    /// Spool files to read: earlier runs' first, then this run's overflow.
    pub backlog: VecDeque<Backlog>,
    /// The worker is reading a backlog file.
    pub unspooling: bool,
    pub inflight: Option<Arc<Vec<Event>>>,
    pub flushers: usize,
    /// Set by shutdown: the worker sends everything now, and exits when done.
    pub shutdown: Option<Instant>,
    /// The caller took over: the worker must not touch or count anything.
    pub closed: bool,
    /// The worker has exited (done, gave up before the deadline, or panicked).
    pub worker_gone: bool,
    /// The worker has listed the previous runs' spool files.
    pub started: bool,
}

impl Queue {
    pub(super) fn fits(&self, t: &Tuning, len: usize) -> bool {
        self.pending.len() < t.queue_events && self.pending_bytes + len <= t.queue_bytes
    }

    /// The overflow is worth a spool file: half the queue's bounds.
    pub(super) fn overflow_due(&self, t: &Tuning) -> bool {
        !self.overflow.is_empty()
            && (self.overflow.len() >= t.queue_events.div_ceil(2) || self.overflow_bytes >= t.queue_bytes / 2)
    }

    /// Moves overflow back into `pending` while it fits (oldest first).
    pub(super) fn refill(&mut self, t: &Tuning) {
        while let Some(e) = self.overflow.front() {
            if !self.fits(t, e.size()) {
                break;
            }
            let len = e.size();
            self.overflow_bytes -= len;
            self.pending_bytes += len;
            self.pending.extend(self.overflow.pop_front());
            self.oldest.get_or_insert_with(Instant::now);
        }
    }

    /// Something is still to be delivered or spooled (what `flush` waits for).
    pub(super) fn unsettled(&self) -> bool {
        !self.started
            || !self.pending.is_empty()
            || self.inflight.is_some()
            || !self.overflow.is_empty()
            || self.spooling
            || self.unspooling
            || !self.backlog.is_empty()
    }

    /// What exit waits for: this run's events and the earlier runs' files,
    /// not this run's own overflow files (they stay for the next run).
    pub(super) fn busy_at_exit(&self) -> bool {
        !self.started
            || !self.pending.is_empty()
            || self.inflight.is_some()
            || !self.overflow.is_empty()
            || self.unspooling
            || self.backlog.iter().any(|b| b.own.is_none())
    }
}
