//! What becomes of events not delivered by the exit deadline: spooled for
//! the next run (HTTP), or dropped (the other transports deliver now or never).

use std::sync::atomic::Ordering::Relaxed;

use super::stats::Counters;
use crate::envelope::Event;
use crate::output::Diag;
use crate::spool::{MAX_GENERATION, Spool};

/// Where leftovers go.
pub(crate) struct Leftovers {
    pub spool: Option<Spool>,
    pub diag: Diag,
}

impl Leftovers {
    /// Spools `rest` one file per generation, or drops it; counts only this
    /// process's own events (generation 0), since spooled ones were counted
    /// by the run that recorded them.
    pub(crate) fn settle(&self, rest: &[Event], counters: &Counters) {
        if rest.is_empty() {
            return;
        }
        let Some(spool) = &self.spool else {
            let new = rest.iter().filter(|e| e.generation == 0).count() as u64;
            counters.dropped.fetch_add(new, Relaxed);
            return;
        };
        for generation in 0..MAX_GENERATION {
            let group: Vec<&Event> = rest.iter().filter(|e| e.generation == generation).collect();
            if group.is_empty() {
                continue;
            }
            let n = group.len();
            let written = spool.write(&group, generation + 1).map(|(_, w)| w);
            let written = written.unwrap_or_else(|e| {
                self.diag.say(format_args!("could not spool {n} events: {e}"));
                0
            });
            if 0 < written && written < n {
                self.diag.say(format_args!("could not spool {} events: the spool is full", n - written));
            }
            // Only this process's own events count; earlier runs' counted in theirs.
            if generation == 0 {
                counters.spooled.fetch_add(written as u64, Relaxed);
                counters.dropped.fetch_add((n - written) as u64, Relaxed);
            }
        }
    }
}

/// Puts events read from a spool file back, unchanged: the worker read them
/// but the caller closed before they could be queued.
pub(crate) fn put_back(spool: &Spool, events: &[Event]) {
    for generation in 0..MAX_GENERATION {
        let group: Vec<&Event> = events.iter().filter(|e| e.generation == generation).collect();
        let _ = spool.write(&group, generation);
    }
}
