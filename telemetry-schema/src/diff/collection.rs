//! Classifying changes to what a product states about its server
//! (`collection:`), item `collection`. A statement left out allows
//! anything, so stating one narrows and dropping one widens; a longer
//! retention, more viewers, newly published aggregates or an IP address
//! kept where it was not widen; statements in words that changed cannot be
//! compared, so they are both (a reviewer reads them).

use super::Class::{self, Narrows, Widens, Wording};
use super::out::{Out, Side};
use crate::model::{Collection, IpAddress, Retention};

const ITEM: &str = "collection";

/// Every change from `b` to `h` (`None`: the section is absent).
pub(super) fn collection(out: &mut Out<'_>, b: Option<&Collection>, h: Option<&Collection>) {
    let none = Collection::default();
    let at = h.map_or(Side::HeadFile, |c| Side::Head(c.loc));
    let (b, h) = (b.unwrap_or(&none), h.unwrap_or(&none));
    retention(out, b.retention.as_ref(), h.retention.as_ref(), at);
    for (key, old, new) in [
        ("operator", &b.operator, &h.operator),
        ("service", &b.service, &h.service),
        ("location", &b.location, &h.location),
    ] {
        stated(out, key, old.as_deref(), new.as_deref(), at);
    }
    viewers(out, &b.viewers, &h.viewers, at);
    match (&b.public_aggregates, &h.public_aggregates) {
        (None, Some(_)) => out.push(ITEM, "aggregates of the data now published", &[Widens], at),
        (Some(_), None) => out.push(ITEM, "aggregates of the data no longer published", &[Narrows], at),
        (Some(o), Some(n)) if o != n => out.push(ITEM, "`public_aggregates` address changed", &[Wording], at),
        _ => {}
    }
    ip_address(out, b.ip_address, h.ip_address, at);
    if b.data_review != h.data_review {
        out.push(ITEM, "`data_review` changed", &[Wording], at);
    }
}

fn said(r: &Retention) -> String {
    match r {
        Retention::Days(n) => format!("{n} days"),
        Retention::Stated(s) => format!("`{s}`"),
    }
}

fn retention(out: &mut Out<'_>, old: Option<&Retention>, new: Option<&Retention>, at: Side) {
    let (what, classes): (String, &[Class]) = match (old, new) {
        (o, n) if o == n => return,
        (None, Some(n)) => (format!("retention stated: {}", said(n)), &[Narrows]),
        (Some(o), None) => (format!("retention no longer stated (was {})", said(o)), &[Widens]),
        (Some(Retention::Days(o)), Some(Retention::Days(n))) if n > o => {
            (format!("retention: {o} -> {n} days (kept longer)"), &[Widens])
        }
        (Some(Retention::Days(o)), Some(Retention::Days(n))) => {
            (format!("retention: {o} -> {n} days (kept shorter)"), &[Narrows])
        }
        (Some(o), Some(n)) => {
            (format!("retention: {} -> {} (in words: cannot be compared)", said(o), said(n)), &[Widens, Narrows])
        }
        (None, None) => return,
    };
    out.push(ITEM, what, classes, at);
}

/// `operator`, `service`, `location`: who holds the data and where.
fn stated(out: &mut Out<'_>, key: &str, old: Option<&str>, new: Option<&str>, at: Side) {
    let (what, classes): (String, &[Class]) = match (old, new) {
        (o, n) if o == n => return,
        (None, Some(n)) => (format!("`{key}` stated: `{n}`"), &[Narrows]),
        (Some(o), None) => (format!("`{key}` no longer stated (was `{o}`)"), &[Widens]),
        (Some(o), Some(n)) => {
            (format!("`{key}`: `{o}` -> `{n}` (the data goes elsewhere: cannot be compared)"), &[Widens, Narrows])
        }
        (None, None) => return,
    };
    out.push(ITEM, what, classes, at);
}

fn viewers(out: &mut Out<'_>, old: &[String], new: &[String], at: Side) {
    let list = |v: Vec<&String>| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    match (old.is_empty(), new.is_empty()) {
        (true, true) => {}
        (true, false) => out.push(ITEM, format!("viewers stated: {}", list(new.iter().collect())), &[Narrows], at),
        (false, true) => {
            out.push(ITEM, format!("viewers no longer stated (were {})", list(old.iter().collect())), &[Widens], at)
        }
        (false, false) => {
            let added: Vec<&String> = new.iter().filter(|v| !old.contains(v)).collect();
            let removed: Vec<&String> = old.iter().filter(|v| !new.contains(v)).collect();
            if !added.is_empty() {
                out.push(ITEM, format!("viewers added: {}", list(added)), &[Widens], at);
            }
            if !removed.is_empty() {
                out.push(ITEM, format!("viewers removed: {}", list(removed)), &[Narrows], at);
            }
        }
    }
}

fn ip_address(out: &mut Out<'_>, old: Option<IpAddress>, new: Option<IpAddress>, at: Side) {
    let (what, classes): (String, &[Class]) = match (old, new) {
        (o, n) if o == n => return,
        // Nothing stated allows storing it: stating `stored` promises nothing new.
        (None, Some(IpAddress::Stored)) => ("`ip_address: stored` stated".into(), &[Wording]),
        (Some(IpAddress::Stored), None) => ("`ip_address: stored` no longer stated".into(), &[Wording]),
        (None, Some(n)) => (format!("`ip_address: {}` stated", n.keyword()), &[Narrows]),
        (Some(o), None) => (format!("`ip_address: {}` no longer stated", o.keyword()), &[Widens]),
        (Some(o), Some(n)) if n > o => {
            (format!("`ip_address`: {} -> {} (more of the address kept)", o.keyword(), n.keyword()), &[Widens])
        }
        (Some(o), Some(n)) => {
            (format!("`ip_address`: {} -> {} (less of the address kept)", o.keyword(), n.keyword()), &[Narrows])
        }
        (None, None) => return,
    };
    out.push(ITEM, what, classes, at);
}
