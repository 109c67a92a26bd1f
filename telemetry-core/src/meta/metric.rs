//! What `generate_metrics!` knows about a schema's metrics, as static data.
//! Only the macro makes these values (through `__private`): their fields
//! are private.

use super::Fingerprint;

/// A metric's type, with what the type declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// A count that only grows within a period.
    Counter,
    /// One count per declared label.
    LabeledCounter {
        /// The labels, in schema order.
        labels: &'static [&'static str],
    },
    /// Values counted into buckets with these upper bounds (and one above the last).
    Distribution {
        /// The unit's UCUM code (`ms`, `s`, `By`, `1`).
        unit: &'static str,
        /// Upper bounds, inclusive, strictly increasing.
        bounds: &'static [u64],
    },
    /// The last value set.
    Quantity {
        /// The unit's UCUM code.
        unit: &'static str,
    },
    /// The last `true` or `false` set.
    Boolean,
}

impl MetricKind {
    /// How many atomic cells the metric takes on the device.
    pub const fn cells(&self) -> usize {
        match self {
            MetricKind::Counter | MetricKind::Quantity { .. } | MetricKind::Boolean => 1,
            MetricKind::LabeledCounter { labels } => labels.len(),
            // A count per bucket, and the sum.
            MetricKind::Distribution { bounds, .. } => bounds.len() + 2,
        }
    }
}

/// One declared metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricMeta {
    pub(crate) name: &'static str,
    pub(crate) kind: MetricKind,
    /// First second (UTC) of its `expires` date, if it has one.
    pub(crate) expires_secs: Option<u64>,
}

impl MetricMeta {
    pub(crate) const fn new(name: &'static str, kind: MetricKind, expires_secs: Option<u64>) -> MetricMeta {
        MetricMeta { name, kind, expires_secs }
    }

    /// Name as sent.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Type and what it declares.
    pub const fn kind(&self) -> MetricKind {
        self.kind
    }
}

/// When a period's aggregates are sent (`metrics_period:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsPeriod {
    /// One payload per UTC day, sent by the first run after the day ends.
    Daily,
    /// One payload per run, sent as it exits.
    OnExit,
}

/// A schema's metrics: the app and schema they belong to, the period, each metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsMeta {
    pub(crate) app: &'static str,
    pub(crate) fingerprint: Fingerprint,
    pub(crate) period: MetricsPeriod,
    pub(crate) metrics: &'static [MetricMeta],
}

impl MetricsMeta {
    pub(crate) const fn new(
        app: &'static str,
        fingerprint: Fingerprint,
        period: MetricsPeriod,
        metrics: &'static [MetricMeta],
    ) -> MetricsMeta {
        MetricsMeta { app, fingerprint, period, metrics }
    }

    /// The metrics, in schema order.
    pub const fn metrics(&self) -> &'static [MetricMeta] {
        self.metrics
    }

    /// The period.
    pub const fn period(&self) -> MetricsPeriod {
        self.period
    }

    /// The index of the first cell of each metric, and the total, in schema order.
    pub(crate) fn offsets(&self) -> (Vec<usize>, usize) {
        let mut at = 0;
        let offsets = self
            .metrics
            .iter()
            .map(|m| {
                let o = at;
                at += m.kind.cells();
                o
            })
            .collect();
        (offsets, at)
    }
}
