//! How the queue, batching and retries are tuned (set by the builder's
//! groups, which hold the defaults).

use std::time::Duration;

/// Tuning of the queue, batching and retries.
#[derive(Debug, Clone)]
pub(crate) struct Tuning {
    pub queue_events: usize,
    pub queue_bytes: usize,
    pub batch_events: usize,
    pub batch_bytes: usize,
    pub batch_delay: Duration,
    /// Only HTTP retries: the other transports deliver now or never.
    pub backoff: Backoff,
}

impl Tuning {
    /// Events the overflow list may hold: its memory is bounded by the
    /// queue's bytes, and eight times the queue's event count lets a thread
    /// that records in a tight loop run a few milliseconds ahead of the
    /// spooler (at the queue's own count such a loop outruns it and drops).
    pub(crate) fn overflow_events(&self) -> usize {
        self.queue_events.saturating_mul(8)
    }
}

/// Retry delays: doubling from `base` up to `max`, with jitter.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The wait before retry number `attempt`: the server's `Retry-After`
    /// (`after`, capped at 10 minutes) when it gave one, else [`Backoff::delay`].
    pub(crate) fn wait(&self, after: Option<Duration>, attempt: u32) -> Duration {
        after.map(|a| a.min(Duration::from_secs(600))).unwrap_or_else(|| self.delay(attempt))
    }

    /// The wait before retry number `attempt` (from 0).
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        let exp = self.base.saturating_mul(1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX)).min(self.max);
        // Jitter: a random point in [exp/2, exp].
        let r = getrandom::u32().unwrap_or(u32::MAX / 2);
        let half = exp / 2;
        half + half.mul_f64(f64::from(r) / f64::from(u32::MAX))
    }
}
