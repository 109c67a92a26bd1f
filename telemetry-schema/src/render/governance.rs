//! The governance parts of the page: version and owner, each event's
//! expiry, and "How this promise changed" from `history`.

use super::text::{code, text};
use crate::date::Date;
use crate::model::Expiry;
use crate::model::{Event, Schema};

/// The line under the introduction: `Schema version **1.1**; owner: ...`, or
/// nothing for an unversioned schema without an owner.
pub(super) fn header(schema: &Schema) -> Option<String> {
    let version = schema.schema_version.map(|v| format!("Schema version **{v}**"));
    let owner = schema.app.owner.as_deref().map(|o| format!("owner: {}", text(o)));
    match (version, owner) {
        (Some(v), Some(o)) => Some(format!("{v}; {o}.")),
        (Some(v), None) => Some(format!("{v}.")),
        (None, Some(o)) => Some(format!("{} {o}.", super::text::capitalized(schema.app.term()))),
        (None, None) => None,
    }
}

/// The lines under an event's description: its owner when it differs from
/// the app's, and when it stops being collected as of `today`.
pub(super) fn event_lines(schema: &Schema, e: &Event, today: Date) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(o) = e.owner.as_deref().filter(|o| Some(*o) != schema.app.owner.as_deref()) {
        out.push(format!("**Owner:** {}", text(o)));
    }
    match &e.expires {
        Some(Expiry::On(date)) if e.expired_on(today) => out.push(format!(
            "**Expired on {date}: no longer sent.** The declaration stays so the page tells what was collected."
        )),
        Some(Expiry::On(date)) => out.push(format!("**Expires:** {date}; from that day on it is no longer sent.")),
        Some(Expiry::Never { reason }) => out.push(format!("**Expires:** never. {}", text(reason))),
        None => {}
    }
    out
}

/// The "How this promise changed" section, newest version first; empty
/// when the schema has no history.
pub(super) fn history(schema: &Schema) -> String {
    if schema.history.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "## How this promise changed\n\nEach version of this page's schema, newest first, with what it started (or stopped) collecting.\n\n",
    );
    let items = |list: &[String]| list.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ");
    for h in schema.history.iter().rev() {
        out.push_str(&format!("### Version {} ({})\n\n", h.version, h.date));
        if let Some(s) = &h.summary {
            out.push_str(&format!("{}\n\n", text(s)));
        }
        if !h.widens.is_empty() {
            out.push_str(&format!("- Collects more: {}.\n", items(&h.widens)));
        }
        if !h.narrows.is_empty() {
            out.push_str(&format!("- Collects less: {}.\n", items(&h.narrows)));
        }
        if h.widens.is_empty() && h.narrows.is_empty() {
            out.push_str("- No change to what is collected.\n");
        }
        out.push('\n');
    }
    out
}
