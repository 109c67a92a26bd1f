//! Exit: the last batch sent on the exiting thread when the worker has not
//! taken it (HTTP), and what becomes of events not delivered by the exit
//! deadline: spooled for the next run (HTTP), or dropped (the other
//! transports deliver now or never).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::Ordering::Relaxed;
use std::time::Instant;

use super::pending::{Activity, Phase, Spooler, one_run};
use super::queue::Queue;
use super::stats::Counters;
use crate::envelope::Event;
use crate::output::Diag;
use crate::spool::{MAX_GENERATION, Spool};
use crate::transport::{HttpPlan, Outcome, Pace};

/// Where leftovers go.
pub(crate) struct Leftovers {
    pub spool: Option<Spool>,
    pub diag: Diag,
}

impl Leftovers {
    /// Sends what is pending on this thread if the worker has not taken it
    /// ([`Queue::take_last`]), as the worker would: consent re-read before
    /// each attempt, a failed attempt retried after its backoff (or
    /// `Retry-After`) if the next would start before `deadline`, each with
    /// a client of its own whose request ends by `deadline`. Not delivered
    /// by then, it is spooled for the next run as at the deadline; refused,
    /// dropped. A panic stays here: the events are spooled, the caller goes on.
    pub(crate) fn send_last(&self, queue: &Queue, plan: &HttpPlan, deadline: Instant) {
        let Some(batch) = queue.take_last() else { return };
        let mut attempt = 0u32;
        let why = loop {
            if !super::consent::still_given(self.spool.as_ref()) {
                return super::consent::erase(queue, &self.diag, &batch);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let sent =
                catch_unwind(AssertUnwindSafe(|| plan.open(left).map(|sink| sink.deliver(&batch, Pace::CaughtUp))));
            let (after, why) = match sent {
                Ok(Ok(Outcome::Delivered | Outcome::Written { .. })) => return queue.count(&batch, true),
                Ok(Ok(Outcome::Reject(why))) => {
                    queue.count(&batch, false);
                    return self.diag.say(format_args!("dropped {} events: {why}", batch.len()));
                }
                Ok(Ok(Outcome::Retry { after, why })) => (after, why),
                Ok(Err(e)) => break format!("cannot start HTTP client: {e}"),
                Err(_) => break "delivery at exit stopped after a panic".into(),
            };
            let wait = queue.tuning.backoff.wait(after, attempt);
            if Instant::now() + wait >= deadline {
                break format!("delivery failed ({why})");
            }
            self.diag.say(format_args!("delivery failed ({why}); retrying in {wait:?}"));
            std::thread::sleep(wait);
            queue.counters.retried.fetch_add(batch.len() as u64, Relaxed);
            attempt = attempt.saturating_add(1);
        };
        self.diag.say(format_args!("{why}; keeping {} events for the next run", batch.len()));
        self.settle(&batch, &queue.counters);
    }

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

impl Queue {
    /// Takes the last batch for the exiting thread to send itself, when the
    /// worker has not taken it: everything pending is one batch of one run,
    /// the worker waits (it is sending or reading nothing), and nothing else
    /// is left (no overflow, no spool file to read). The queue is closed as
    /// at the deadline: the worker stops when it next looks, and the caller
    /// counts what it sends.
    ///
    /// A CLI records and exits before its worker's first batch is due: this
    /// spares its exit waking the worker, and the worker's thread opening
    /// its client on a core the exiting thread needs (issue 24,
    /// BENCHMARKS.md).
    pub(crate) fn take_last(&self) -> Option<Vec<Event>> {
        let t = &self.tuning;
        let mut q = self.state();
        let idle = q.phase == Phase::Running;
        let first = q.pending.front()?;
        let one_batch = q.pending.len() <= t.batch_events
            && q.pending_bytes <= t.batch_bytes
            && q.pending.iter().all(|e| one_run(first, e));
        let alone = matches!(q.activity, Activity::Waiting)
            && q.overflow.is_empty()
            && q.backlog.is_empty()
            && matches!(q.spooler, Spooler::Off | Spooler::Unstarted);
        if !(idle && one_batch && alone) {
            return None;
        }
        q.phase = Phase::Closed { worker_gone: false };
        let batch: Vec<Event> = q.pending.drain(..).collect();
        (q.pending_bytes, q.oldest) = (0, None);
        drop(q);
        self.notify_work();
        self.spool.notify_all();
        self.taken.notify_all();
        self.notify_settled();
        Some(batch)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::super::tuning::{Backoff, Tuning};
    use super::*;
    use crate::envelope::tests::{event, origin};

    /// A queue as `Delivery::start` leaves it: the earlier runs' files
    /// (here `files`) listed.
    fn queue(batch_events: usize, files: &[&str]) -> Arc<Queue> {
        let second = Duration::from_secs(1);
        let q = Queue::new(Tuning {
            queue_events: 100,
            queue_bytes: 1 << 20,
            batch_events,
            batch_bytes: 1 << 20,
            batch_delay: second,
            backoff: Backoff { base: second, max: second },
        });
        assert!(q.start(files.iter().map(std::path::PathBuf::from).collect()));
        q
    }

    /// A CLI's run: one batch of its own events, the worker waiting for it
    /// to be due: exit takes them all, and the queue is closed, so a late
    /// record is dropped and the worker finds nothing.
    #[test]
    fn exit_takes_one_batch_of_one_run_from_an_idle_worker() {
        let o = origin("{}", "1.0", None);
        let q = queue(3, &[]);
        for i in 0..3 {
            assert!(!q.push(event(&o, "ran", i, 0, |_| {})));
        }
        let taken = q.take_last().expect("taken");
        assert_eq!(taken.iter().map(|e| e.message_id.as_u128()).collect::<Vec<_>>(), [0, 1, 2]);
        assert!(q.state().closed());
        assert!(!q.push(event(&o, "ran", 3, 0, |_| {})));
        assert_eq!(q.counters.dropped.load(Relaxed), 1);
        assert!(q.next().is_none(), "the worker has nothing to do");
        assert_eq!(q.close(Instant::now()).0.len(), 0, "nothing left for the deadline");
        assert!(q.take_last().is_none(), "a second shutdown takes nothing");
    }

    /// What exit leaves to the worker (waited for until the deadline, as
    /// before): more than a batch, two runs' events, an earlier run's file
    /// to read first, a batch in flight.
    #[test]
    fn exit_leaves_to_the_worker_what_is_more_than_one_batch_of_one_run() {
        let o = origin("{}", "1.0", None);
        let more = queue(2, &[]);
        for i in 0..3 {
            let _ = more.push(event(&o, "ran", i, 0, |_| {}));
        }
        assert!(more.take_last().is_none(), "three events, batches of two");

        let two_runs = queue(10, &[]);
        let _ = two_runs.push(event(&o, "ran", 1, 0, |_| {}));
        let _ = two_runs.push(event(&origin("{}", "1.0", None), "metrics", 2, 0, |_| {}));
        assert!(two_runs.take_last().is_none(), "another origin's event");

        let inherited = queue(10, &["/nonexistent/spool/1-g1.jsonl"]);
        let _ = inherited.push(event(&o, "ran", 1, 0, |_| {}));
        assert!(inherited.take_last().is_none(), "an earlier run's file to send first");

        let sending = queue(10, &[]);
        let _ = sending.push(event(&o, "ran", 1, 0, |_| {}));
        sending.flush(Duration::ZERO);
        assert!(matches!(sending.next(), Some(super::super::pending::Next::Send(..))));
        let _ = sending.push(event(&o, "ran", 2, 0, |_| {}));
        assert!(sending.take_last().is_none(), "a batch in flight");
        for q in [more, two_runs, inherited, sending] {
            assert!(!q.state().closed());
        }
    }
}
