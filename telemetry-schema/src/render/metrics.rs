//! The page's "What we count" section: each metric of `metrics:` with its
//! type, unit, labels, buckets, period, owner and expiry, and the example
//! properties of the one `metrics` event a period sends.

use super::text::{cell_row, code, line, text};
use crate::date::Date;
use crate::model::{Expiry, Identity, Metric, MetricKind, MetricsPeriod, Schema};
use serde_json::{Map, Value, json};

/// The section; nothing when the schema declares no metrics.
pub(super) fn what_we_count(w: &mut String, schema: &Schema, today: Date) {
    if schema.metrics.is_empty() {
        return;
    }
    line(w, "## What we count");
    line(w, "");
    let when = match schema.metrics_period {
        MetricsPeriod::Daily => {
            "once a day: the counts of a day (UTC) are kept on your machine, added up across runs, and sent by the first run after the day ends"
        }
        MetricsPeriod::OnExit => "once per run, as it exits",
    };
    // Under `run` a period's counts (of several runs) carry no run's id; under `none` no event has one.
    let unlinked = match schema.app.identity {
        Identity::Run => {
            " The `metrics` event carries no `anonymous_id` or `session_id`: its counts can add up several runs, so no run's id is put on them."
        }
        Identity::Install | Identity::None => "",
    };
    let term = schema.app.term();
    // Only the saved choice erases the counts (`disable`); a switch read at
    // each run turns counting off and leaves the file as it is.
    let off = match &schema.consent.opt_out_command {
        Some(cmd) => format!(
            "Turning it off with {} deletes the counts kept; a variable that turns it off leaves them on your machine, unsent until {term} is on again.",
            code(cmd)
        ),
        None => {
            format!("Turning it off leaves the counts kept before on your machine, unsent until {term} is on again.")
        }
    };
    line(
        w,
        format!(
            "These are counted on your machine and sent {when}, as one event named `metrics` with the period's start and end, not as one record per occurrence. Nothing is counted or written while {term} is off. {off}{unlinked}"
        ),
    );
    line(w, "");
    for m in &schema.metrics {
        line(w, format!("### `{}`", m.name));
        line(w, "");
        line(w, text(&m.description));
        line(w, "");
        line(w, "| Type | Unit | Labels | Buckets (upper bounds) | Owner | Expires |");
        line(w, "| --- | --- | --- | --- | --- | --- |");
        let (unit, labels, buckets) = match &m.kind {
            MetricKind::LabeledCounter { labels, .. } => ("-".into(), labels.join(", "), "-".into()),
            MetricKind::Distribution { unit, buckets } => (
                unit.keyword().to_string(),
                "-".into(),
                buckets.iter().map(u64::to_string).collect::<Vec<_>>().join(", "),
            ),
            MetricKind::Quantity { unit } => (unit.keyword().to_string(), "-".into(), "-".into()),
            MetricKind::Counter | MetricKind::Boolean => ("-".into(), "-".into(), "-".into()),
        };
        let owner = m.owner(&schema.app).unwrap_or("-");
        let expires = match &m.expires {
            Some(Expiry::On(date)) if m.expired_on(today) => format!("expired on {date}: no longer counted"),
            Some(Expiry::On(date)) => date.to_string(),
            Some(Expiry::Never { reason }) => format!("never: {reason}"),
            None => "-".into(),
        };
        line(w, cell_row(&[m.kind.keyword(), &unit, &labels, &buckets, owner, &expires]));
        line(w, "");
    }
    line(w, "Example `properties` of the `metrics` event:");
    line(w, "");
    line(w, "```json");
    let pretty = serde_json::to_string_pretty(&example(schema)).unwrap_or_default();
    line(w, pretty);
    line(w, "```");
    line(w, "");
}

/// The example properties: every metric with made-up values.
pub(crate) fn example(schema: &Schema) -> Value {
    let mut metrics = Map::new();
    for m in &schema.metrics {
        metrics.insert(m.name.clone(), example_value(m));
    }
    json!({
        "period_start": "2025-01-01T00:00:00.000Z",
        "period_end": "2025-01-02T00:00:00.000Z",
        "metrics": metrics,
    })
}

fn example_value(m: &Metric) -> Value {
    match &m.kind {
        MetricKind::Counter => json!(14),
        MetricKind::LabeledCounter { labels, .. } => Value::Object(
            labels.iter().enumerate().map(|(i, l)| (l.clone(), json!(if i == 0 { 12 } else { 1 }))).collect(),
        ),
        MetricKind::Distribution { unit, buckets } => {
            // Three values at the middle bound.
            let mid = buckets.len() / 2;
            let mut counts = vec![0u64; buckets.len() + 1];
            counts[mid] = 3;
            let sum = buckets.get(mid).map_or(0, |b| b.saturating_mul(3));
            json!({ "unit": unit.ucum(), "count": 3, "sum": sum, "bounds": buckets, "counts": counts })
        }
        MetricKind::Quantity { unit } => json!({ "unit": unit.ucum(), "value": 42 }),
        MetricKind::Boolean => json!(true),
    }
}
