//! Delivery: a bounded queue between `record()` and one background worker
//! thread, and how the two part at exit. [`Delivery`] is the only way in:
//! it starts the worker (and, with a spool, the spooler that takes what
//! overflows a full queue to disk: `spooler.rs`), owns their threads, the
//! queue and the leftovers, and shuts all of it down when dropped (after
//! tracing-appender's `WorkerGuard` and sentry's transport threads).

mod consent;
mod exit;
mod overflow;
mod pending;
mod queue;
mod spooler;
mod stats;
mod tuning;
mod worker;

use std::io;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use stats::{Queued, Stats};
pub(crate) use tuning::{Backoff, Tuning};

use exit::Leftovers;
use queue::Queue;
use stats::Counters;
use worker::{Handoff, Worker};

use crate::envelope::Event;
use crate::output::Diag;
use crate::spool::Spool;
use crate::state::Gate;
use crate::transport::{HttpPlan, Plan};

/// What a [`Delivery`] is made of besides the identity: its worker's
/// thread name and sink, the queue's tuning, where diagnostics go.
pub(crate) struct Early {
    /// The worker thread's name.
    pub thread_name: String,
    pub plan: Plan,
    pub tuning: Tuning,
    pub diag: Diag,
}

/// The spooler thread of a [`Delivery`] with a spool: started by the first
/// overflow due for a file, on the recording thread that found it
/// (`Queue::push`), once. A run whose queue never fills (a CLI's) never
/// starts it.
enum SpoolerThread {
    /// No spool: a full queue drops.
    None,
    /// What the thread needs, until an overflow starts it.
    Unstarted {
        name: String,
        spool: Spool,
    },
    Running(JoinHandle<()>),
    /// Its thread could not start: a full queue drops.
    Failed,
}

/// The delivery of one [`crate::Telemetry`] handle: its queue, its worker
/// thread and what is left at exit. Dropping it shuts down.
pub(crate) struct Delivery {
    shared: Arc<Queue>,
    spooler: Mutex<SpoolerThread>,
    leftovers: Leftovers,
    /// What the exiting thread sends the last batch with, when the worker has not taken it.
    last: Option<HttpPlan>,
    deadline: Duration,
}

impl Delivery {
    /// Starts delivery once `build()` has the identity: the worker thread
    /// (given the spool, HTTP with a state dir: the earlier runs' files to
    /// send, this run's leftovers to keep; and the write gate, the
    /// JSON-lines file's), the spooler readied (with a spool:
    /// [`SpoolerThread`]). Fails only when the thread cannot start.
    ///
    /// The thread starts here, at the end of `build()`, not earlier: it
    /// has nothing to wait for (a thread started before, waiting for the
    /// identity, allocated its arena to wait), and a CLI that records and
    /// exits sends from its exiting thread anyway (`exit.rs`).
    pub(crate) fn start(
        early: Early,
        spool: Option<Spool>,
        gate: Option<Gate>,
        deadline: Duration,
    ) -> io::Result<Self> {
        let Early { thread_name, plan, tuning, diag } = early;
        let shared = Queue::new(tuning);
        if spool.is_some() {
            shared.overflows();
        }
        // The earlier runs' files are listed before anything is sent, and
        // before the spooler may write (a file of ours must not be taken
        // for one of theirs); the worker reads them first.
        shared.start(spool.as_ref().map(Spool::list).unwrap_or_default());
        let last = plan.for_exit();
        let handoff = Handoff { spool: spool.clone(), gate };
        // Never joined: once it has settled its last batch, what it still does
        // (closing the HTTP client's connections) is not the caller's to wait for.
        drop(Worker::spawn(thread_name.clone(), shared.clone(), plan, handoff, diag.clone())?);
        let spooler = match &spool {
            Some(spool) => SpoolerThread::Unstarted { name: format!("{thread_name}-spool"), spool: spool.clone() },
            None => SpoolerThread::None,
        };
        Ok(Delivery { shared, spooler: Mutex::new(spooler), leftovers: Leftovers { spool, diag }, last, deadline })
    }

    /// Queues one event; never waits on I/O. Dropped (and counted) when
    /// the queue is full or closed, or its envelope could never fit in it.
    #[inline]
    pub(crate) fn push(&self, event: Event) {
        if event.size() > self.shared.tuning.queue_bytes {
            return self.oversize(&event);
        }
        if self.shared.push(event) {
            self.start_spooler();
        }
    }

    /// Starts the spooler for the overflow that just became due (a thread's
    /// start, once per handle, in a burst that already outruns the worker:
    /// no I/O). Without it nothing empties the overflow list, so a full
    /// queue drops instead.
    #[cold]
    fn start_spooler(&self) {
        let mut thread = self.spooler.lock().unwrap_or_else(|p| p.into_inner());
        if let SpoolerThread::Unstarted { name, spool } = std::mem::replace(&mut *thread, SpoolerThread::Failed) {
            match spooler::spawn(name, self.shared.clone(), spool, self.leftovers.diag.clone()) {
                Ok(h) => *thread = SpoolerThread::Running(h),
                Err(_) => self.shared.no_overflow(),
            }
        }
    }

    /// Drops an envelope larger than the queue's byte bound, in its own
    /// counter and with a word in debug mode: it is not "queue full", and
    /// waiting would not help.
    #[cold]
    fn oversize(&self, event: &Event) {
        let c = &self.shared.counters;
        c.dropped.fetch_add(1, Relaxed);
        c.oversize.fetch_add(1, Relaxed);
        self.leftovers.diag.say(format_args!(
            "dropped event {:?}: {} bytes, over the queue bound of {} bytes",
            event.name,
            event.size(),
            self.shared.tuning.queue_bytes
        ));
    }

    /// The live counters (`record()` counts what it records and drops).
    #[inline]
    pub(crate) fn counters(&self) -> &Counters {
        &self.shared.counters
    }

    /// Whether the worker found consent withdrawn since this process started
    /// (`consent.rs`): nothing more is recorded or sent.
    #[inline]
    pub(crate) fn withdrawn(&self) -> bool {
        self.shared.withdrawn.load(Relaxed)
    }

    /// A snapshot of the counters.
    pub(crate) fn stats(&self) -> Stats {
        self.shared.counters.snapshot()
    }

    /// Events and bytes waiting in memory now: the queue and its overflow
    /// (not the batch in flight).
    pub(crate) fn queued(&self) -> Queued {
        self.shared.queued()
    }

    /// Waits until everything queued so far is settled, or `timeout`.
    pub(crate) fn flush(&self, timeout: Duration) -> bool {
        self.shared.flush(timeout)
    }

    /// Sends the last batch on this thread if the worker has not taken it
    /// (HTTP, `exit.rs`), or lets the worker send until the deadline; then
    /// spools (HTTP) or drops what is left, and joins the spooler if it is
    /// writing a file (local disk, no network: the file must be whole). An
    /// idle spooler and the worker are not waited for: they exit on their
    /// own, and a worker stuck in a request is left behind, so exit never
    /// waits past the deadline for the network (nor does this thread's own
    /// request: its client's timeout is what is left of the deadline).
    /// Calling it again does nothing.
    pub(crate) fn shutdown(&self) {
        let deadline = Instant::now() + self.deadline;
        if let Some(plan) = &self.last {
            self.leftovers.send_last(&self.shared, plan, deadline);
        }
        let (rest, writing) = self.shared.close(deadline);
        self.leftovers.settle(&rest, &self.shared.counters);
        let thread =
            std::mem::replace(&mut *self.spooler.lock().unwrap_or_else(|p| p.into_inner()), SpoolerThread::None);
        if let SpoolerThread::Running(h) = thread
            && writing
        {
            let _ = h.join();
        }
    }
}

impl Drop for Delivery {
    fn drop(&mut self) {
        self.shutdown();
    }
}
