//! `metrics:` and `metrics_period:` as the editor sees them.

#![allow(dead_code)] // The fields exist for their schema; nothing reads them.

use super::field::SNAKE;
use schemars::JsonSchema;
use serde::Deserialize;

/// A metric: aggregated on the device, sent once per period.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [
    { "if": { "properties": { "type": { "const": "labeled_counter" } } }, "then": { "required": ["labels"] } },
    { "if": { "properties": { "type": { "const": "distribution" } } }, "then": { "required": ["unit", "buckets"] } },
    { "if": { "properties": { "type": { "const": "quantity" } } }, "then": { "required": ["unit"] } },
]))]
pub struct MetricSpec {
    /// The metric's type.
    #[serde(rename = "type")]
    pub ty: MetricTypeSpec,
    /// What it counts or measures and why.
    #[schemars(length(min = 1))]
    pub description: String,
    /// `labeled_counter`: every label that may be counted, snake_case; no other label can be recorded.
    #[serde(default)]
    #[schemars(length(min = 1, max = 64), extend("uniqueItems" = true, "items" = { "type": "string", "pattern": SNAKE }))]
    pub labels: Option<Vec<String>>,
    /// `distribution`, `quantity`: what a value measures.
    #[serde(default)]
    pub unit: Option<MetricUnitSpec>,
    /// `distribution`: the upper bound of each bucket, strictly increasing; values above the last fall in one more bucket.
    #[serde(default)]
    #[schemars(length(min = 1, max = 32), extend("items" = { "type": "integer", "minimum": 0 }))]
    pub buckets: Option<Vec<u64>>,
    /// Why a name that looks like personal data is not.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub reviewed: Option<String>,
    /// Who answers for this metric, when not the app's owner.
    #[serde(default)]
    #[schemars(length(min = 2))]
    pub owner: Option<String>,
    /// `YYYY-MM-DD` (from that day on nothing is recorded) or `never` (with `expires_reason`).
    #[serde(default)]
    #[schemars(pattern("^([0-9]{4}-[0-9]{2}-[0-9]{2}|never)$"))]
    pub expires: Option<String>,
    /// Why a metric with `expires: never` is needed for as long as the product exists.
    #[serde(default)]
    #[schemars(length(min = 10))]
    pub expires_reason: Option<String>,
    /// The review of the last change that widened what this metric collects: a link or a reason.
    #[serde(default)]
    #[schemars(length(min = 10))]
    pub data_review: Option<String>,
}

/// A metric's `type:`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricTypeSpec {
    /// A count that only grows; sent as the period's total.
    Counter,
    /// One count per declared label (`labels`).
    LabeledCounter,
    /// Values counted into declared buckets (`unit`, `buckets`).
    Distribution,
    /// The last value set in the period (`unit`).
    Quantity,
    /// The last `true` or `false` set in the period.
    Boolean,
}

/// A metric's `unit:`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricUnitSpec {
    /// Durations in whole milliseconds.
    Milliseconds,
    /// Durations in whole seconds.
    Seconds,
    /// Sizes in bytes.
    Bytes,
    /// A number of things.
    Count,
}

/// `metrics_period:`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricsPeriodSpec {
    /// One payload per UTC day, sent by the first run after the day ends (the default).
    Daily,
    /// One payload per run, sent as it exits.
    OnExit,
}
