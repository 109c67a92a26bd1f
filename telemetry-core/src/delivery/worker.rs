//! The delivery worker: one background thread that takes batches off the
//! queue and hands them to the sink, retrying (HTTP) with backoff. A panic
//! is caught and ends the worker; what it had is spooled by the caller at exit.

use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
#[cfg(feature = "http")]
use std::sync::atomic::Ordering::Relaxed;
use std::thread::{self, JoinHandle};
#[cfg(feature = "http")]
use std::time::{Duration, Instant};

use super::exit::put_back;
use super::queue::Shared;
use crate::output::Diag;
use crate::spool::{Event, Spool};
use crate::transport::{Outcome, Plan, Sink};

/// What the worker did with one batch.
enum Done {
    Sent,
    Dropped(String),
}

/// The worker, once its sink is open.
pub(crate) struct Worker {
    shared: Arc<Shared>,
    sink: Sink,
    /// The previous runs' spool, to send first.
    spool: Option<Spool>,
    diag: Diag,
}

impl Worker {
    /// Starts the worker on its own thread, named `name`. The sink is opened
    /// there: building an HTTP client takes a while, `build()` must not.
    pub(crate) fn spawn(
        name: String,
        shared: Arc<Shared>,
        plan: Plan,
        spool: Option<Spool>,
        diag: Diag,
    ) -> io::Result<JoinHandle<()>> {
        thread::Builder::new().name(name).spawn(move || Worker::run(shared, plan, spool, diag))
    }

    fn run(shared: Arc<Shared>, plan: Plan, spool: Option<Spool>, diag: Diag) {
        let worker = catch_unwind(AssertUnwindSafe(|| {
            let sink = match plan.open() {
                Ok(sink) => sink,
                Err(e) => {
                    diag.say(format_args!("cannot start HTTP client: {e}"));
                    return None;
                }
            };
            let worker = Worker { shared: shared.clone(), sink, spool, diag: diag.clone() };
            worker.work();
            Some(worker)
        }));
        if worker.is_err() {
            diag.say("delivery worker stopped after a panic");
        }
        shared.mark_worker_gone();
        // The sink (an HTTP client winds down its connections) is dropped
        // only now, so that exit does not wait for it.
        drop(worker);
    }

    fn work(&self) {
        if !self.inherit() {
            return;
        }
        while let Some(batch) = self.shared.next_batch() {
            let Some(done) = self.deliver(&batch) else { return };
            if !self.shared.settle(&batch, matches!(done, Done::Sent)) {
                return;
            }
            if let Done::Dropped(why) = done {
                self.diag.say(format_args!("dropped {} events: {why}", batch.len()));
            }
            self.shared.notify_settled();
        }
    }

    /// Takes the previous runs' spool into the front of the queue. `false`:
    /// the caller closed before we started (the events are put back).
    fn inherit(&self) -> bool {
        let mut inherited = Vec::new();
        if let Some(spool) = &self.spool {
            let (events, discarded) = spool.take_all();
            if discarded > 0 {
                self.diag.say(format_args!(
                    "discarded {discarded} spooled events (too old, spooled too often, or unreadable)"
                ));
            }
            if !events.is_empty() {
                self.diag.say(format_args!("resending {} spooled events", events.len()));
            }
            inherited = events;
        }
        match self.shared.start(inherited) {
            Ok(()) => true,
            Err(events) => {
                if let Some(spool) = &self.spool {
                    put_back(spool, &events);
                }
                false
            }
        }
    }

    /// One attempt: the transports other than HTTP deliver now or never.
    #[cfg(not(feature = "http"))]
    fn deliver(&self, batch: &[Event]) -> Option<Done> {
        let texts: Vec<&str> = batch.iter().map(|e| e.json.as_str()).collect();
        Some(match self.sink.deliver(&texts) {
            Outcome::Delivered => Done::Sent,
            Outcome::Reject(why) => Done::Dropped(why),
        })
    }

    /// Attempts until delivered or rejected, waiting between them
    /// (`Retry-After`, capped at 10 minutes, or backoff). `None`: stop now
    /// (closed, or the next attempt would come after the exit deadline).
    #[cfg(feature = "http")]
    fn deliver(&self, batch: &[Event]) -> Option<Done> {
        let texts: Vec<&str> = batch.iter().map(|e| e.json.as_str()).collect();
        let mut attempt = 0u32;
        loop {
            match self.sink.deliver(&texts) {
                Outcome::Delivered => return Some(Done::Sent),
                Outcome::Reject(why) => return Some(Done::Dropped(why)),
                Outcome::Retry { after, why } => {
                    let wait = after
                        .map(|a| a.min(Duration::from_secs(600)))
                        .unwrap_or_else(|| self.shared.tuning.backoff.delay(attempt));
                    self.diag.say(format_args!("delivery failed ({why}); retrying in {wait:?}"));
                    attempt = attempt.saturating_add(1);
                    if !self.shared.wait_to_retry(Instant::now() + wait) {
                        return None;
                    }
                    self.shared.counters.retried.fetch_add(batch.len() as u64, Relaxed);
                }
            }
        }
    }
}
