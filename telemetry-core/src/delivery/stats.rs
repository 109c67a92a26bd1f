//! The counters of one handle, and their public snapshot.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

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
