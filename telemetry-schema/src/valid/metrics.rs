//! The rules over metrics: names and labels are snake_case and do not look
//! like personal data (unless `reviewed`), the schema declares a bounded
//! number of them, and an expiry is warned about as an event's is.

use super::fields::{is_snake_case, snake_help};
use super::pii::pii_token;
use crate::date::Date;
use crate::error::Diags;
use crate::model::{Expiry, MAX_METRICS, Metric, MetricKind, Schema};

/// Every rule over the metrics that parsed.
pub(crate) fn check(metrics: &[Metric], d: &mut Diags) {
    if let Some(m) = metrics.get(MAX_METRICS) {
        d.error(
            m.loc,
            format!("the schema declares {} metrics, more than {MAX_METRICS}", metrics.len()),
            "each metric is kept on every device and sent every period: keep the ones that answer a question",
        );
    }
    for m in metrics {
        let what = format!("metric `{}`", m.name);
        if !is_snake_case(&m.name) {
            d.error(m.loc, format!("metric name `{}` is not snake_case", m.name), snake_help(&m.name));
        }
        if m.reviewed.is_none()
            && let Some(tok) = pii_token(&m.name)
        {
            d.error(m.loc, format!("{what} looks like personal data (`{tok}`)"), REVIEW_HELP);
        }
        let MetricKind::LabeledCounter { labels, label_locs } = &m.kind else { continue };
        for (label, loc) in labels.iter().zip(label_locs) {
            if !is_snake_case(label) {
                d.error(*loc, format!("label `{label}` of {what} is not snake_case"), snake_help(label));
            } else if m.reviewed.is_none()
                && let Some(tok) = pii_token(label)
            {
                d.error(*loc, format!("label `{label}` of {what} looks like personal data (`{tok}`)"), REVIEW_HELP);
            }
        }
    }
}

/// A period's aggregate is sent as an event named `metrics`: a schema with
/// metrics cannot declare an event of that name too.
pub(crate) fn reserved_event(schema: &Schema, d: &mut Diags) {
    if let Some(e) = schema.event("metrics").filter(|_| !schema.metrics.is_empty()) {
        d.error(
            e.loc,
            "event name `metrics` is taken: the metrics of each period are sent as an event of that name",
            "rename the event (e.g. `metrics_reported`)",
        );
    }
}

const REVIEW_HELP: &str = "rename it, or add `reviewed: \"why this is not personal data\"` to the metric";

/// The expiry warnings, against `today` (as for events).
pub(crate) fn warn_expiry(metrics: &[Metric], today: Date, far: Date, d: &mut Diags) {
    for m in metrics {
        let Some(Expiry::On(date)) = m.expires else { continue };
        if m.expired_on(today) {
            d.warn(
                m.loc,
                format!("metric `{}` expired on {date}: it still compiles, but nothing is recorded for it", m.name),
                "remove the metric and the code that records it, or move `expires` to a later date after a new review",
            );
        } else if date > far {
            d.warn(
                m.loc,
                format!("metric `{}` expires on {date}, more than {} years from today ({today})", m.name, super::governance::FAR_EXPIRY_YEARS),
                format!("choose a date no later than {far} and review the metric then, or write `expires: never` with an `expires_reason`"),
            );
        }
    }
}
