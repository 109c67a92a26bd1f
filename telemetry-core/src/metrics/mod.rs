//! Metrics: counts and measures declared in the schema, aggregated on the
//! device and sent once per period (`metrics_period:`).
//!
//! `generate_metrics!` writes a struct with one typed handle per metric;
//! [`crate::Telemetry::metrics`] gives it. Recording is one relaxed atomic
//! operation on a cell of this process (`Cells`): no lock, no I/O, no
//! allocation. The cells are merged into the install's aggregate
//! (`store.rs`) under the state lock at exit and at `flush`, and the
//! aggregate of a period that has ended is sent as one payload
//! (`payload.rs`). With telemetry off the handles hold no cells and do
//! nothing.

mod handle;
pub(crate) mod payload;
pub(crate) mod store;

pub use handle::{
    Bytes, Count, Counter, Distribution, Flag, LabeledCounter, MetricLabel, Milliseconds, Quantity, Seconds, Unit,
};

use crate::meta::MetricsMeta;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// A struct of metric handles `generate_metrics!` writes for a schema.
/// Not implemented by hand: [`crate::Telemetry::metrics`] refuses a set
/// whose schema fingerprint is not its app's.
pub trait MetricSet: Sized {
    /// The schema's metrics.
    const META: &'static MetricsMeta;

    /// The handles over `cells` (which hold nothing when telemetry is off).
    #[doc(hidden)]
    fn from_cells(cells: &Cells) -> Self;
}

/// This process's cells for one schema's metrics, or none (off). Hands out
/// the handles `generate_metrics!` asks for, each over its metric's cells.
#[doc(hidden)]
#[derive(Debug)]
pub struct Cells {
    inner: Option<Arc<[AtomicU64]>>,
    offsets: Vec<usize>,
    /// Per metric: recording is off for it (expired).
    off: Vec<bool>,
}

impl Cells {
    /// Cells that record nothing.
    pub(crate) fn none() -> Cells {
        Cells { inner: None, offsets: Vec::new(), off: Vec::new() }
    }

    /// Cells for `meta`, a metric whose expiry is reached at `now_secs` recording nothing.
    pub(crate) fn new(meta: &'static MetricsMeta, cells: Arc<[AtomicU64]>, now_secs: u64) -> Cells {
        let (offsets, _) = meta.offsets();
        let off = meta.metrics.iter().map(|m| m.expires_secs.is_some_and(|e| e <= now_secs)).collect();
        Cells { inner: Some(cells), offsets, off }
    }

    /// The handle of metric `index` (in schema order).
    pub fn handle<H: handle::Handle>(&self, index: usize) -> H {
        let cells = self.inner.clone().filter(|_| !self.off.get(index).copied().unwrap_or(true));
        H::from_slot(handle::Slot { cells, at: self.offsets.get(index).copied().unwrap_or(0) })
    }
}

/// A fresh set of zeroed cells for `meta`.
pub(crate) fn zeroed(meta: &MetricsMeta) -> Arc<[AtomicU64]> {
    let (_, total) = meta.offsets();
    (0..total).map(|_| AtomicU64::new(0)).collect()
}
