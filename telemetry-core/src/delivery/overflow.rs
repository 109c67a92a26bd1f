//! The recording side of a full queue: the overflow list, and how a
//! recording thread keeps pace with the spooler that empties it (a wait for
//! its take, a move in memory; never for its write).

use std::sync::MutexGuard;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use super::pending::{Spooler, State};
use super::queue::Queue;
use crate::envelope::Event;

/// The longest a recording thread waits for the spooler to take a full
/// overflow list: only a spooler that is never scheduled comes near it
/// (the take itself is a move in memory); past it the event is dropped.
const TAKE_WAIT: Duration = Duration::from_secs(1);

impl Queue {
    /// The queue is full: into the overflow list if there is one with room,
    /// waking the spooler once it holds enough for a file. A list that is
    /// full while the spooler has been asked for it and has not yet taken
    /// it is waited for: that take is a move in memory under this lock (no
    /// I/O), and on busy cores a woken spooler can wait longer for a CPU
    /// than this loop takes to fill the list, which dropped up to a third
    /// of a 100k burst; waiting gives the spooler this thread's core (and
    /// [`Queue::keep_pace`] holds a thread that runs ahead before the list
    /// is full). While the spooler writes a file, or before the worker has
    /// listed the earlier runs' files, a full list drops the event
    /// (counted): `record()` never waits for a disk or the network.
    /// Returns whether the spooler is due and not started (see [`Queue::push`]).
    #[cold]
    pub(super) fn overflow(&self, mut q: MutexGuard<'_, State>, event: Event) -> bool {
        let t = &self.tuning;
        let mut give_up = None;
        loop {
            if q.closed() || q.spooler == Spooler::Off {
                break;
            }
            if q.overflow.len() < t.overflow_events() && q.overflow_bytes + event.size() <= t.queue_bytes {
                q.overflow_bytes += event.size();
                q.overflow.push_back(event);
                let start = q.spooler == Spooler::Unstarted;
                let wake = (start || q.spooler == Spooler::Idle) && q.overflow_due(t);
                if wake {
                    q.spooler = Spooler::Asked;
                    self.spool.notify_one();
                }
                // The thread that starts the spooler must not wait for it.
                if !start {
                    self.keep_pace(q);
                }
                return wake && start;
            }
            let until = *give_up.get_or_insert_with(|| Instant::now() + TAKE_WAIT);
            if q.spooler != Spooler::Asked || !q.listed() || Instant::now() >= until {
                break;
            }
            q = self.wait_until(&self.taken, q, until);
        }
        drop(q);
        self.counters.dropped.fetch_add(1, Relaxed);
        false
    }

    /// Holds a recording thread that runs ahead of the spooler (the list at
    /// twice what makes it due): while the spooler is asked and has not
    /// come, until its take (a move in memory, [`TAKE_WAIT`] at most); while
    /// it writes, for one yield of this thread's core, not for the write
    /// (`record()` never waits for a disk). Without it, on two busy cores a
    /// recording loop refilled the list faster than the spooler wrote it:
    /// the take grew to the whole list, its file took longer to write than
    /// the list took to fill again, and what found the list full was
    /// dropped (0.5–4.3 % of a 100k burst in 5 runs of 16; none in 44 with it).
    fn keep_pace(&self, mut q: MutexGuard<'_, State>) {
        let t = &self.tuning;
        if !q.listed() || !q.overflow_lagging(t) {
            return;
        }
        match q.spooler {
            Spooler::Asked => {
                let until = Instant::now() + TAKE_WAIT;
                while q.spooler == Spooler::Asked && q.overflow_lagging(t) && !q.closed() && Instant::now() < until {
                    q = self.wait_until(&self.taken, q, until);
                }
            }
            Spooler::Writing => {
                drop(q);
                std::thread::yield_now();
            }
            Spooler::Off | Spooler::Unstarted | Spooler::Idle => {}
        }
    }
}
