//! Overflow to disk and back, so that a burst loses nothing at the
//! defaults while memory stays bounded. With a spool (HTTP and a writable state dir), an
//! envelope that finds the queue full goes to the overflow list (the
//! queue's bounds again) instead of being dropped; `record()` never waits.
//! The spooler, a second background thread, takes the overflow list once
//! it holds half those bounds and writes it as one spool file (generation
//! 1, through the state write gate, within the spool's bounds), so a burst
//! is not stuck behind a worker waiting on a slow collector. Once the queue
//! is empty again, the worker reads this run's files back and sends them;
//! what is still on disk at exit is the next run's, like any spooled event.
//! A recording loop faster than this thread fills the overflow list too;
//! then events are dropped (counted): on two busy cores a woken spooler can
//! wait milliseconds for a CPU.
//!
//! Counting: writing a file adds its events to `spooled`; reading it back
//! takes them out again (they are pending once more, and counted `sent`
//! when delivered), so `recorded == sent + spooled + dropped` holds once
//! settled and an event spooled then sent by one run counts once, as sent.
//! A file another process claimed first stays counted as spooled (that
//! process resends it). A full spool, or a write the gate refuses, drops
//! the batch (counted).

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::thread::{self, JoinHandle};

use super::pending::Spooler;
use super::pending::{Activity, Backlog};
use super::queue::Queue;
use crate::envelope::Event;
use crate::output::Diag;
use crate::spool::{Spool, SpoolError};

/// Starts the spooler thread, named `name`.
pub(crate) fn spawn(name: String, queue: Arc<Queue>, spool: Spool, diag: Diag) -> io::Result<JoinHandle<()>> {
    thread::Builder::new().name(name).spawn(move || {
        while let Some(batch) = queue.take_overflow() {
            let refs: Vec<&Event> = batch.iter().collect();
            let (n, written) = (batch.len(), spool.write(&refs, 1));
            let kept = written.as_ref().map_or(0, |(_, k)| *k);
            if kept < n {
                let why = match &written {
                    Ok(_) | Err(SpoolError::Full) => "the spool is full (Builder::limits)".to_string(),
                    Err(SpoolError::Io(e)) => e.to_string(),
                };
                diag.say(format_args!("dropped {} events the queue could not hold: {why}", n - kept));
            }
            queue.spooled(n as u64, written.ok().map(|(path, k)| (path, k as u64)));
        }
    })
}

impl Queue {
    /// Waits until the overflow is due for a file and the worker has listed
    /// the earlier runs' files (a file of ours must not be taken for one of
    /// theirs), then takes it all. `None`: closed, the spooler is done.
    fn take_overflow(&self) -> Option<Vec<Event>> {
        let mut q = self.state();
        loop {
            if q.closed() {
                return None;
            }
            if q.listed() && q.overflow_due(&self.tuning) {
                break;
            }
            q = self.spool.wait(q).unwrap_or_else(|p| p.into_inner());
        }
        q.spooler = Spooler::Writing;
        q.overflow_bytes = 0;
        Some(q.overflow.drain(..).collect())
    }

    /// Counts a spooler batch of `n` events: those in `file` (path, how
    /// many) spooled, and the file in the backlog for the worker to read
    /// back unless closed; the rest dropped (the spool was full, or the gate
    /// refused the write).
    fn spooled(&self, n: u64, file: Option<(PathBuf, u64)>) {
        let mut q = self.state();
        let kept = file.as_ref().map_or(0, |(_, k)| *k);
        self.counters.spooled.fetch_add(kept, Relaxed);
        self.counters.dropped.fetch_add(n - kept, Relaxed);
        if let Some((path, k)) = file
            && !q.closed()
        {
            q.backlog.push_back(Backlog { path, own: Some(k) });
        }
        // The overflow may have filled again while we wrote.
        q.spooler = if q.overflow_due(&self.tuning) { Spooler::Asked } else { Spooler::Idle };
        drop(q);
        self.notify_work();
        self.notify_settled();
    }

    /// Takes back what the worker read from `file` (`taken`: `None` when
    /// another process claimed it first). This run's events leave `spooled`
    /// and join the back of the queue as this run's again; an earlier run's
    /// go in front. `Err`: the caller closed meanwhile; the events go back
    /// to disk unchanged (this run's still counted as spooled).
    pub(crate) fn unspooled(&self, file: &Backlog, taken: Option<Vec<Event>>) -> Result<(), Vec<Event>> {
        let mut q = self.state();
        q.activity = Activity::Waiting;
        if q.closed() {
            drop(q);
            self.notify_settled();
            return Err(taken.unwrap_or_default());
        }
        match (file.own, taken) {
            (Some(n), Some(mut events)) => {
                let read = events.len() as u64;
                self.counters.spooled.fetch_sub(n, Relaxed);
                // Lines of our own file that did not parse back (a torn write).
                self.counters.dropped.fetch_add(n.saturating_sub(read), Relaxed);
                for e in &mut events {
                    e.generation = 0;
                }
                for e in events {
                    q.pending_bytes += e.size();
                    q.pending.push_back(e);
                }
            }
            (None, Some(events)) => {
                q.inherited += events.len();
                for e in events.into_iter().rev() {
                    q.pending_bytes += e.size();
                    q.pending.push_front(e);
                }
            }
            // Claimed by another process (or deleted by `disable`) first.
            (_, None) => {}
        }
        if !q.pending.is_empty() {
            q.oldest.get_or_insert_with(std::time::Instant::now);
        }
        drop(q);
        self.notify_settled();
        Ok(())
    }
}
