//! The `Telemetry` handle: `record()` on the caller's thread, and the
//! handle's view of its delivery (stats, flush, shutdown). What an "on"
//! handle records with is its [`Recorder`] (`telemetry/recorder.rs`).

mod clock;
mod recorder;

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::delivery::{Delivery, Queued, Stats};
use crate::envelope::Origin;
use crate::hash::Hashers;
use crate::meta::{AppMeta, EventMeta};
use crate::metrics::{Cells, MetricSet};
use crate::output::Diag;
use crate::periodic::{Periodic, Ticker};
use crate::state::Gate;
use crate::status::Status;
use crate::{PropertyWriter, TelemetryEvent};
use recorder::Recorder;

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
    /// Before `recorder`: dropped (stopped and joined) first, so no periodic
    /// event is recorded once delivery shuts down.
    tickers: Mutex<Vec<Ticker>>,
    recorder: Option<Arc<Recorder>>,
}

impl fmt::Debug for Telemetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Telemetry").field("status", &self.status).field("stats", &self.stats()).finish()
    }
}

impl Telemetry {
    /// A handle that records nothing: one relaxed load per `record`.
    pub(crate) fn off(meta: &'static AppMeta, status: Status) -> Self {
        Telemetry { active: AtomicBool::new(false), meta, status, tickers: Mutex::default(), recorder: None }
    }

    /// A recording handle, its events sharing `origin`, hashing with `hashers`,
    /// delivered by `delivery`.
    pub(crate) fn on(
        meta: &'static AppMeta,
        status: Status,
        origin: Arc<Origin>,
        hashers: Hashers,
        delivery: Delivery,
        diag: Diag,
        gate: Option<Gate>,
    ) -> Self {
        let recorder = Recorder::new(meta, origin, hashers, delivery, diag, gate);
        Telemetry {
            active: AtomicBool::new(true),
            meta,
            status,
            tickers: Mutex::default(),
            recorder: Some(Arc::new(recorder)),
        }
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
        if let Some(r) = &self.recorder {
            r.record(meta, write);
        }
    }

    /// Records the event `make` returns every `period`, on a small thread of
    /// this handle, until the returned guard is dropped or the handle shuts
    /// down: for a service's periodic event (the schema's `when`, such as
    /// Automatisch's diagnostics every six hours). The first is recorded one
    /// period from now. `record()` never waits on it; when telemetry is off
    /// nothing is started and the guard is inert. A period too long to add
    /// to the clock never ticks. For an event made from a state that holds
    /// this handle (or the guard), use [`Telemetry::every_with`]: `make`
    /// owning an `Arc` of it would keep the handle alive for ever.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::{Batching, EnvSource, MemorySink, Telemetry, TelemetryEnum, TelemetryEvent};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/example-cli.yaml");
    ///
    /// #[derive(TelemetryEnum)]
    /// enum Source { Command, Env }
    ///
    /// #[derive(TelemetryEvent)]
    /// #[telemetry(schema = "../schemas/example-cli.yaml")]
    /// struct TelemetryChanged { source: Source }
    ///
    /// # let dir = std::env::temp_dir().join(format!("telemetry-every-doc-{}", std::process::id()));
    /// let sink = MemorySink::new();
    /// let telemetry = Telemetry::builder(&APP)
    ///     .app_version("1.0.0")
    ///     .batching(Batching::default().with_max_latency(Duration::from_millis(10)))
    /// #   .state_dir(&dir).notice(false).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]))
    ///     .memory(sink.clone())
    ///     .build()
    ///     .unwrap();
    /// let schedule = telemetry.every(Duration::from_millis(20), || TelemetryChanged { source: Source::Env });
    /// std::thread::sleep(Duration::from_millis(110));
    /// # // Wait for a first tick however loaded the machine is: no timing is asserted.
    /// # let started = std::time::Instant::now();
    /// # while sink.delivered() == 0 && started.elapsed() < Duration::from_secs(30) {
    /// #     telemetry.flush(Duration::from_secs(5));
    /// #     std::thread::sleep(Duration::from_millis(20));
    /// # }
    /// drop(schedule); // or shut the handle down: no event of it is recorded after that
    /// telemetry.flush(Duration::from_secs(5));
    /// assert!(!sink.take().is_empty(), "one event per 20 ms while the guard lives");
    /// std::thread::sleep(Duration::from_millis(60));
    /// telemetry.flush(Duration::from_secs(5));
    /// assert!(sink.take().is_empty(), "none once the guard is dropped");
    /// # drop(telemetry); std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn every<E, F>(&self, period: Duration, mut make: F) -> Periodic
    where
        E: TelemetryEvent,
        F: FnMut() -> E + Send + 'static,
    {
        self.schedule(period, move |r| {
            let event = make();
            r.record(E::META, &mut |w| event.write_properties(w));
            true
        })
    }

    /// Like [`Telemetry::every`], for a closure that reads the service's
    /// state: it gets `&S` from a weak reference to `state`, and the
    /// schedule ends once the application drops its last `Arc` of it. So the
    /// handle and the guard can live in that state, and dropping it at exit
    /// still drops (and flushes) the handle. The same closure owning an `Arc`
    /// of the state in [`Telemetry::every`] would keep the handle alive for
    /// ever, and what it recorded would never be sent.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
    /// use std::sync::{Arc, OnceLock};
    /// use std::time::Duration;
    /// use telemetry_core::{Batching, EnvSource, MemorySink, Periodic, Telemetry, TelemetryEnum, TelemetryEvent};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/example-cli.yaml");
    ///
    /// #[derive(TelemetryEnum)]
    /// enum Source { Command, Env }
    ///
    /// #[derive(TelemetryEvent)]
    /// #[telemetry(schema = "../schemas/example-cli.yaml")]
    /// struct TelemetryChanged { source: Source }
    ///
    /// /// The service's state: the handle, the schedule's guard, what the event reads.
    /// struct Service {
    ///     telemetry: Telemetry,
    ///     heartbeat: OnceLock<Periodic>,
    ///     commands: AtomicU32,
    /// }
    ///
    /// # let dir = std::env::temp_dir().join(format!("telemetry-every-with-doc-{}", std::process::id()));
    /// let sink = MemorySink::new();
    /// let telemetry = Telemetry::builder(&APP)
    ///     .app_version("1.0.0")
    ///     .batching(Batching::default().with_max_latency(Duration::from_secs(60)))
    /// #   .state_dir(&dir).notice(false).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]))
    ///     .memory(sink.clone())
    ///     .build()
    ///     .unwrap();
    /// let service = Arc::new(Service { telemetry, heartbeat: OnceLock::new(), commands: AtomicU32::new(1) });
    /// let heartbeat = service.telemetry.every_with(Duration::from_millis(5), &service, |s: &Service| {
    ///     TelemetryChanged { source: if s.commands.load(Relaxed) > 0 { Source::Command } else { Source::Env } }
    /// });
    /// service.heartbeat.set(heartbeat).unwrap();
    /// while service.telemetry.stats().recorded < 3 {
    ///     std::thread::sleep(Duration::from_millis(5));
    /// }
    /// let recorded = Arc::downgrade(&service);
    /// drop(service); // at exit: the state, its handle and its guard are dropped; the handle flushes
    /// assert!(recorded.upgrade().is_none());
    /// assert!(sink.take().len() >= 3);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn every_with<S, E, F>(&self, period: Duration, state: &Arc<S>, mut make: F) -> Periodic
    where
        S: Send + Sync + 'static,
        E: TelemetryEvent,
        F: FnMut(&S) -> E + Send + 'static,
    {
        let state = Arc::downgrade(state);
        self.schedule(period, move |r| {
            // The state is held only while the event is made: the tick never
            // keeps it (nor the handle in it) alive past that.
            let Some(event) = state.upgrade().map(|s| make(&s)) else { return false };
            r.record(E::META, &mut |w| event.write_properties(w));
            true
        })
    }

    /// Starts a ticker calling `tick` every `period` until it returns false,
    /// its guard is dropped or the handle shuts down.
    fn schedule(&self, period: Duration, mut tick: impl FnMut(&Recorder) -> bool + Send + 'static) -> Periodic {
        let Some(r) = self.recorder.as_ref().filter(|_| self.is_enabled()) else { return Periodic::inert() };
        let r = r.clone();
        let alive = {
            let r = r.clone();
            move || !r.delivery.withdrawn()
        };
        let tick = move || tick(&r);
        let mut tickers = self.tickers.lock().unwrap_or_else(|p| p.into_inner());
        // Schedules whose guard was dropped: their threads have ended.
        tickers.retain(|t| !t.is_stopped());
        match Ticker::spawn(format!("{}-telemetry-every", self.meta.name), period, alive, tick) {
            Ok(t) => {
                let guard = t.guard();
                tickers.push(t);
                guard
            }
            Err(e) => {
                if let Some(r) = &self.recorder {
                    r.diag.say(format_args!("cannot start a periodic event thread ({e}); it is not sent"));
                }
                Periodic::inert()
            }
        }
    }

    /// Stops every periodic schedule, waiting at most for a tick in progress.
    fn stop_tickers(&self) {
        let tickers = std::mem::take(&mut *self.tickers.lock().unwrap_or_else(|p| p.into_inner()));
        for mut t in tickers {
            t.stop();
        }
    }

    /// Whether events are being recorded: false when telemetry is off, and
    /// once another process withdrew consent since this one started.
    pub fn is_enabled(&self) -> bool {
        self.active.load(Relaxed) && !self.recorder.as_ref().is_some_and(|r| r.delivery.withdrawn())
    }

    /// Whether telemetry is on, why, and where state lives: what `build()`
    /// decided for this handle ([`crate::Builder::preview_status`] previews
    /// it without starting anything).
    ///
    /// ```
    /// use telemetry_core::{MemorySink, Reason, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/example-cli.yaml");
    /// let telemetry = Telemetry::builder(&APP).for_tests(MemorySink::new()).build().unwrap();
    /// assert_eq!(telemetry.status().reason, Reason::ForTests);
    /// ```
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.recorder.as_ref().map(|r| r.delivery.stats()).unwrap_or_default()
    }

    /// Events and bytes waiting in memory now, for monitoring: the queue,
    /// never more than its bounds ([`crate::Limits`]), plus (HTTP with a
    /// state dir) its overflow list waiting for the spool: as many bytes
    /// again, and up to eight times the events (the batch being sent is not
    /// counted).
    pub fn queued(&self) -> Queued {
        self.recorder.as_ref().map(|r| r.delivery.queued()).unwrap_or_default()
    }

    /// The metrics handles of the schema's `metrics:` section, as
    /// `generate_metrics!` wrote them. When telemetry is off (or the state
    /// dir cannot be written, or `M` is another schema's) the handles record
    /// nothing. The first call takes the state lock once, to send the
    /// aggregate of a period that ended since the last run: call it at
    /// start, beside `build()`. Later calls share the first one's counts.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, MemorySink, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/example-cli.yaml");
    /// telemetry_core::generate_metrics!("../schemas/example-cli.yaml");
    ///
    /// # let dir = std::env::temp_dir().join(format!("telemetry-metrics-doc-{}", std::process::id()));
    /// let sink = MemorySink::new();
    /// let telemetry = Telemetry::builder(&APP)
    ///     .app_version("1.0.0")
    /// #   .state_dir(&dir).notice(false).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]))
    ///     .memory(sink.clone())
    ///     .build()
    ///     .unwrap();
    /// let metrics: Metrics = telemetry.metrics();
    /// metrics.commands.add(CommandsLabel::Build, 1);
    /// metrics.build_duration.record_ms(2100);
    /// drop(telemetry); // merged into the day's aggregate, sent once the day is over
    /// assert!(sink.take().is_empty());
    /// assert!(dir.join("metrics.json").exists());
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn metrics<M: MetricSet>(&self) -> M {
        match &self.recorder {
            Some(r) if self.active.load(Relaxed) => M::from_cells(&r.attach(M::META)),
            _ => M::from_cells(&Cells::none()),
        }
    }

    /// Sends everything recorded so far, waiting at most `timeout`. Returns
    /// whether all of it was settled (sent or dropped). Nothing is spooled.
    /// Metrics recorded so far are merged into the install's aggregate first.
    pub fn flush(&self, timeout: Duration) -> bool {
        match &self.recorder {
            Some(r) => {
                r.settle_metrics(false);
                r.delivery.flush(timeout)
            }
            None => true,
        }
    }

    /// Stops recording now, flushes within the shutdown deadline, spools
    /// the rest, and returns the final counters. Dropping does the same
    /// (the delivery shuts itself down when dropped).
    pub fn shutdown(self) -> Stats {
        self.active.store(false, Relaxed);
        self.stop_tickers();
        if let Some(r) = &self.recorder {
            r.settle_metrics(true);
            r.delivery.shutdown();
        }
        self.stats()
    }
}
