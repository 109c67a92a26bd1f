//! The in-process transport, for an app's own tests and for benchmarks.

use std::sync::{Arc, Mutex};

use crate::envelope::Event;

/// An in-process transport: the worker hands delivered envelopes to it
/// instead of a file or an endpoint. Nothing leaves the process and
/// nothing is written to disk. For an app's own tests (assert on what it
/// records) and for benchmarks (measure `record()` with a real consumer
/// draining the queue, without I/O). Set it with [`crate::TestBuilder::memory`]
/// (or [`crate::Builder::for_tests`]).
///
/// ```
/// use std::time::Duration;
/// use telemetry_core::{EnvSource, MemorySink, Telemetry};
///
/// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
/// let dir = std::env::temp_dir().join(format!("memory-sink-doc-{}", std::process::id()));
/// let sink = MemorySink::new();
/// let telemetry = Telemetry::builder(&APP)
///     .app_version("1.0.0")
///     .state_dir(&dir)
///     .notice(false)
///     .with_test_knobs()
///     .env(EnvSource::from_pairs::<&str, &str>([]))
///     .memory(sink.clone())
///     .build()
///     .unwrap();
/// assert!(telemetry.flush(Duration::from_secs(5)));
/// assert_eq!(sink.delivered(), 0);
/// assert!(sink.take().is_empty());
/// # drop(telemetry); let _ = std::fs::remove_dir_all(dir);
/// ```
#[derive(Clone, Default)]
pub struct MemorySink(Arc<Mutex<MemoryInner>>);

#[derive(Default)]
struct MemoryInner {
    keep: bool,
    events: Vec<String>,
    delivered: u64,
}

impl MemorySink {
    /// Keeps every delivered envelope (JSON text) until [`MemorySink::take`].
    pub fn new() -> Self {
        MemorySink(Arc::new(Mutex::new(MemoryInner { keep: true, ..MemoryInner::default() })))
    }

    /// Counts delivered envelopes and keeps none: constant memory, for benchmarks.
    pub fn counting() -> Self {
        MemorySink::default()
    }

    /// The envelopes delivered since the last call (empty for [`MemorySink::counting`]).
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().events)
    }

    /// How many envelopes were delivered in all.
    pub fn delivered(&self) -> u64 {
        self.lock().delivered
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryInner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn deliver(&self, events: &[Event]) {
        let mut m = self.lock();
        m.delivered += events.len() as u64;
        if m.keep {
            m.events.extend(events.iter().map(Event::envelope));
        }
    }
}

impl std::fmt::Debug for MemorySink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemorySink").field("delivered", &self.delivered()).finish()
    }
}
