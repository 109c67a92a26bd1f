//! The `Telemetry` handle: `record()` on the caller's thread, and the
//! handle's view of its delivery (stats, flush, shutdown).

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, SystemTime};

use crate::delivery::{Delivery, Stats};
use crate::envelope::Template;
use crate::ids::next_message_id;
use crate::meta::{AppMeta, EventMeta};
use crate::output::Diag;
use crate::status::Status;
use crate::{Hasher, PropertyWriter, TelemetryEvent};

/// What an "on" handle records with.
struct Recorder {
    template: Template,
    /// The largest envelope written so far: the capacity of the next buffer.
    size_hint: AtomicUsize,
    hasher: Hasher,
    delivery: Delivery,
    diag: Diag,
}

/// The telemetry handle: build one per process with [`Telemetry::builder`].
///
/// `record` never blocks on I/O and never panics; when telemetry is off it
/// costs one relaxed atomic load. Dropping the handle flushes within the
/// shutdown deadline and spools the rest. It is `Send + Sync`: share it by
/// reference or `Arc`. A handle kept in a `static` is never dropped: call
/// [`Telemetry::flush`] before the process exits (nothing is spooled then),
/// or better, own it in `main` so that it drops.
pub struct Telemetry {
    active: AtomicBool,
    meta: &'static AppMeta,
    status: Status,
    recorder: Option<Recorder>,
}

impl fmt::Debug for Telemetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Telemetry").field("status", &self.status).field("stats", &self.stats()).finish()
    }
}

impl Telemetry {
    /// A handle that records nothing: one relaxed load per `record`.
    pub(crate) fn off(meta: &'static AppMeta, status: Status) -> Self {
        Telemetry { active: AtomicBool::new(false), meta, status, recorder: None }
    }

    /// A recording handle, writing envelopes from `template` and hashing
    /// with `key`, delivered by `delivery`.
    pub(crate) fn on(
        meta: &'static AppMeta,
        status: Status,
        template: Template,
        key: &[u8; 32],
        delivery: Delivery,
        diag: Diag,
    ) -> Self {
        let recorder = Recorder {
            size_hint: AtomicUsize::new(template.size_hint()),
            template,
            hasher: Hasher::new(key),
            delivery,
            diag,
        };
        Telemetry { active: AtomicBool::new(true), meta, status, recorder: Some(recorder) }
    }

    /// Records one event: serializes it on this thread and queues it.
    #[inline]
    pub fn record<E: TelemetryEvent + ?Sized>(&self, event: &E) {
        if !self.active.load(Relaxed) {
            return;
        }
        self.record_dyn(E::META, &mut |w| event.write_properties(w));
    }

    #[inline(never)]
    fn record_dyn(&self, meta: &'static EventMeta, write: &mut dyn FnMut(&mut PropertyWriter<'_>)) {
        let Some(r) = &self.recorder else { return };
        let counters = r.delivery.counters();
        counters.recorded.fetch_add(1, Relaxed);
        if meta.app != self.meta.name {
            counters.dropped.fetch_add(1, Relaxed);
            r.diag.say(format_args!("dropped event {:?} of another app ({:?})", meta.name, meta.app));
            return;
        }
        let built = catch_unwind(AssertUnwindSafe(|| {
            let id = next_message_id()?;
            // Sized to the largest envelope so far: a fixed guess was too small
            // for events with hashed fields and cost a realloc per event.
            let mut buf = Vec::with_capacity(r.size_hint.load(Relaxed));
            r.template.write(&mut buf, meta.name, &r.hasher, id, SystemTime::now(), write);
            r.size_hint.fetch_max(buf.len(), Relaxed);
            String::from_utf8(buf).ok()
        }));
        match built {
            Ok(Some(json)) => r.delivery.push(json),
            _ => {
                counters.dropped.fetch_add(1, Relaxed);
            }
        }
    }

    /// Whether events are being recorded.
    pub fn is_enabled(&self) -> bool {
        self.active.load(Relaxed)
    }

    /// Whether telemetry is on, why, and where state lives.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.recorder.as_ref().map(|r| r.delivery.stats()).unwrap_or_default()
    }

    /// Events and bytes waiting in the queue now, for monitoring: never more
    /// than [`crate::Builder::queue_capacity`] (the batch being sent is not counted).
    pub fn queued(&self) -> (usize, usize) {
        self.recorder.as_ref().map(|r| r.delivery.queued()).unwrap_or_default()
    }

    /// Sends everything recorded so far, waiting at most `timeout`. Returns
    /// whether all of it was settled (sent or dropped). Nothing is spooled.
    pub fn flush(&self, timeout: Duration) -> bool {
        match &self.recorder {
            Some(r) => r.delivery.flush(timeout),
            None => true,
        }
    }

    /// Stops recording now, flushes within the shutdown deadline, spools
    /// the rest, and returns the final counters. Dropping does the same
    /// (the delivery shuts itself down when dropped).
    pub fn shutdown(self) -> Stats {
        self.active.store(false, Relaxed);
        if let Some(r) = &self.recorder {
            r.delivery.shutdown();
        }
        self.stats()
    }
}
