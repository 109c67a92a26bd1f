//! Reading the governance keys (`schema_version`, `owner`, `expires`,
//! `data_review`, `history`); the rules across them are in `valid/governance.rs`.

use super::shape::{Map, non_empty, string};
use crate::date::Date;
use crate::error::Diags;
use crate::model::{Expiry, HistoryEntry, SchemaVersion, placeholder_problem};
use crate::yaml::{Node, NodeKind};

pub(crate) fn schema_version(node: &Node, d: &mut Diags) -> Option<SchemaVersion> {
    let text = node.scalar().filter(|_| !node.is_null());
    match text.map(str::parse::<SchemaVersion>) {
        Some(Ok(v)) => Some(v),
        _ => {
            let found = text.map_or_else(|| node.describe().to_string(), |t| format!("`{t}`"));
            d.error(
                node.loc,
                format!("`schema_version` must be `MAJOR.MINOR`, found {found}"),
                "write it quoted, e.g. `schema_version: \"1.0\"`",
            );
            None
        }
    }
}

/// A review entry or a reason: written text, not a placeholder.
pub(crate) fn review(node: &Node, what: &str, d: &mut Diags) -> Option<String> {
    let s = string(node, what, d)?;
    if let Some(problem) = placeholder_problem(&s) {
        d.error(
            node.loc,
            format!("{what} is not written yet: {problem}"),
            "give a link to the review (e.g. `https://...`) or a sentence saying why, of at least 10 characters",
        );
        return None;
    }
    Some(s)
}

/// The optional `data_review` of `m` (a section, event or field), refusing placeholders.
pub(crate) fn review_key(m: &Map<'_>, what: &str, d: &mut Diags) -> Option<Option<String>> {
    match m.value("data_review") {
        None => Some(None),
        Some(n) => review(n, &format!("`data_review` of {what}"), d).map(Some),
    }
}

/// What an event or a metric says of who answers for it and for how long:
/// `owner`, `expires` (with `expires_reason`) and `data_review`.
pub(crate) struct Governed {
    pub(crate) owner: Option<String>,
    pub(crate) expires: Option<Expiry>,
    pub(crate) data_review: Option<String>,
}

/// The governance keys of `m` (an event or a metric called `what`), every problem reported.
pub(crate) fn governed(m: &Map<'_>, what: &str, d: &mut Diags) -> Option<Governed> {
    let owner = match m.value("owner") {
        None => Some(None),
        Some(n) => owner(n, &format!("`owner` of {what}"), d).map(Some),
    };
    let expires = expires(m, what, d);
    let data_review = review_key(m, what, d);
    Some(Governed { owner: owner?, expires: expires?, data_review: data_review? })
}

/// An owner: an email address or a team name.
pub(crate) fn owner(node: &Node, what: &str, d: &mut Diags) -> Option<String> {
    let s = non_empty(node, what, d)?;
    let t = s.trim();
    let email_ok = |t: &str| {
        t.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        }) && !t.contains(char::is_whitespace)
    };
    let placeholder = placeholder_problem(t).filter(|p| !p.contains("too short"));
    if let Some(problem) =
        placeholder.or_else(|| (t.contains('@') && !email_ok(t)).then(|| format!("`{t}` is not an email address")))
    {
        d.error(
            node.loc,
            format!("{what} is not an owner: {problem}"),
            "write an email address (`telemetry@example.org`) or a team name (`Platform team`)",
        );
        return None;
    }
    Some(s)
}

/// `expires` (and its `expires_reason`) of an event.
pub(crate) fn expires(m: &Map<'_>, what: &str, d: &mut Diags) -> Option<Option<Expiry>> {
    let reason_key = m.get("expires_reason");
    let Some(node) = m.value("expires") else {
        if let Some((k, _)) = reason_key {
            d.error(
                k.loc,
                format!("{what} has `expires_reason` but no `expires`"),
                "add `expires: never`, or remove `expires_reason`",
            );
            return None;
        }
        return Some(None);
    };
    let text = node.scalar().filter(|_| !node.is_null()).unwrap_or("");
    if text == "never" {
        let Some((_, r)) = reason_key else {
            d.error(
                node.loc,
                format!("{what} never expires but gives no `expires_reason`"),
                "add `expires_reason: \"why this event is needed for as long as the product exists\"`, or give a date (`expires: 2027-06-30`)",
            );
            return None;
        };
        let reason = review(r, &format!("`expires_reason` of {what}"), d)?;
        return Some(Some(Expiry::Never { reason }));
    }
    let date = match text.parse::<Date>() {
        Ok(date) => date,
        Err(e) => {
            let found = if text.is_empty() { node.describe().to_string() } else { format!("`{text}`") };
            d.error(
                node.loc,
                format!("`expires` of {what} must be a date or `never`, found {found}: {e}"),
                "write `expires: 2027-06-30` (YYYY-MM-DD) or `expires: never` with an `expires_reason`",
            );
            return None;
        }
    };
    if let Some((k, _)) = reason_key {
        d.error(
            k.loc,
            format!("{what} expires on {date}, so `expires_reason` does not apply"),
            "remove `expires_reason`; it explains `expires: never` only",
        );
        return None;
    }
    Some(Some(Expiry::On(date)))
}

/// `history:`: one entry per version.
pub(crate) fn history(node: &Node, d: &mut Diags) -> Option<Vec<HistoryEntry>> {
    let NodeKind::Seq(items) = &node.kind else {
        d.error(
            node.loc,
            format!("`history` must be a list, found {}", node.describe()),
            "write one `- { version: \"1.1\", date: 2026-01-31, widens: [event.field] }` per version",
        );
        return None;
    };
    let entries: Vec<Option<HistoryEntry>> = items.iter().map(|item| entry(item, d)).collect();
    entries.into_iter().collect()
}

fn entry(node: &Node, d: &mut Diags) -> Option<HistoryEntry> {
    const WHAT: &str = "a `history` entry";
    let m = Map::new(node, WHAT, &["version", "date", "widens", "narrows", "summary"], d)?;
    let version = m.required("version", WHAT, "\"1.1\"", d).and_then(|n| schema_version(n, d));
    let date = m.required("date", WHAT, "2026-01-31", d).and_then(|n| {
        let text = string(n, "`date`", d)?;
        match text.parse::<Date>() {
            Ok(date) => Some(date),
            Err(e) => {
                d.error(
                    n.loc,
                    format!("`date` of {WHAT} is `{text}`: {e}"),
                    "write the day the version was published, e.g. `date: 2026-01-31`",
                );
                None
            }
        }
    });
    let list = |key: &str, d: &mut Diags| -> Option<Vec<String>> {
        let Some(n) = m.value(key) else { return Some(Vec::new()) };
        let NodeKind::Seq(items) = &n.kind else {
            d.error(
                n.loc,
                format!("`{key}` of {WHAT} must be a list, found {}", n.describe()),
                format!("write `{key}: [event, event.field, context.field, consent]`"),
            );
            return None;
        };
        let names: Vec<Option<String>> = items.iter().map(|i| string(i, &format!("an item of `{key}`"), d)).collect();
        names.into_iter().collect()
    };
    let widens = list("widens", d);
    let narrows = list("narrows", d);
    let summary = match m.value("summary") {
        Some(n) => non_empty(n, "`summary`", d).map(Some),
        None => Some(None),
    };
    Some(HistoryEntry {
        version: version?,
        date: date?,
        widens: widens?,
        narrows: narrows?,
        summary: summary?,
        loc: node.loc,
    })
}
