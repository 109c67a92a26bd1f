//! Reading `metrics:` (each metric's type and the keys that refine it:
//! `labels`, `unit`, `buckets`) and `metrics_period:`. The rules over names
//! are in `valid/metrics.rs`.

use super::govern;
use super::shape::{Map, keyword, non_empty, string};
use crate::error::{Diags, Loc, unknown_help};
use crate::model::{
    MAX_METRIC_BUCKETS, MAX_METRIC_LABELS, METRIC_TYPE_NAMES, Metric, MetricKind, MetricUnit, MetricsPeriod,
};
use crate::yaml::{Key, Node, NodeKind};

const KEYS: &[&str] = &["type", "description", "labels", "unit", "buckets", "reviewed"];

/// `metrics:`; `Err` holds the metrics that did parse when some did not.
pub(super) fn metrics(node: &Node, d: &mut Diags) -> Result<Vec<Metric>, Vec<Metric>> {
    let NodeKind::Map(entries) = &node.kind else {
        d.error(
            node.loc,
            format!("`metrics` must be a mapping of metric names, found {}", node.describe()),
            "write `metrics:` then one `metric_name: { type: counter, description: ... }` per metric, indented",
        );
        return Err(Vec::new());
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (k, v) in entries {
        match metric(k, v, d) {
            Some(m) => out.push(m),
            None => ok = false,
        }
    }
    if ok { Ok(out) } else { Err(out) }
}

/// `metrics_period: daily | on_exit`.
pub(super) fn period(node: &Node, d: &mut Diags) -> Option<MetricsPeriod> {
    keyword(node, "`metrics_period`", &[("daily", MetricsPeriod::Daily), ("on_exit", MetricsPeriod::OnExit)], d)
}

fn metric(key: &Key, node: &Node, d: &mut Diags) -> Option<Metric> {
    let what = format!("metric `{}`", key.text);
    let m = Map::governed(node, &what, KEYS, &["owner", "expires", "expires_reason", "data_review"], d)?;
    let governed = govern::governed(&m, &what, d);
    let description = m
        .required("description", &what, "What it counts and why.", d)
        .and_then(|n| non_empty(n, &format!("`description` of {what}"), d));
    let reviewed = match m.value("reviewed") {
        Some(n) => non_empty(n, &format!("`reviewed` of {what}"), d).map(Some),
        None => Some(None),
    };
    let kind = m.required("type", &what, "counter", d).and_then(|n| kind(&m, n, &what, d));
    let g = governed?;
    Some(Metric {
        name: key.text.clone(),
        loc: key.loc,
        description: description?,
        kind: kind?,
        reviewed: reviewed?,
        owner: g.owner,
        expires: g.expires,
        data_review: g.data_review,
    })
}

/// `type` and the keys it needs; a key another type needs is an error where it is.
fn kind(m: &Map<'_>, tnode: &Node, what: &str, d: &mut Diags) -> Option<MetricKind> {
    let name = string(tnode, "`type`", d)?;
    let (needs, kind): (&[&str], _) = match name.as_str() {
        "counter" => (&[], Some(MetricKind::Counter)),
        "boolean" => (&[], Some(MetricKind::Boolean)),
        "labeled_counter" => {
            let labels = need(m, "labels", tnode, what, "labels: [build, test]", d).and_then(|n| labels(n, d));
            (&["labels"], labels.map(|(labels, label_locs)| MetricKind::LabeledCounter { labels, label_locs }))
        }
        "quantity" => {
            let unit = need(m, "unit", tnode, what, "unit: bytes", d).and_then(|n| unit(n, d));
            (&["unit"], unit.map(|unit| MetricKind::Quantity { unit }))
        }
        "distribution" => {
            let unit = need(m, "unit", tnode, what, "unit: milliseconds", d).and_then(|n| unit(n, d));
            let buckets =
                need(m, "buckets", tnode, what, "buckets: [100, 500, 1000, 5000]", d).and_then(|n| buckets(n, d));
            (&["unit", "buckets"], unit.zip(buckets).map(|(unit, buckets)| MetricKind::Distribution { unit, buckets }))
        }
        other => {
            d.error(
                tnode.loc,
                format!("unknown metric type `{other}` in {what}"),
                unknown_help(other, METRIC_TYPE_NAMES),
            );
            return None;
        }
    };
    for k in ["labels", "unit", "buckets"] {
        if let Some((key, _)) = m.get(k).filter(|_| !needs.contains(&k)) {
            d.error(
                key.loc,
                format!("`{k}` does not apply to `type: {name}` in {what}"),
                format!("remove `{k}`, or change the type"),
            );
        }
    }
    kind
}

fn need<'n>(m: &Map<'n>, key: &str, tnode: &Node, what: &str, example: &str, d: &mut Diags) -> Option<&'n Node> {
    let v = m.value(key);
    if v.is_none() {
        let ty = tnode.scalar().unwrap_or_default();
        d.error(tnode.loc, format!("`type: {ty}` in {what} needs `{key}`"), format!("add `{example}`"));
    }
    v
}

fn unit(node: &Node, d: &mut Diags) -> Option<MetricUnit> {
    keyword(
        node,
        "`unit`",
        &[
            ("milliseconds", MetricUnit::Milliseconds),
            ("seconds", MetricUnit::Seconds),
            ("bytes", MetricUnit::Bytes),
            ("count", MetricUnit::Count),
        ],
        d,
    )
}

fn labels(node: &Node, d: &mut Diags) -> Option<(Vec<String>, Vec<Loc>)> {
    let NodeKind::Seq(items) = &node.kind else {
        d.error(
            node.loc,
            format!("`labels` must be a list, found {}", node.describe()),
            "write `labels: [build, test]`: every label is declared, none is made up at run time",
        );
        return None;
    };
    if items.is_empty() || items.len() > MAX_METRIC_LABELS {
        d.error(
            node.loc,
            format!("`labels` lists {} labels", items.len()),
            format!("list from 1 to {MAX_METRIC_LABELS} labels"),
        );
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut locs = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(s) = string(item, "a label", d) else {
            ok = false;
            continue;
        };
        if out.contains(&s) {
            // Reported, not fatal: the rules over the other labels still run.
            d.error(item.loc, format!("duplicate label `{s}`"), "list each label once");
        }
        out.push(s);
        locs.push(item.loc);
    }
    ok.then_some((out, locs))
}

fn buckets(node: &Node, d: &mut Diags) -> Option<Vec<u64>> {
    const HELP: &str = "write the upper bound of each bucket, smallest first, e.g. `buckets: [100, 500, 1000, 5000]`";
    let NodeKind::Seq(items) = &node.kind else {
        d.error(node.loc, format!("`buckets` must be a list, found {}", node.describe()), HELP);
        return None;
    };
    if items.is_empty() || items.len() > MAX_METRIC_BUCKETS {
        d.error(
            node.loc,
            format!("`buckets` lists {} bounds", items.len()),
            format!("list from 1 to {MAX_METRIC_BUCKETS} bounds"),
        );
        return None;
    }
    let mut out: Vec<u64> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(b) = item.as_i128().and_then(|v| u64::try_from(v).ok()) else {
            let found = item.scalar().map_or_else(|| item.describe().to_string(), |t| format!("`{t}`"));
            d.error(item.loc, format!("a bucket bound must be a whole number from 0, found {found}"), HELP);
            ok = false;
            continue;
        };
        if let Some(&last) = out.last()
            && b <= last
        {
            d.error(item.loc, format!("bucket bound {b} is not larger than the bound before it ({last})"), HELP);
            ok = false;
        }
        out.push(b);
    }
    ok.then_some(out)
}
