//! Overflow to disk and back, so that a burst loses nothing at the
//! defaults while memory stays bounded. With a spool (HTTP and a writable state dir), an
//! envelope that finds the queue full goes to the overflow list (the
//! queue's bounds again) instead of being dropped; `record()` never waits
//! for a disk.
//! The spooler, a second background thread started by the first overflow
//! due for a file (most runs never start it), takes the overflow list once
//! it holds half those bounds and writes it as one spool file (generation
//! 1, through the state write gate, within the spool's bounds), so a burst
//! is not stuck behind a worker waiting on a slow collector. Once the queue
//! is empty again, the worker reads this run's files back and sends them;
//! what is still on disk at exit is the next run's, like any spooled event.
//! On two busy cores a woken spooler can wait longer for a CPU than a
//! recording loop takes to fill the list: a recording thread that finds
//! the list full while the spooler is asked for it waits for its take (a
//! move in memory, `Queue::overflow`), which hands the spooler a core. A
//! list that fills while the spooler writes drops events (counted).
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
            if q.listed() && q.spooler == Spooler::Asked {
                // Asked, but the worker moved the overflow back into the
                // queue first: idle again, so that the push that makes it
                // due wakes this thread (left asked, it slept while the
                // list filled, and a full list waited for it in vain); and
                // the recording threads waiting for a take that will not
                // come are told (they slept out their whole wait).
                q.spooler = Spooler::Idle;
                self.taken.notify_all();
            }
            q = self.spool.wait(q).unwrap_or_else(|p| p.into_inner());
        }
        q.spooler = Spooler::Writing;
        q.overflow_bytes = 0;
        let taken = q.overflow.drain(..).collect();
        drop(q);
        // Recording threads may be waiting for this room (`Queue::overflow`).
        self.taken.notify_all();
        Some(taken)
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering::Relaxed;
    use std::thread;
    use std::time::{Duration, Instant};

    use super::super::tuning::{Backoff, Tuning};
    use super::*;
    use crate::envelope::tests::{event, origin};

    /// Room for 2 events in the queue and 16 in its overflow list; no
    /// worker (nothing leaves `pending`), and the spooler is this test.
    fn full_queue() -> Arc<Queue> {
        let second = Duration::from_secs(1);
        let q = Queue::new(Tuning {
            queue_events: 2,
            queue_bytes: 1 << 20,
            batch_events: 500,
            batch_bytes: 1 << 20,
            batch_delay: second,
            backoff: Backoff { base: second, max: second },
        });
        q.overflows();
        let o = origin("{}", "1.0", None);
        // Filled before the earlier runs' files are listed: no recording
        // thread is held for a spooler (`Queue::keep_pace`) until then.
        for i in 0..18 {
            let _ = q.push(event(&o, "ran", i, 0, |_| {}));
        }
        assert!(q.start(Vec::new()), "the earlier runs' files are listed");
        assert_eq!((q.queued().events, q.counters.dropped.load(Relaxed)), (18, 0));
        q
    }

    /// The same queue, its overflow list holding `n` events (up to 16).
    fn overflowing(n: u64) -> Arc<Queue> {
        let q = full_queue();
        let mut s = q.state();
        while s.overflow.len() as u64 > n {
            let e = s.overflow.pop_back().unwrap();
            s.overflow_bytes -= e.size();
        }
        drop(s);
        q
    }

    /// Records one event into the full queue on its own thread, and comes
    /// back (as a spooler woken on busy cores does) only once that thread
    /// has returned, or a while later if it is still waiting.
    fn record_then_come_late(q: &Arc<Queue>, late: impl FnOnce(&Queue)) {
        let o = origin("{}", "1.0", None);
        thread::scope(|s| {
            let recorder = s.spawn(|| q.push(event(&o, "ran", 18, 0, |_| {})));
            let since = Instant::now();
            while !recorder.is_finished() && since.elapsed() < Duration::from_millis(200) {
                thread::sleep(Duration::from_millis(1));
            }
            late(q);
            recorder.join().unwrap();
        });
    }

    /// The spooler was woken for the overflow list and has not run yet when
    /// the recording thread finds the list full (on two busy cores this
    /// dropped up to a third of a 100k burst at the defaults): the event
    /// waits for the spooler's take, a move in memory, and is not dropped.
    #[test]
    fn a_full_overflow_waits_for_the_woken_spooler_instead_of_dropping() {
        let q = full_queue();
        let mut taken = Vec::new();
        record_then_come_late(&q, |q| taken = q.take_overflow().expect("not closed"));
        assert_eq!(q.counters.dropped.load(Relaxed), 0, "the event was dropped");
        assert_eq!(taken.len(), 16, "the spooler took the whole list");
        assert_eq!(q.queued().events, 3, "the queue's 2 and the event, in the emptied list");
    }

    /// The spooler, woken for an overflow the worker then moved back into
    /// the queue (room again), finds nothing due and sleeps: the push that
    /// makes the list due again wakes it, and it takes the list.
    #[test]
    fn a_spooler_that_found_nothing_due_is_woken_again() {
        let q = full_queue();
        {
            // The worker sent what was pending and the overflow it refilled from.
            let mut s = q.state();
            (s.pending_bytes, s.overflow_bytes) = (0, 0);
            s.pending.clear();
            s.overflow.clear();
        }
        let o = origin("{}", "1.0", None);
        let taken = thread::scope(|s| {
            let spooler = s.spawn(|| q.take_overflow());
            // Let the spooler find nothing due and sleep.
            let since = Instant::now();
            while !spooler.is_finished() && since.elapsed() < Duration::from_millis(100) {
                thread::sleep(Duration::from_millis(1));
            }
            for i in 0..3 {
                let _ = q.push(event(&o, "ran", 100 + i, 0, |_| {}));
            }
            let since = Instant::now();
            while !spooler.is_finished() && since.elapsed() < Duration::from_secs(10) {
                thread::sleep(Duration::from_millis(1));
            }
            // Releases a spooler that was never woken.
            q.close(Instant::now());
            spooler.join().unwrap()
        });
        assert_eq!(taken.map(|t| t.len()), Some(1), "the spooler was not woken for the due list");
    }

    /// The overflow list holds twice what makes it due (the queue's 2
    /// events: 1, so 2) and the spooler, asked for it, has not come: the
    /// recording thread that pushes waits for its take, so that the take,
    /// and the file written from it, stay short (without it, the take grew
    /// to the whole list on busy cores and the list refilled while it was
    /// written: 0.5–4.3 % of a 100k burst dropped in 5 of 16 runs).
    #[test]
    fn a_recording_thread_ahead_of_an_asked_spooler_waits_for_its_take() {
        let q = overflowing(1);
        assert_eq!(q.state().spooler, Spooler::Asked, "due, and the spooler asked");
        let mut waited = false;
        let mut taken = Vec::new();
        let o = origin("{}", "1.0", None);
        thread::scope(|s| {
            let recorder = s.spawn(|| q.push(event(&o, "ran", 18, 0, |_| {})));
            thread::sleep(Duration::from_millis(100));
            waited = !recorder.is_finished();
            taken = q.take_overflow().expect("not closed");
            assert!(!recorder.join().unwrap(), "the spooler was started already");
        });
        assert!(waited, "the recording thread ran ahead of the spooler");
        assert_eq!((taken.len(), q.counters.dropped.load(Relaxed)), (2, 0));
    }

    /// While the spooler writes a file, a thread ahead of it only yields
    /// its core (the write is disk I/O): it does not wait for the write.
    #[test]
    fn a_recording_thread_ahead_of_a_writing_spooler_does_not_wait_for_the_write() {
        let q = overflowing(1);
        let first = q.take_overflow().expect("not closed");
        assert_eq!((first.len(), q.state().spooler), (1, Spooler::Writing));
        let o = origin("{}", "1.0", None);
        let started = Instant::now();
        for i in 0..4 {
            let _ = q.push(event(&o, "ran", 20 + i, 0, |_| {}));
        }
        assert!(started.elapsed() < Duration::from_millis(500), "waited {:?}", started.elapsed());
        assert_eq!((q.state().overflow.len(), q.counters.dropped.load(Relaxed)), (4, 0));
    }

    /// A spooler woken for an overflow the worker then moved back into the
    /// queue goes idle, and tells a recording thread waiting for its take:
    /// that thread does not sleep out its whole wait.
    #[test]
    fn a_spooler_that_finds_nothing_due_releases_a_waiting_recorder() {
        let q = overflowing(1);
        let o = origin("{}", "1.0", None);
        let took = thread::scope(|s| {
            let recorder = s.spawn(|| {
                let started = Instant::now();
                let _ = q.push(event(&o, "ran", 18, 0, |_| {}));
                started.elapsed()
            });
            thread::sleep(Duration::from_millis(50));
            {
                // The worker sent what was pending and refilled from the overflow.
                let mut s = q.state();
                (s.pending_bytes, s.overflow_bytes) = (0, 0);
                s.pending.clear();
                s.overflow.clear();
            }
            let spooler = s.spawn(|| q.take_overflow());
            let took = recorder.join().unwrap();
            q.close(Instant::now());
            let _ = spooler.join();
            took
        });
        assert!(took < Duration::from_millis(900), "the recorder slept out its wait: {took:?}");
    }

    /// Exit does not wait for a recording thread waiting for the spooler:
    /// closing releases it, and its event is dropped, counted.
    #[test]
    fn exit_releases_a_recording_thread_waiting_for_the_spooler() {
        let q = full_queue();
        let mut rest = Vec::new();
        record_then_come_late(&q, |q| rest = q.close(Instant::now()).0);
        assert_eq!(rest.len(), 18, "exit took the queue and its overflow");
        assert_eq!(q.counters.dropped.load(Relaxed), 1, "the late event was dropped, counted");
        assert!(q.take_overflow().is_none(), "the spooler is done");
    }
}
