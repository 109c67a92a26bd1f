//! Reading the `collection` section: what a product states about its own
//! server (retention, who runs the collector and where, who can see the
//! data, published aggregates, the sender's IP address). Every problem in
//! the section is reported, each where it is.

use super::govern::review_key;
use super::shape::{Map, keyword, string};
use crate::error::{Diags, Loc};
use crate::model::{Collection, IpAddress, PublicAggregates, Retention};
use crate::yaml::{Node, NodeKind};

/// The keys of `collection`, then its governance key.
pub(crate) const COLLECTION_KEYS: &[&str] =
    &["retention_days", "retention", "operator", "service", "location", "viewers", "public_aggregates", "ip_address"];
pub(crate) const COLLECTION_GOVERNED: &[&str] = &["data_review"];

/// The longest retention in days a schema may state: a hundred years.
pub(crate) const MAX_RETENTION_DAYS: u32 = 36_500;
/// The longest statement in words (`retention`), in characters.
const MAX_STATEMENT: usize = 200;
/// The longest name (`operator`, `service`, `location`, a viewer), in characters.
const MAX_NAME: usize = 100;
/// The most `viewers` entries.
const MAX_VIEWERS: usize = 16;

pub(super) fn collection(node: &Node, d: &mut Diags) -> Option<Collection> {
    let m = Map::governed(node, "`collection`", COLLECTION_KEYS, COLLECTION_GOVERNED, d)?;
    let data_review = review_key(&m, "`collection`", d);
    let retention = retention(&m, d);
    let named = |key: &str, example: &str, d: &mut Diags| match m.value(key) {
        None => Some(None),
        Some(n) => statement(n, &format!("`collection.{key}`"), MAX_NAME, example, d).map(Some),
    };
    let operator = named("operator", "The Example project", d);
    let service = named("service", "InfluxDB", d);
    let location = named("location", "EU (Frankfurt)", d);
    let viewers = match m.value("viewers") {
        None => Some(Vec::new()),
        Some(n) => viewers(n, d),
    };
    let public_aggregates = match m.value("public_aggregates") {
        None => Some(None),
        Some(n) => public_aggregates(n, d).map(Some),
    };
    let ip_address = match m.value("ip_address") {
        None => Some(None),
        Some(n) => keyword(
            n,
            "`collection.ip_address` value",
            &[("not_stored", IpAddress::NotStored), ("truncated", IpAddress::Truncated), ("stored", IpAddress::Stored)],
            d,
        )
        .map(Some),
    };
    Some(Collection {
        retention: retention?,
        operator: operator?,
        service: service?,
        location: location?,
        viewers: viewers?,
        public_aggregates: public_aggregates?,
        ip_address: ip_address?,
        data_review: data_review?,
        loc: node.loc,
    })
}

/// `retention_days: N` or `retention: TEXT`, not both.
fn retention(m: &Map<'_>, d: &mut Diags) -> Option<Option<Retention>> {
    match (m.get("retention_days"), m.get("retention")) {
        (None, None) => Some(None),
        (Some((_, n)), None) => days(n, d).map(|n| Some(Retention::Days(n))),
        (None, Some((_, n))) => {
            let example = "Until the aggregates of the quarter are published.";
            statement(n, "`collection.retention`", MAX_STATEMENT, example, d).map(|s| Some(Retention::Stated(s)))
        }
        (Some(_), Some((k, _))) => {
            d.error(
                k.loc,
                "`collection` states its retention twice: `retention_days` and `retention`",
                "keep `retention_days: N` when the product counts in days, else `retention: ...` in its own words",
            );
            None
        }
    }
}

fn days(node: &Node, d: &mut Diags) -> Option<u32> {
    match node.as_i128() {
        Some(n) if (1..=i128::from(MAX_RETENTION_DAYS)).contains(&n) => u32::try_from(n).ok(),
        Some(n) => {
            d.error(
                node.loc,
                format!("`collection.retention_days` is {n}, outside 1 to {MAX_RETENTION_DAYS}"),
                "write the number of days the collector keeps the events (e.g. `retention_days: 365`), or state it in words with `retention: ...`",
            );
            None
        }
        None => {
            let found = match &node.kind {
                NodeKind::Scalar { text, plain: true } if !node.is_null() => format!("`{text}`"),
                NodeKind::Scalar { text, plain: false } => format!("the quoted string `{text}`"),
                _ => node.describe().to_string(),
            };
            d.error(
                node.loc,
                format!("`collection.retention_days` must be a whole number of days, found {found}"),
                "write e.g. `retention_days: 365`, unquoted; a retention not counted in days goes in `retention: ...`",
            );
            None
        }
    }
}

/// A statement the page shows as text: one line, not empty, at most `max` characters.
fn statement(node: &Node, what: &str, max: usize, example: &str, d: &mut Diags) -> Option<String> {
    let s = string(node, what, d)?;
    let problem = if s.trim().is_empty() {
        Some("it is empty".to_string())
    } else if s.contains(['\n', '\r']) {
        Some("it spans several lines".to_string())
    } else if s.chars().count() > max {
        Some(format!("it is longer than {max} characters"))
    } else {
        None
    };
    if let Some(problem) = problem {
        d.error(
            node.loc,
            format!("{what} cannot be shown on the page: {problem}"),
            format!("say it in one line of at most {max} characters, e.g. `{example}`"),
        );
        return None;
    }
    Some(s)
}

fn viewers(node: &Node, d: &mut Diags) -> Option<Vec<String>> {
    let NodeKind::Seq(items) = &node.kind else {
        d.error(
            node.loc,
            format!("`collection.viewers` must be a list, found {}", node.describe()),
            "write who can see the events, e.g. `viewers: [Homebrew maintainers who are granted access]`",
        );
        return None;
    };
    if items.is_empty() || items.len() > MAX_VIEWERS {
        let problem = if items.is_empty() { "is empty".to_string() } else { format!("lists {} entries", items.len()) };
        d.error(
            node.loc,
            format!("`collection.viewers` {problem}"),
            format!("list from 1 to {MAX_VIEWERS} who can see the events; leave the key out to state nothing"),
        );
        return None;
    }
    let mut seen: Vec<(String, Loc)> = Vec::new();
    let mut ok = true;
    let mut out = Vec::new();
    for item in items {
        let Some(v) = statement(item, "a `collection.viewers` entry", MAX_NAME, "Project maintainers", d) else {
            ok = false;
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == v) {
            d.error(
                item.loc,
                format!("`{v}` is listed twice in `collection.viewers` (first at {first})"),
                "remove one",
            );
            ok = false;
        }
        seen.push((v.clone(), item.loc));
        out.push(v);
    }
    ok.then_some(out)
}

/// `public_aggregates`: the https URL where they are published, or `true`.
fn public_aggregates(node: &Node, d: &mut Diags) -> Option<PublicAggregates> {
    if node.as_bool() == Some(true) {
        return Some(PublicAggregates::Unlinked);
    }
    let help = "write the address where the aggregates are published (`https://...`), or `true` when the product names none; leave the key out when it publishes none";
    if node.as_bool() == Some(false) {
        d.error(node.loc, "`collection.public_aggregates: false` states nothing", help);
        return None;
    }
    let s = string(node, "`collection.public_aggregates`", d)?;
    if let Some(problem) = super::url_problem(&s) {
        d.error(
            node.loc,
            format!("`collection.public_aggregates` must be a plain https URL or `true`: {problem}"),
            help,
        );
        return None;
    }
    Some(PublicAggregates::At(s))
}
