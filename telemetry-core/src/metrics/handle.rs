//! The typed handles: what an app calls. Each is a slot (its metric's
//! first cell, or nothing when telemetry is off or the metric expired);
//! every method is a relaxed atomic operation at most.

use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// Where a handle records: its metric's cells in this process, if any.
#[derive(Debug, Clone)]
#[doc(hidden)]
pub struct Slot {
    pub(super) cells: Option<Arc<[AtomicU64]>>,
    pub(super) at: usize,
}

impl Slot {
    #[inline]
    fn cell(&self, i: usize) -> Option<&AtomicU64> {
        self.cells.as_deref().and_then(|c| c.get(self.at + i))
    }
}

/// Made from a slot by `Cells::handle`.
#[doc(hidden)]
pub trait Handle {
    /// The handle over `slot`.
    fn from_slot(slot: Slot) -> Self;
}

/// A `counter`: a count that only grows; sent as the period's total.
#[derive(Debug, Clone)]
pub struct Counter(Slot);

impl Counter {
    /// Adds `n` (saturating at `u64::MAX`: a count never wraps to a small one).
    #[inline]
    pub fn add(&self, n: u64) {
        if let Some(c) = self.0.cell(0) {
            saturating_add(c, n);
        }
    }
}

impl Handle for Counter {
    fn from_slot(slot: Slot) -> Self {
        Counter(slot)
    }
}

/// The labels of a `labeled_counter`: an enum `generate_metrics!` writes
/// with one variant per declared label, so no other label can be recorded.
pub trait MetricLabel: Copy {
    /// The label's position in the declared list.
    fn index(self) -> usize;
}

/// A `labeled_counter`: one count per declared label `L`.
#[derive(Debug, Clone)]
pub struct LabeledCounter<L>(Slot, PhantomData<fn(L)>);

impl<L: MetricLabel> LabeledCounter<L> {
    /// Adds `n` to `label`'s count.
    #[inline]
    pub fn add(&self, label: L, n: u64) {
        if let Some(c) = self.0.cell(label.index()) {
            saturating_add(c, n);
        }
    }
}

impl<L> Handle for LabeledCounter<L> {
    fn from_slot(slot: Slot) -> Self {
        LabeledCounter(slot, PhantomData)
    }
}

/// The unit of a distribution's or quantity's values, as a type: the
/// methods a handle has follow from it (`record_ms` only on milliseconds).
pub trait Unit {}

/// `unit: milliseconds`.
#[derive(Debug, Clone, Copy)]
pub enum Milliseconds {}
/// `unit: seconds`.
#[derive(Debug, Clone, Copy)]
pub enum Seconds {}
/// `unit: bytes`.
#[derive(Debug, Clone, Copy)]
pub enum Bytes {}
/// `unit: count`.
#[derive(Debug, Clone, Copy)]
pub enum Count {}
impl Unit for Milliseconds {}
impl Unit for Seconds {}
impl Unit for Bytes {}
impl Unit for Count {}

/// A `distribution` in unit `U`: each value counted in the first bucket
/// whose bound it does not exceed (or the one above the last), and summed.
#[derive(Debug, Clone)]
pub struct Distribution<U> {
    slot: Slot,
    bounds: &'static [u64],
    unit: PhantomData<fn(U)>,
}

impl<U: Unit> Distribution<U> {
    #[inline]
    fn add(&self, v: u64) {
        if self.slot.cells.is_none() {
            return;
        }
        let bucket = self.bounds.partition_point(|b| *b < v);
        if let Some(c) = self.slot.cell(bucket) {
            c.fetch_add(1, Relaxed);
        }
        if let Some(sum) = self.slot.cell(self.bounds.len() + 1) {
            saturating_add(sum, v);
        }
    }

    /// Made by `generate_metrics!`, which knows the declared bounds.
    #[doc(hidden)]
    pub fn with_bounds(mut self, bounds: &'static [u64]) -> Self {
        self.bounds = bounds;
        self
    }
}

impl Distribution<Milliseconds> {
    /// Records a duration in whole milliseconds.
    #[inline]
    pub fn record_ms(&self, ms: u64) {
        self.add(ms);
    }

    /// Records a duration, in whole milliseconds (rounded down).
    #[inline]
    pub fn record(&self, d: Duration) {
        self.add(u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    }
}

impl Distribution<Seconds> {
    /// Records a duration in whole seconds.
    #[inline]
    pub fn record_secs(&self, secs: u64) {
        self.add(secs);
    }

    /// Records a duration, in whole seconds (rounded down).
    #[inline]
    pub fn record(&self, d: Duration) {
        self.add(d.as_secs());
    }
}

impl Distribution<Bytes> {
    /// Records a size in bytes.
    #[inline]
    pub fn record_bytes(&self, bytes: u64) {
        self.add(bytes);
    }
}

impl Distribution<Count> {
    /// Records a number of things.
    #[inline]
    pub fn record(&self, n: u64) {
        self.add(n);
    }
}

impl<U> Handle for Distribution<U> {
    fn from_slot(slot: Slot) -> Self {
        Distribution { slot, bounds: &[], unit: PhantomData }
    }
}

/// A `quantity` in unit `U`: the last value set in the period.
#[derive(Debug, Clone)]
pub struct Quantity<U>(Slot, PhantomData<fn(U)>);

impl<U: Unit> Quantity<U> {
    /// Sets the value (the last one set in a period is sent).
    #[inline]
    pub fn set(&self, v: u64) {
        if let Some(c) = self.0.cell(0) {
            // 0 means "not set": the value is kept plus one.
            c.store(v.saturating_add(1), Relaxed);
        }
    }
}

impl<U> Handle for Quantity<U> {
    fn from_slot(slot: Slot) -> Self {
        Quantity(slot, PhantomData)
    }
}

/// A `boolean`: the last `true` or `false` set in the period.
#[derive(Debug, Clone)]
pub struct Flag(Slot);

impl Flag {
    /// Sets the value.
    #[inline]
    pub fn set(&self, v: bool) {
        if let Some(c) = self.0.cell(0) {
            // 0: not set, 1: false, 2: true.
            c.store(1 + u64::from(v), Relaxed);
        }
    }
}

impl Handle for Flag {
    fn from_slot(slot: Slot) -> Self {
        Flag(slot)
    }
}

#[inline]
fn saturating_add(c: &AtomicU64, n: u64) {
    // One `fetch_add` unless the sum would wrap, which a count never reaches in practice.
    let old = c.fetch_add(n, Relaxed);
    if old.checked_add(n).is_none() {
        c.store(u64::MAX, Relaxed);
    }
}
