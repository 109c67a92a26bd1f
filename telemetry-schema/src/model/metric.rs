//! Metrics: counts and measures the client aggregates over a period (a day,
//! or one run) and sends once, instead of one event per occurrence.

use super::App;
use crate::date::Date;
use crate::error::Loc;
use crate::model::Expiry;

#[cfg(feature = "serde")]
use serde::Serialize;

/// The `metrics:` keywords of `type:`, in the reference's order.
pub const METRIC_TYPE_NAMES: &[&str] = &["counter", "labeled_counter", "distribution", "quantity", "boolean"];

/// The units a distribution or a quantity may declare.
pub const METRIC_UNIT_NAMES: &[&str] = &["milliseconds", "seconds", "bytes", "count"];

/// Most labels a labeled counter may declare: each is a slot kept on the
/// device and a key sent, so the list stays short.
pub const MAX_METRIC_LABELS: usize = 64;

/// Most bucket boundaries a distribution may declare.
pub const MAX_METRIC_BUCKETS: usize = 32;

/// Most metrics one schema may declare.
pub const MAX_METRICS: usize = 256;

/// A metric: declared under `metrics:`, aggregated on the device, sent
/// once per period.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct Metric {
    /// snake_case name, as sent.
    pub name: String,
    /// Where its key is.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub loc: Loc,
    /// What it counts or measures and why.
    pub description: String,
    /// Its type and what the type declares.
    pub kind: MetricKind,
    /// Why a name that looks like personal data is not (the PII-name lint's
    /// review note, as `reviewed` on a field).
    pub reviewed: Option<String>,
    /// Who answers for this metric, when not the app's owner.
    pub owner: Option<String>,
    /// When collection of this metric ends, if declared.
    pub expires: Option<Expiry>,
    /// The review of the last change that widened what this metric collects.
    pub data_review: Option<String>,
}

impl Metric {
    /// The metric's owner, else the app's.
    pub fn owner<'a>(&'a self, app: &'a App) -> Option<&'a str> {
        self.owner.as_deref().or(app.owner.as_deref())
    }

    /// Whether the metric has expired on `today` (its `expires` date is `today` or earlier).
    pub fn expired_on(&self, today: Date) -> bool {
        matches!(self.expires, Some(Expiry::On(date)) if date <= today)
    }
}

/// A metric's type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum MetricKind {
    /// A count that only grows within a period: sent as the period's total.
    Counter,
    /// One count per declared label; no other label can be recorded.
    LabeledCounter {
        /// The labels, in schema order: lower_snake_case.
        labels: Vec<String>,
        /// Where each label is, in the same order.
        #[cfg_attr(feature = "serde", serde(skip))]
        label_locs: Vec<Loc>,
    },
    /// Values counted into buckets whose upper bounds are declared; sent as
    /// the count per bucket, the number of values and their sum.
    Distribution {
        /// What a value measures.
        unit: MetricUnit,
        /// Upper bounds (inclusive), strictly increasing; a last bucket holds
        /// the values above the last bound.
        buckets: Vec<u64>,
    },
    /// The last value set in the period.
    Quantity {
        /// What the value measures.
        unit: MetricUnit,
    },
    /// The last `true` or `false` set in the period.
    Boolean,
}

impl MetricKind {
    /// The `type:` keyword.
    pub fn keyword(&self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::LabeledCounter { .. } => "labeled_counter",
            MetricKind::Distribution { .. } => "distribution",
            MetricKind::Quantity { .. } => "quantity",
            MetricKind::Boolean => "boolean",
        }
    }
}

/// The unit of a distribution's or quantity's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum MetricUnit {
    /// Durations in whole milliseconds.
    Milliseconds,
    /// Durations in whole seconds.
    Seconds,
    /// Sizes in bytes.
    Bytes,
    /// A number of things.
    Count,
}

impl MetricUnit {
    /// The `unit:` keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            MetricUnit::Milliseconds => "milliseconds",
            MetricUnit::Seconds => "seconds",
            MetricUnit::Bytes => "bytes",
            MetricUnit::Count => "count",
        }
    }

    /// The UCUM code OpenTelemetry uses for it (`ms`, `s`, `By`, `1`).
    pub fn ucum(self) -> &'static str {
        match self {
            MetricUnit::Milliseconds => "ms",
            MetricUnit::Seconds => "s",
            MetricUnit::Bytes => "By",
            MetricUnit::Count => "1",
        }
    }
}

/// `metrics_period:`: when the aggregates of a period are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum MetricsPeriod {
    /// One payload per UTC day, sent by the first run after the day ends.
    #[default]
    Daily,
    /// One payload per run, sent as the run exits.
    OnExit,
}

impl MetricsPeriod {
    /// The `metrics_period:` keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            MetricsPeriod::Daily => "daily",
            MetricsPeriod::OnExit => "on_exit",
        }
    }
}
