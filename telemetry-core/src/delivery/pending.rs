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
use crate::transport::Pace;

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
    Send(Arc<Vec<Event>>, Pace),
    Read(Backlog),
}

/// Whether `a` and `b` may share a request: recorded by one run under one
/// origin. A request that held two runs' events would link the runs, which
/// `identity: run` and `none` promise nothing does. Generation tells the
/// runs apart: this run's events are 0, and the others in memory are of one
/// earlier run, since the worker reads a spool file only once none of the
/// last one's events are pending, and every spool file holds one run's
/// events (one generation of what one process had). The origin tells this
/// run's events from its `metrics` event under `run` and `none`, which adds
/// up several runs' counts and so carries no run's id.
pub(crate) fn one_run(a: &Event, b: &Event) -> bool {
    a.generation == b.generation && Arc::ptr_eq(&a.origin, &b.origin)
}

/// Where delivery is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The worker has not listed the earlier runs' spool files yet: until
    /// then the spooler may not write (a file of ours must not be taken for
    /// one of theirs).
    Starting,
    /// Batches leave as they come due.
    Running,
    /// Shutdown asked: the worker sends everything now, and exits when done
    /// or when its next attempt would come after `until`. `listed`: the
    /// worker had listed the earlier runs' files (shutdown can come first).
    Draining { until: Instant, listed: bool },
    /// The worker has exited (done, gave up, or panicked) before the caller
    /// took over: nothing more is sent.
    WorkerGone,
    /// The caller took what was left: the worker must not touch or count
    /// anything. `worker_gone`: it has exited (nothing waits for it then).
    Closed { worker_gone: bool },
}

/// What the worker is doing with the events it took.
#[derive(Debug, Default)]
pub(crate) enum Activity {
    #[default]
    Waiting,
    /// Sending this batch (taken by the caller at the deadline if still there).
    Sending(Arc<Vec<Event>>),
    /// Reading a spool file back into the queue.
    Reading,
}

/// The spooler thread, as the queue sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spooler {
    /// No spool, or its thread could not start: a full queue drops.
    Off,
    /// A spool, and no thread yet: the first overflow due for a file starts
    /// it (`Delivery::push`). Most runs never overflow, and a thread's start
    /// on the way to a CLI's exit cost ~0.1 ms of its two cores.
    Unstarted,
    Idle,
    /// Woken for the current overflow.
    Asked,
    /// Writing a batch it took from the overflow.
    Writing,
}

/// The queue's state: what waits, and the phases of the threads that move it.
#[derive(Debug)]
pub(super) struct State {
    pub phase: Phase,
    pub activity: Activity,
    pub spooler: Spooler,
    pub pending: VecDeque<Event>,
    pub pending_bytes: usize,
    /// When the oldest pending event arrived.
    pub oldest: Option<Instant>,
    /// How many events of earlier runs are in `pending`: the next of their
    /// files is read only when none are left, so one file at a time is in memory.
    pub inherited: usize,
    /// Events that did not fit in `pending` (the queue's bytes, eight
    /// times its events: `Tuning::overflow_events`), only with a spooler:
    /// it writes them to disk, or the worker moves them to `pending` when
    /// there is room again.
    pub overflow: VecDeque<Event>,
    pub overflow_bytes: usize,
    /// Spool files to read: earlier runs' first, then this run's overflow.
    pub backlog: VecDeque<Backlog>,
    pub flushers: usize,
}

impl State {
    pub(super) fn new(spooler: Spooler) -> Self {
        State {
            phase: Phase::Starting,
            activity: Activity::Waiting,
            spooler,
            pending: VecDeque::new(),
            pending_bytes: 0,
            oldest: None,
            inherited: 0,
            overflow: VecDeque::new(),
            overflow_bytes: 0,
            backlog: VecDeque::new(),
            flushers: 0,
        }
    }

    pub(super) fn closed(&self) -> bool {
        matches!(self.phase, Phase::Closed { .. })
    }

    pub(super) fn worker_gone(&self) -> bool {
        matches!(self.phase, Phase::WorkerGone | Phase::Closed { worker_gone: true })
    }

    /// Whether the worker has listed the earlier runs' spool files (or
    /// exited): until then the spooler may not write.
    pub(super) fn listed(&self) -> bool {
        !matches!(self.phase, Phase::Starting | Phase::Draining { listed: false, .. })
    }

    /// The exit deadline, once shutdown was asked.
    pub(super) fn draining(&self) -> Option<Instant> {
        match self.phase {
            Phase::Draining { until, .. } => Some(until),
            _ => None,
        }
    }

    pub(super) fn fits(&self, t: &Tuning, len: usize) -> bool {
        self.pending.len() < t.queue_events && self.pending_bytes + len <= t.queue_bytes
    }

    /// The overflow is worth a spool file: half the queue's bounds.
    pub(super) fn overflow_due(&self, t: &Tuning) -> bool {
        !self.overflow.is_empty()
            && (self.overflow.len() >= t.queue_events.div_ceil(2) || self.overflow_bytes >= t.queue_bytes / 2)
    }

    /// The overflow holds twice what makes it due: the spooler, asked for
    /// it, has not come.
    pub(super) fn overflow_lagging(&self, t: &Tuning) -> bool {
        self.overflow.len() >= t.queue_events.div_ceil(2) * 2 || self.overflow_bytes >= t.queue_bytes
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
        !self.listed()
            || !self.pending.is_empty()
            || !matches!(self.activity, Activity::Waiting)
            || !self.overflow.is_empty()
            || self.spooler == Spooler::Writing
            || !self.backlog.is_empty()
    }

    /// What exit waits for: this run's events and the earlier runs' files,
    /// not this run's own overflow files (they stay for the next run).
    pub(super) fn busy_at_exit(&self) -> bool {
        !self.listed()
            || !self.pending.is_empty()
            || !matches!(self.activity, Activity::Waiting)
            || !self.overflow.is_empty()
            || self.backlog.iter().any(|b| b.own.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::tests::{event, origin};

    fn of(origin: &Arc<crate::envelope::Origin>, generation: u8) -> Event {
        Event { generation, ..event(origin, "ran", 1, 0, |_| {}) }
    }

    /// An earlier run's event read back under this run's origin (what the
    /// spool reader gives a line equal to this run's, as every line is
    /// under `identity: none`) is another generation; an origin with the
    /// same words but another handle (the `metrics` event's under `run`
    /// and `none`) is another origin: neither shares a request.
    #[test]
    fn one_run_is_one_generation_under_one_origin() {
        let own = origin("{}", "1.0", None);
        assert!(one_run(&of(&own, 0), &of(&own, 0)));
        assert!(one_run(&of(&own, 2), &of(&own, 2)));
        assert!(!one_run(&of(&own, 0), &of(&own, 1)));
        assert!(!one_run(&of(&own, 0), &of(&origin("{}", "1.0", None), 0)));
    }
}
