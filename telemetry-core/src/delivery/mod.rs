//! Delivery: a bounded queue between `record()` and one background worker
//! thread, and how the two part at exit. [`Delivery`] is the only way in:
//! it starts the worker, owns its thread, the queue and the leftovers, and
//! shuts all of it down when dropped (after tracing-appender's
//! `WorkerGuard` and sentry's transport threads).

mod exit;
mod queue;
mod stats;
mod worker;

use std::io;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[cfg(feature = "http")]
pub(crate) use queue::Backoff;
pub(crate) use queue::Tuning;
pub use stats::Stats;

use exit::Leftovers;
use queue::Shared;
use stats::Counters;
use worker::Worker;

use crate::output::Diag;
use crate::spool::Spool;
use crate::transport::Plan;

/// How a [`Delivery`] runs: the sink to open, the queue's tuning, and
/// what happens at exit.
pub(crate) struct Config {
    /// The worker thread's name.
    pub thread_name: String,
    pub plan: Plan,
    pub tuning: Tuning,
    /// Where events spooled by earlier runs are, and this run's leftovers go
    /// (HTTP only; `None` drops leftovers).
    pub spool: Option<Spool>,
    /// How long shutdown waits for the worker before taking over.
    pub deadline: Duration,
    pub diag: Diag,
}

/// The delivery of one [`crate::Telemetry`] handle: its queue, its worker
/// thread and what is left at exit. Dropping it shuts down.
pub(crate) struct Delivery {
    shared: Arc<Shared>,
    worker: Mutex<Option<JoinHandle<()>>>,
    leftovers: Leftovers,
    deadline: Duration,
}

impl Delivery {
    /// Starts the worker thread; fails only when the thread cannot start.
    pub(crate) fn start(config: Config) -> io::Result<Self> {
        let Config { thread_name, plan, tuning, spool, deadline, diag } = config;
        let shared = Shared::new(tuning);
        let worker = Worker::spawn(thread_name, shared.clone(), plan, spool.clone(), diag.clone())?;
        Ok(Delivery { shared, worker: Mutex::new(Some(worker)), leftovers: Leftovers { spool, diag }, deadline })
    }

    /// Queues one envelope; never waits on I/O. Dropped (and counted) when
    /// the queue is full or closed.
    #[inline]
    pub(crate) fn push(&self, json: String) {
        self.shared.push(json);
    }

    /// The live counters (`record()` counts what it records and drops).
    #[inline]
    pub(crate) fn counters(&self) -> &Counters {
        &self.shared.counters
    }

    /// A snapshot of the counters.
    pub(crate) fn stats(&self) -> Stats {
        self.shared.counters.snapshot()
    }

    /// Events and bytes waiting in the queue now (not the batch in flight).
    pub(crate) fn queued(&self) -> (usize, usize) {
        self.shared.queued()
    }

    /// Waits until everything queued so far is settled, or `timeout`.
    pub(crate) fn flush(&self, timeout: Duration) -> bool {
        self.shared.flush(timeout)
    }

    /// Lets the worker send until the deadline, then spools (HTTP) or drops
    /// what is left, and joins the worker if it has exited. A worker stuck
    /// in a request is left detached: exit never waits past the deadline.
    /// Calling it again does nothing.
    pub(crate) fn shutdown(&self) {
        let (rest, gone) = self.shared.close(Instant::now() + self.deadline);
        self.leftovers.settle(&rest, &self.shared.counters);
        let handle = self.worker.lock().ok().and_then(|mut w| w.take());
        if gone && let Some(h) = handle {
            let _ = h.join();
        }
    }
}

impl Drop for Delivery {
    fn drop(&mut self) {
        self.shutdown();
    }
}
