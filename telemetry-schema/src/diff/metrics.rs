//! Metric changes, classified like field changes: a new metric or label
//! widens collection, finer buckets widen it (a value is told apart more
//! closely), a removed metric or label narrows it and breaks collectors.
//! Items are named `metric:NAME`, so they never collide with an event.

use super::Class::{Breaks, Narrows, Widens, Wording};
use super::out::{Out, Side};
use crate::model::{Metric, MetricKind, Schema};

/// The item a metric's changes are listed under (and `history` names).
pub(super) fn item(m: &Metric) -> String {
    format!("metric:{}", m.name)
}

/// Every metric change from `base` (`None`: the schema is new) to `head`.
pub(super) fn metrics(out: &mut Out<'_>, base: Option<&Schema>, head: &Schema) {
    let empty = Vec::new();
    let before = base.map_or(&empty, |b| &b.metrics);
    for b in before {
        match head.metric(&b.name) {
            Some(h) => metric(out, b, h),
            None => out.push(
                &item(b),
                format!("metric removed (a {})", b.kind.keyword()),
                &[Narrows, Breaks],
                Side::Base(b.loc),
            ),
        }
    }
    for h in head.metrics.iter().filter(|h| !before.iter().any(|b| b.name == h.name)) {
        out.push(&item(h), format!("new {} metric", h.kind.keyword()), &[Widens], Side::Head(h.loc));
    }
    if let Some(b) = base
        && b.metrics_period != head.metrics_period
        && !head.metrics.is_empty()
    {
        out.push(
            "app",
            format!("`metrics_period` changed: {} -> {}", b.metrics_period.keyword(), head.metrics_period.keyword()),
            &[Widens],
            Side::HeadFile,
        );
    }
}

fn metric(out: &mut Out<'_>, b: &Metric, h: &Metric) {
    let (name, at) = (item(h), Side::Head(h.loc));
    for (key, changed) in [
        ("description", b.description != h.description),
        ("owner", b.owner != h.owner),
        ("data_review", b.data_review != h.data_review),
        ("reviewed", b.reviewed != h.reviewed),
    ] {
        if changed {
            out.push(&name, format!("`{key}` changed"), &[Wording], at);
        }
    }
    super::expiry::expiry(out, &name, &b.expires, &h.expires, at);
    match (&b.kind, &h.kind) {
        (MetricKind::LabeledCounter { labels: old, .. }, MetricKind::LabeledCounter { labels: new, .. }) => {
            let added: Vec<&String> = new.iter().filter(|l| !old.contains(l)).collect();
            let removed: Vec<&String> = old.iter().filter(|l| !new.contains(l)).collect();
            if !added.is_empty() {
                out.push(&name, format!("labels added: {}", list(&added)), &[Widens], at);
            }
            if !removed.is_empty() {
                out.push(&name, format!("labels removed: {}", list(&removed)), &[Narrows, Breaks], at);
            }
        }
        (MetricKind::Distribution { unit: ou, buckets: old }, MetricKind::Distribution { unit: nu, buckets: new }) => {
            if ou != nu {
                let what = format!("unit changed: {} -> {}", ou.keyword(), nu.keyword());
                out.push(&name, what, &[Breaks], at);
            }
            if old != new {
                // A bound added tells values apart more closely; a bound removed, less.
                let finer = new.iter().any(|b| !old.contains(b));
                let what = format!("buckets changed: {old:?} -> {new:?}");
                let classes: &[_] = if finer { &[Widens, Breaks] } else { &[Narrows, Breaks] };
                out.push(&name, what, classes, at);
            }
        }
        (MetricKind::Quantity { unit: ou }, MetricKind::Quantity { unit: nu }) if ou != nu => {
            out.push(&name, format!("unit changed: {} -> {}", ou.keyword(), nu.keyword()), &[Breaks], at);
        }
        (old, new) if old.keyword() != new.keyword() => {
            let what = format!("type changed: {} -> {}", old.keyword(), new.keyword());
            out.push(&name, what, &[Widens, Breaks], at);
        }
        _ => {}
    }
}

fn list(items: &[&String]) -> String {
    items.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
}
