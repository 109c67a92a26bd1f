//! How an expiry changed, for events and metrics alike.

use super::Class::{Narrows, Widens, Wording};
use super::out::{Out, Side};
use crate::model::Expiry;

/// An event's or a metric's expiry change: later widens, earlier narrows.
pub(super) fn expiry(out: &mut Out<'_>, item: &str, b: &Option<Expiry>, h: &Option<Expiry>, at: Side) {
    match (b, h) {
        (Some(Expiry::On(old)), Some(Expiry::On(new))) if new > old => {
            out.push(item, format!("expiry moved later: {old} -> {new}"), &[Widens], at)
        }
        (Some(Expiry::On(old)), Some(Expiry::On(new))) if new < old => {
            out.push(item, format!("expiry moved earlier: {old} -> {new}"), &[Narrows], at)
        }
        (Some(Expiry::On(old)), None | Some(Expiry::Never { .. })) => {
            out.push(item, format!("no longer expires (was {old})"), &[Widens], at)
        }
        (None | Some(Expiry::Never { .. }), Some(Expiry::On(new))) => {
            out.push(item, format!("now expires on {new}"), &[Narrows], at)
        }
        (None, Some(Expiry::Never { .. })) => {
            out.push(item, "now says `expires: never`, with a reason", &[Wording], at)
        }
        (Some(Expiry::Never { .. }), None) => out.push(item, "no longer says `expires: never`", &[Wording], at),
        (old, new) if old != new => out.push(item, "`expires_reason` changed", &[Wording], at),
        _ => {}
    }
}
