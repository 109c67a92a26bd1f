//! The time of each event a process records: its millisecond and its place
//! among the process's events of that millisecond, strictly later than the
//! event before it, so that a run's session id and an event's time
//! identify the event (the OTLP record's key: no per-record id).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

const NANOS_PER_MS: u64 = 1_000_000;

/// The last time handed out, in nanoseconds: a millisecond times 10^6
/// plus the ordinal within it.
#[derive(Default)]
pub(super) struct Clock(AtomicU64);

impl Clock {
    /// The time of an event recorded at `ms` (the wall clock): `ms` and the
    /// ordinal 0 if it is later than every earlier event, else one
    /// nanosecond after the last (the next ordinal; if the wall clock
    /// stepped back, times stay at the last until it catches up).
    pub(super) fn stamp(&self, ms: u64) -> (u64, u32) {
        let wall = ms.saturating_mul(NANOS_PER_MS);
        let next = |last: u64| wall.max(last.saturating_add(1));
        let last = self.0.fetch_update(Relaxed, Relaxed, |last| Some(next(last))).unwrap_or_else(|l| l);
        let at = next(last);
        (at / NANOS_PER_MS, (at % NANOS_PER_MS) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictly_later_than_the_last_within_a_millisecond_and_after_a_step_back() {
        let c = Clock::default();
        assert_eq!(c.stamp(1_000), (1_000, 0));
        assert_eq!(c.stamp(1_000), (1_000, 1));
        assert_eq!(c.stamp(1_000), (1_000, 2));
        assert_eq!(c.stamp(1_002), (1_002, 0));
        // The wall clock stepped back: held at the last millisecond, next ordinals.
        assert_eq!(c.stamp(999), (1_002, 1));
        assert_eq!(c.stamp(1_002), (1_002, 2));
        assert_eq!(c.stamp(1_003), (1_003, 0));
    }

    #[test]
    fn unique_across_threads() {
        let c = std::sync::Arc::new(Clock::default());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let c = c.clone();
                std::thread::spawn(move || (0..1000).map(|_| c.stamp(5)).collect::<Vec<_>>())
            })
            .collect();
        let mut all: Vec<_> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 4000);
        assert_eq!(all[3999], (5, 3999));
    }
}
