//! The delivery worker: one background thread that takes batches off the
//! queue and hands them to the sink, retrying (HTTP) with backoff, and
//! reads spool files back into the queue (the earlier runs' first, one at a
//! time; this run's overflow once the queue is empty). A panic is caught
//! and ends the worker; what it had is spooled by the caller at exit.

use std::cell::{Cell, OnceCell};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::thread::{self, JoinHandle};
use std::time::Instant;

use super::exit::put_back;
use super::pending::{Backlog, Next};
use super::queue::Queue;
use crate::envelope::Event;
use crate::output::Diag;
use crate::spool::Spool;
use crate::state::Gate;
use crate::transport::{Outcome, Pace, Plan, Sink};

/// What the worker did with one batch.
enum Done {
    Sent,
    Dropped(String),
}

/// The worker: its sink opened at its first batch, from the plan and gate.
pub(crate) struct Worker {
    shared: Arc<Queue>,
    /// What the sink is opened from, until it is.
    unopened: Cell<Option<(Plan, Option<Gate>)>>,
    /// The sink once opened; `None` if it could not be.
    sink: OnceCell<Option<Sink>>,
    /// The spool: the previous runs' files to send first, this run's overflow to send back.
    spool: Option<Spool>,
    diag: Diag,
}

/// What `build()` hands the worker once it has the identity
/// ([`super::Delivery::start`]).
pub(crate) struct Handoff {
    pub spool: Option<Spool>,
    /// The state dir's write gate: what the JSON-lines file is written through.
    pub gate: Option<Gate>,
}

impl Worker {
    /// Starts the worker on its own thread, named `name`, once `build()`
    /// has the identity and listed the earlier runs' spool files. It opens
    /// its sink only for its first batch: a CLI's exit sends its one batch
    /// itself (`Queue::take_last`), and a worker that never had one has
    /// allocated nothing (no allocator arena, no client or buffers), so a
    /// thread that is not needed costs little more than its start.
    pub(crate) fn spawn(
        name: String,
        shared: Arc<Queue>,
        plan: Plan,
        handoff: Handoff,
        diag: Diag,
    ) -> io::Result<JoinHandle<()>> {
        thread::Builder::new().name(name).spawn(move || Worker::run(shared, plan, handoff, diag))
    }

    fn run(shared: Arc<Queue>, plan: Plan, handoff: Handoff, diag: Diag) {
        let worker = catch_unwind(AssertUnwindSafe(|| {
            let Handoff { spool, gate } = handoff;
            let unopened = Cell::new(Some((plan, gate)));
            let worker = Worker { shared: shared.clone(), unopened, sink: OnceCell::new(), spool, diag: diag.clone() };
            worker.work();
            worker
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
        while let Some(next) = self.shared.next() {
            let (batch, pace) = match next {
                Next::Send(batch, pace) => (batch, pace),
                Next::Read(file) => {
                    if !self.read_back(&file) {
                        return;
                    }
                    continue;
                }
            };
            let Some(done) = self.deliver(&batch, pace) else { return };
            if !self.shared.settle(&batch, matches!(done, Done::Sent)) {
                return;
            }
            let n = batch.len();
            // Freed here, before a flush waiting for them returns, so that
            // this thread's frees of the recording thread's buffers do not
            // run beside the app's next records and slow them.
            drop(batch);
            if let Done::Dropped(why) = done {
                self.diag.say(format_args!("dropped {n} events: {why}"));
            }
            self.shared.notify_settled();
        }
    }

    /// Reads one spool file back into the queue. `false`: the caller closed
    /// meanwhile (the events went back to disk).
    fn read_back(&self, file: &Backlog) -> bool {
        let taken = self.spool.as_ref().and_then(|spool| spool.take_file(&file.path));
        if file.own.is_none()
            && let Some((events, discarded)) = &taken
        {
            if *discarded > 0 {
                self.shared.counters.discarded.fetch_add(*discarded as u64, Relaxed);
                self.diag.say(format_args!(
                    "discarded {discarded} spooled events (too old, spooled too often, of another schema, or unreadable)"
                ));
            }
            if !events.is_empty() {
                self.diag.say(format_args!("resending {} spooled events", events.len()));
            }
        }
        match self.shared.unspooled(file, taken.map(|(events, _)| events)) {
            Ok(()) => true,
            Err(events) => {
                if let Some(spool) = &self.spool {
                    put_back(spool, &events);
                }
                false
            }
        }
    }

    /// Counts the older lines a file rotation discarded, so that "sent"
    /// (written) is not taken for "still there".
    fn written(&self, rotated_away: u64) -> Done {
        if rotated_away > 0 {
            self.shared.counters.rotated_away.fetch_add(rotated_away, Relaxed);
            self.diag.say(format_args!("rotating the events file discarded {rotated_away} older events"));
        }
        Done::Sent
    }

    /// The sink, opened at the first batch; `None` when it cannot be
    /// (said once): the worker stops, and exit spools what it holds.
    fn sink(&self) -> Option<&Sink> {
        let opened = self.sink.get_or_init(|| {
            let (plan, gate) = self.unopened.take()?;
            plan.open()
                .map(|sink| sink.with_gate(gate))
                .inspect_err(|e| self.diag.say(format_args!("cannot start HTTP client: {e}")))
                .ok()
        });
        opened.as_ref()
    }

    /// Attempts until delivered or rejected, waiting between them
    /// (`Retry-After`, capped at 10 minutes, or backoff). `None`: stop now
    /// (closed, or the next attempt would come after the exit deadline).
    /// Only HTTP answers `Retry`: the other transports deliver now or never.
    fn deliver(&self, batch: &[Event], pace: Pace) -> Option<Done> {
        let mut attempt = 0u32;
        loop {
            if !super::consent::still_given(self.spool.as_ref()) {
                super::consent::withdraw(&self.shared, &self.diag);
                return None;
            }
            match self.sink()?.deliver(batch, pace) {
                Outcome::Delivered => return Some(Done::Sent),
                Outcome::Written { rotated_away } => return Some(self.written(rotated_away)),
                Outcome::Reject(why) => return Some(Done::Dropped(why)),
                Outcome::Retry { after, why } => {
                    let wait = self.shared.tuning.backoff.wait(after, attempt);
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
