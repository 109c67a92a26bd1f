//! Rules across the governance keys: `history` against `schema_version`,
//! and the expiry warnings, which depend on today's date.

use crate::date::Date;
use crate::error::Diags;
use crate::model::{Expiry, Schema, SchemaVersion};

/// An expiry further away than this many years from today is warned about:
/// a date that far off is not a decision to review the event.
pub(crate) const FAR_EXPIRY_YEARS: u16 = 2;

/// Rules across keys, and the warnings that depend on `today`.
pub(crate) fn check(schema: &Schema, today: Date, d: &mut Diags) {
    let mut previous: Option<SchemaVersion> = None;
    for h in &schema.history {
        match schema.schema_version {
            None => d.error(
                h.loc,
                format!("`history` has an entry for version {} but the schema has no `schema_version`", h.version),
                format!("add `schema_version: \"{}\"` (the newest version in `history`)", h.version),
            ),
            Some(v) if h.version > v => d.error(
                h.loc,
                format!("`history` has an entry for version {} but `schema_version` is {v}", h.version),
                format!("set `schema_version: \"{}\"`, or remove the entry", h.version),
            ),
            Some(_) => {}
        }
        if previous.is_some_and(|p| p >= h.version) {
            d.error(
                h.loc,
                format!("`history` entry {} is out of order", h.version),
                "list the versions oldest first, each once",
            );
        }
        previous = Some(h.version);
    }
    let far = today.plus_years(FAR_EXPIRY_YEARS);
    for e in &schema.events {
        let Some(Expiry::On(date)) = e.expires else { continue };
        if e.expired_on(today) {
            d.warn(
                e.loc,
                format!("event `{}` expired on {date}: it still compiles, but nothing is recorded for it", e.name),
                "remove the event and the code that records it, or move `expires` to a later date after a new review",
            );
        } else if date > far {
            d.warn(e.loc, format!("event `{}` expires on {date}, more than {FAR_EXPIRY_YEARS} years from today ({today})", e.name), format!("choose a date no later than {far} and review the event then, or write `expires: never` with an `expires_reason`"));
        }
    }
}
