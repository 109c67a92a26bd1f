//! The counters of one handle, and their public snapshot.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// What waits in memory now, from [`crate::Telemetry::queued`]: the queue
/// and (HTTP with a state dir) its overflow list waiting for the spool, not
/// the batch being sent.
///
/// ```
/// # use telemetry_core::{MemorySink, Telemetry};
/// # static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
/// let telemetry = Telemetry::builder(&APP).for_tests(MemorySink::new()).build().unwrap();
/// let queued = telemetry.queued();
/// assert_eq!((queued.events, queued.bytes), (0, 0));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Queued {
    /// Events waiting.
    pub events: usize,
    /// Their size in bytes, as counted against the queue's byte bound.
    pub bytes: usize,
}

/// Counters of one [`crate::Telemetry`] handle.
///
/// Once all is settled (after [`crate::Telemetry::shutdown`], or a
/// successful flush), `recorded == sent + spooled + dropped`. `oversize`
/// is the part of `dropped` lost for its size; `resent`, `discarded` and
/// `rotated_away` are outside that sum (events of earlier runs, lines already sent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Events recorded while telemetry was on (whatever became of them).
    pub recorded: u64,
    /// Delivered: accepted by the endpoint, written to the file, or printed (debug, log-only).
    pub sent: u64,
    /// Delivery attempts repeated, counted per event.
    pub retried: u64,
    /// On disk for a later run: left at exit, or overflowed from a full
    /// queue and not read back by this run. An overflowed event this run
    /// reads back and delivers counts only as `sent`.
    pub spooled: u64,
    /// Lost: queue full (and, with a spool, its overflow list or the spool
    /// full too), over the size bound, rejected by the endpoint (4xx), or
    /// refused or expired (each also counted below).
    pub dropped: u64,
    /// Of `dropped`: events larger than the queue's byte bound
    /// ([`crate::Limits::with_queue_bytes`], 4 MiB by default), which no
    /// queue could ever hold. Reported in debug mode.
    pub oversize: u64,
    /// Of `dropped`: refused by `record()`, not checked against this app's
    /// schema (another app, a copy of the schema, an undeclared event name,
    /// a value hashed under a product key the schema never asks for).
    pub refused: u64,
    /// Of `dropped`: recorded on or after its event's `expires` date.
    pub expired: u64,
    /// Events spooled by earlier runs and delivered by this one (not part of `recorded`).
    pub resent: u64,
    /// Events spooled by earlier runs and discarded when read back (not
    /// part of `recorded`): too old, spooled too often, recorded under
    /// another id, under a schema other than this one (it would not send
    /// them, or not so), by an earlier release, or unreadable.
    pub discarded: u64,
    /// Lines of the JSON-lines file discarded by its rotation (the previous
    /// `events.jsonl.1`): written, so counted in `sent` by the run that
    /// wrote them, and no longer on disk.
    pub rotated_away: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub recorded: AtomicU64,
    pub sent: AtomicU64,
    pub retried: AtomicU64,
    pub spooled: AtomicU64,
    pub dropped: AtomicU64,
    pub refused: AtomicU64,
    pub expired: AtomicU64,
    pub resent: AtomicU64,
    pub discarded: AtomicU64,
    pub oversize: AtomicU64,
    pub rotated_away: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> Stats {
        Stats {
            recorded: self.recorded.load(Relaxed),
            sent: self.sent.load(Relaxed),
            retried: self.retried.load(Relaxed),
            spooled: self.spooled.load(Relaxed),
            dropped: self.dropped.load(Relaxed),
            refused: self.refused.load(Relaxed),
            expired: self.expired.load(Relaxed),
            resent: self.resent.load(Relaxed),
            discarded: self.discarded.load(Relaxed),
            oversize: self.oversize.load(Relaxed),
            rotated_away: self.rotated_away.load(Relaxed),
        }
    }
}
