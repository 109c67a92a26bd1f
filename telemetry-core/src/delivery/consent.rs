//! Consent re-checked before every send. The first-run choice and the
//! write gate decide whether events are written; a process that runs for
//! hours must also notice when another process (`telemetry disable`, or an
//! `enable` that made a new id) withdrew the consent it started under.
//! Before each attempt (a spool, so HTTP, only) the worker re-reads the state file under the
//! state lock (the write gate's own check, `state/gate.rs`); once it has
//! changed, this process sends nothing more, erases what it holds, and its
//! handle records nothing and stops its periodic schedules.

use std::sync::atomic::Ordering::Relaxed;
use std::time::Instant;

use super::queue::Queue;
use crate::output::Diag;
use crate::spool::Spool;

/// Whether the install is still the one this process started under:
/// consent not withdrawn, the same anonymous id. Without a spool there is
/// no state this process writes under (no state dir, a process-only or a
/// test identity) and nothing to re-read. A state that cannot be read or
/// locked counts as withdrawn: nothing is sent on a guess.
pub(super) fn still_given(spool: Option<&Spool>) -> bool {
    spool.is_none_or(|s| s.gate.write(|| Ok(())).is_ok())
}

/// Consent was withdrawn: marks the queue so (the handle records nothing
/// more, its schedules stop), closes it, and erases what it held, the
/// batch being sent included, counted as dropped. What earlier runs
/// spooled under the old id was deleted by `disable`; the write gate keeps
/// this process from spooling again.
pub(super) fn withdraw(queue: &Queue, diag: &Diag) {
    queue.withdrawn.store(true, Relaxed);
    let (erased, _) = queue.close(Instant::now());
    erase(queue, diag, &erased);
}

/// Consent was withdrawn, found by the exiting thread about to send
/// `erased` itself (the queue is closed already): as [`withdraw`].
pub(super) fn erase(queue: &Queue, diag: &Diag, erased: &[crate::envelope::Event]) {
    queue.withdrawn.store(true, Relaxed);
    let own = erased.iter().filter(|e| e.generation == 0).count();
    queue.counters.dropped.fetch_add(own as u64, Relaxed);
    diag.say(format_args!(
        "telemetry was turned off (or its id changed) since this process started: nothing more is sent; \
         erased {} queued events",
        erased.len()
    ));
}
