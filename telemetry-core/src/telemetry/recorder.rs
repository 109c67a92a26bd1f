//! What an "on" [`Telemetry`](super::Telemetry) handle records with, shared
//! with its periodic schedules: writing one event's properties and queueing
//! it, and this process's metrics (attached once, merged into the install's
//! aggregate at flush and exit, a period that ended sent as one event).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::AtomicU64;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use crate::PropertyWriter;
use crate::delivery::Delivery;
use crate::envelope::{Event, Origin};
use crate::hash::Hashers;
use crate::ids::next_message_id;
use crate::meta::{AppMeta, EventMeta, Identity, MetricsMeta};
use crate::metrics::{Cells, payload, store};
use crate::output::Diag;
use crate::state::Gate;
use crate::timestamp;
use crate::writer::Unkeyed;

use super::clock::Clock;

/// What an "on" handle records with; shared with its periodic schedules.
pub(super) struct Recorder {
    app: &'static AppMeta,
    origin: Arc<Origin>,
    /// Each event's time, strictly later than the one before.
    clock: Clock,
    /// The largest properties object written so far: the capacity of the next buffer.
    size_hint: AtomicUsize,
    hashers: Hashers,
    pub(super) delivery: Delivery,
    pub(super) diag: Diag,
    /// Whether a refused, an expired or an unkeyed event was reported: once per handle each.
    reported: [AtomicBool; 3],
    /// Where the metrics aggregate may be written (none: process-only state, no metrics).
    gate: Option<Gate>,
    /// The metrics attached by [`Telemetry::metrics`](super::Telemetry::metrics), once.
    metrics: OnceLock<Option<Attached>>,
}

/// One schema's metrics, recorded by this process.
struct Attached {
    meta: &'static MetricsMeta,
    cells: Arc<[AtomicU64]>,
    run_start_ms: u64,
}

impl Recorder {
    /// Records for `app`, its events sharing `origin`, hashing with `hashers`,
    /// delivered by `delivery`; metrics written through `gate` (none:
    /// process-only state, no metrics).
    pub(super) fn new(
        app: &'static AppMeta,
        origin: Arc<Origin>,
        hashers: Hashers,
        delivery: Delivery,
        diag: Diag,
        gate: Option<Gate>,
    ) -> Self {
        Recorder {
            gate,
            metrics: OnceLock::new(),
            app,
            size_hint: AtomicUsize::new(64),
            origin,
            clock: Clock::default(),
            hashers,
            delivery,
            diag,
            reported: Default::default(),
        }
    }

    /// This process's cells for `meta`: made on the first call, after
    /// sending a period that ended; none for another schema's metrics.
    pub(super) fn attach(&self, meta: &'static MetricsMeta) -> Cells {
        let attached = self.metrics.get_or_init(|| {
            if !meta.fingerprint.same(self.app.fingerprint) || meta.app != self.app.name {
                self.diag.say(format_args!("metrics of another schema: nothing is recorded for them"));
                return None;
            }
            let gate = self.gate.as_ref()?;
            let now = timestamp::millis(SystemTime::now())?;
            let cells = crate::metrics::zeroed(meta);
            let zeros = vec![0; cells.len()];
            match store::merge(gate, meta, &zeros, now, now, false) {
                Ok(Some(ended)) => self.send_period(meta, &ended),
                Ok(None) => {}
                Err(e) => self.diag.say(format_args!("metrics: {e}")),
            }
            Some(Attached { meta, cells, run_start_ms: now })
        });
        match attached {
            Some(a) if std::ptr::eq(a.meta, meta) || a.meta == meta => {
                let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
                Cells::new(meta, a.cells.clone(), now)
            }
            _ => Cells::none(),
        }
    }

    /// Merges this process's metrics into the install's aggregate; queues
    /// the payload of a period that ended. A failed merge puts the values
    /// back, for the next try (at exit, they are lost: this run's only).
    pub(super) fn settle_metrics(&self, exiting: bool) {
        let (Some(Some(a)), Some(gate)) = (self.metrics.get(), &self.gate) else { return };
        if self.delivery.withdrawn() {
            return;
        }
        let Some(now) = timestamp::millis(SystemTime::now()) else { return };
        let delta = store::take(&a.cells);
        match store::merge(gate, a.meta, &delta, a.run_start_ms, now, exiting) {
            Ok(Some(ended)) => self.send_period(a.meta, &ended),
            Ok(None) => {}
            Err(e) => {
                store::put_back(&a.cells, a.meta, &delta);
                self.diag.say(format_args!("metrics not merged: {e}"));
            }
        }
    }

    /// Queues one `metrics` event for `period`.
    fn send_period(&self, meta: &MetricsMeta, period: &store::Period) {
        let Some(message_id) = next_message_id() else { return };
        let Some(now) = timestamp::millis(SystemTime::now()) else { return };
        let (at_ms, ordinal) = self.clock.stamp(now);
        let properties = payload::properties(meta, period);
        self.delivery.counters().recorded.fetch_add(1, Relaxed);
        // A period's counts are the install's: under `identity: run` no run's id is theirs.
        let origin = match self.app.identity {
            Identity::Install => self.origin.clone(),
            Identity::Run | Identity::None => self.origin.unlinked(),
        };
        self.delivery.push(Event {
            name: payload::METRICS_EVENT,
            properties,
            message_id,
            at_ms,
            ordinal: Some(ordinal),
            origin,
            generation: 0,
        });
    }

    /// Writes one event's properties on this thread and queues it; never panics.
    pub(super) fn record(&self, meta: &'static EventMeta, write: &mut dyn FnMut(&mut PropertyWriter<'_>)) {
        // Consent withdrawn by another process since this one started: as off.
        if self.delivery.withdrawn() {
            return;
        }
        let counters = self.delivery.counters();
        counters.recorded.fetch_add(1, Relaxed);
        if let Some(why) = self.app.refusal(meta) {
            counters.dropped.fetch_add(1, Relaxed);
            counters.refused.fetch_add(1, Relaxed);
            if !self.reported[0].swap(true, Relaxed) {
                self.diag.say(self.app.refused_message(meta, why));
            }
            return;
        }
        let now = SystemTime::now();
        if let Some(expires) = meta.expires.filter(|e| e.reached(now)) {
            counters.dropped.fetch_add(1, Relaxed);
            counters.expired.fetch_add(1, Relaxed);
            if !self.reported[1].swap(true, Relaxed) {
                self.diag.say(format_args!("event {:?} expired on {}: not recorded", meta.name, expires.date));
            }
            return;
        }
        let built = catch_unwind(AssertUnwindSafe(|| {
            let message_id = next_message_id()?;
            // A clock outside 1970..=9999 gives no time the wire formats can write.
            let (at_ms, ordinal) = self.clock.stamp(timestamp::millis(now)?);
            // Sized to the largest properties so far, so that events with
            // hashed fields (longer than any fixed guess) need no realloc.
            let mut buf = Vec::with_capacity(self.size_hint.load(Relaxed));
            let mut w = PropertyWriter::new(&mut buf, self.hashers.keys());
            write(&mut w);
            if w.finish().is_err() {
                return Some(Err(Unkeyed));
            }
            self.size_hint.fetch_max(buf.len(), Relaxed);
            let properties = String::from_utf8(buf).ok()?;
            let origin = self.origin.clone();
            let ordinal = Some(ordinal);
            Some(Ok(Event { name: meta.name, properties, message_id, at_ms, ordinal, origin, generation: 0 }))
        }));
        match built {
            Ok(Some(Ok(event))) => self.delivery.push(event),
            Ok(Some(Err(Unkeyed))) => {
                counters.dropped.fetch_add(1, Relaxed);
                counters.refused.fetch_add(1, Relaxed);
                if !self.reported[2].swap(true, Relaxed) {
                    self.diag.say(format_args!(
                        "refused event {:?}: it hashes a value under the product's key, but this app's schema hashes nothing under it, so no product key is held; nothing is sent",
                        meta.name
                    ));
                }
            }
            _ => {
                counters.dropped.fetch_add(1, Relaxed);
            }
        }
    }
}

impl Drop for Recorder {
    /// At exit the metrics are merged (and an ended period queued) before
    /// the delivery, dropped after this, sends or spools what is queued.
    fn drop(&mut self) {
        self.settle_metrics(true);
    }
}
