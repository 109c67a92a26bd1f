//! A period's aggregate as the properties of one `metrics` event: the
//! period's start and end, then each metric by name, in schema order.
//!
//! ```json
//! {"period_start":"2026-12-02T00:00:00.000Z","period_end":"2026-12-03T00:00:00.000Z",
//!  "metrics":{"commands":{"build":3,"test":0},
//!             "build_duration":{"unit":"ms","count":3,"sum":6300,"bounds":[100,1000],"counts":[0,0,3]}}}
//! ```
//!
//! A counter is a number; a labeled counter an object with every declared
//! label; a distribution its unit, the number and sum of its values, the
//! declared bounds and the count per bucket (one more than the bounds: the
//! last holds the values above the last bound); a quantity `{"unit", "value"}`
//! and a boolean `true`/`false`, each left out when not set in the period.

use super::store::Period;
use crate::json::push_json_str;
use crate::meta::{MetricKind, MetricsMeta};
use crate::timestamp;
use std::fmt::Write;

/// The name the payload is sent under on every wire format.
pub(crate) const METRICS_EVENT: &str = "metrics";

/// The properties object of `period`'s payload.
pub(crate) fn properties(meta: &MetricsMeta, period: &Period) -> String {
    let mut buf = Vec::new();
    buf.extend_from_slice(b"{\"period_start\":\"");
    timestamp::write(&mut buf, period.start_ms);
    buf.extend_from_slice(b"\",\"period_end\":\"");
    timestamp::write(&mut buf, period.end_ms);
    buf.extend_from_slice(b"\",\"metrics\":{");
    let mut out = String::from_utf8(buf).unwrap_or_default();
    let mut at = 0;
    let mut first = true;
    for m in meta.metrics {
        let values = period.values.get(at..at + m.kind.cells()).unwrap_or(&[]);
        at += m.kind.cells();
        let Some(value) = value(m.kind, values) else { continue };
        if !first {
            out.push(',');
        }
        first = false;
        let mut key = Vec::new();
        push_json_str(&mut key, m.name);
        out.push_str(&String::from_utf8_lossy(&key));
        out.push(':');
        out.push_str(&value);
    }
    out.push_str("}}");
    out
}

/// One metric's JSON value, or `None` for a last value never set.
fn value(kind: MetricKind, v: &[u64]) -> Option<String> {
    let at = |i: usize| v.get(i).copied().unwrap_or(0);
    Some(match kind {
        MetricKind::Counter => at(0).to_string(),
        MetricKind::LabeledCounter { labels } => {
            let mut s = String::from("{");
            for (i, l) in labels.iter().enumerate() {
                let _ = write!(s, "{}{l:?}:{}", if i == 0 { "" } else { "," }, at(i));
            }
            s.push('}');
            s
        }
        MetricKind::Distribution { unit, bounds } => {
            let counts: Vec<u64> = (0..=bounds.len()).map(at).collect();
            let count: u64 = counts.iter().fold(0u64, |a, c| a.saturating_add(*c));
            let sum = at(bounds.len() + 1);
            format!("{{\"unit\":{unit:?},\"count\":{count},\"sum\":{sum},\"bounds\":{bounds:?},\"counts\":{counts:?}}}")
                .replace(", ", ",")
        }
        MetricKind::Quantity { unit } => match at(0) {
            0 => return None,
            n => format!("{{\"unit\":{unit:?},\"value\":{}}}", n - 1),
        },
        MetricKind::Boolean => match at(0) {
            0 => return None,
            n => (n == 2).to_string(),
        },
    })
}
