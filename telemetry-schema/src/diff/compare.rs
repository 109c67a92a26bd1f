//! Listing and classifying the changes between two versions of one schema:
//! the app, the context, events and fields. Consent changes are judged in
//! `consent.rs`; both write to the list in `out.rs`.

use super::Change;
use super::Class::{self, Breaks, Narrows, Widens, Wording};
use super::consent::consent;
use super::expiry::expiry;
use super::out::{Out, Side};
use super::types::within;
use crate::error::Loc;
use crate::model::{Collect, Event, Field, FieldType, HashScope, Identity, Schema};
use std::path::Path;

/// Every change from `base` to `head` (the same app; `None`: absent on
/// that side), in schema order: app, consent, context, events.
///
/// ```
/// # let today = "2026-01-01".parse().unwrap();
/// let s = |f: &str| telemetry_schema::load_str_on(&format!(
///     "version: 1\napp: {{ name: demo, title: Demo, description: x }}\nevents:\n  e:\n    description: x\n    fields:\n{f}"), "demo.yaml", today).unwrap();
/// let before = s("      a: { collect: allowed, type: enum, values: [x, y], description: x }\n");
/// let after = s("      a: { collect: allowed, type: enum, values: [x, z], description: x }\n");
/// let changes = telemetry_schema::diff::compare(Some(&before), Some(&after));
/// let text: Vec<String> = changes.iter().map(|c| format!("{}: {} {:?}", c.item, c.what, c.classes)).collect();
/// assert_eq!(text, ["e.a: enum values added: `z` [Widens]", "e.a: enum values removed: `y` [Narrows, Breaks]"]);
/// ```
pub fn compare(base: Option<&Schema>, head: Option<&Schema>) -> Vec<Change> {
    let none = Path::new("");
    let mut out = Out {
        changes: Vec::new(),
        base_file: base.map_or(none, |s| s.file.as_path()),
        head_file: head.map_or(none, |s| s.file.as_path()),
    };
    match (base, head) {
        (None, None) => {}
        (None, Some(h)) => {
            fields(&mut out, "context", &[], &h.context);
            for e in &h.events {
                new_event(&mut out, e);
            }
            super::metrics::metrics(&mut out, None, h);
        }
        (Some(b), None) => {
            out.push(
                "app",
                format!("schema of `{}` removed: nothing is collected any more", b.app.name),
                &[Narrows, Breaks],
                Side::Base(Loc::new(1, 1)),
            );
        }
        (Some(b), Some(h)) => {
            let (ba, ha) = (&b.app, &h.app);
            for (key, old, new) in [
                ("title", Some(&ba.title), Some(&ha.title)),
                ("term", ba.term.as_ref(), ha.term.as_ref()),
                ("description", Some(&ba.description), Some(&ha.description)),
                ("docs_url", ba.docs_url.as_ref(), ha.docs_url.as_ref()),
                ("privacy_url", ba.privacy_url.as_ref(), ha.privacy_url.as_ref()),
                ("owner", ba.owner.as_ref(), ha.owner.as_ref()),
                ("data_review", ba.data_review.as_ref(), ha.data_review.as_ref()),
            ] {
                if old != new {
                    out.push("app", format!("`app.{key}` changed"), &[Wording], Side::HeadFile);
                }
            }
            identity(&mut out, ba.identity, ha.identity);
            id_source(&mut out, ba.anonymous_id_env.as_deref(), ha.anonymous_id_env.as_deref());
            consent(&mut out, &b.consent, &h.consent);
            if b.never_collected != h.never_collected {
                out.push("app", "`never_collected` changed", &[Wording], Side::HeadFile);
            }
            super::collection::collection(&mut out, b.collection.as_ref(), h.collection.as_ref());
            fields(&mut out, "context", &b.context, &h.context);
            for be in &b.events {
                match h.event(&be.name) {
                    Some(he) => event(&mut out, be, he),
                    None => out.push(
                        &be.name,
                        format!("event removed (it carried {})", count(be)),
                        &[Narrows, Breaks],
                        Side::Base(be.loc),
                    ),
                }
            }
            for he in h.events.iter().filter(|e| b.event(&e.name).is_none()) {
                new_event(&mut out, he);
            }
            super::metrics::metrics(&mut out, Some(b), h);
        }
    }
    quiet_wording(out.changes)
}

/// Drops the wording-only lines of an item that also has a classified
/// change: its description or `data_review` changing beside a widening is
/// part of that change, and listed apart they read as if nothing else happened.
fn quiet_wording(changes: Vec<Change>) -> Vec<Change> {
    let classified: std::collections::BTreeSet<String> =
        changes.iter().filter(|c| !c.is(Wording)).map(|c| c.item.clone()).collect();
    changes.into_iter().filter(|c| c.classes != [Wording] || !classified.contains(&c.item)).collect()
}

/// `app.anonymous_id_env` names where the id sent with every event comes
/// from: a new or other variable can send an id that is not random (a
/// tenant id, a user's login), so it widens collection.
fn id_source(out: &mut Out<'_>, old: Option<&str>, new: Option<&str>) {
    let (what, classes): (String, &[Class]) = match (old, new) {
        (None, Some(n)) => {
            (format!("`anonymous_id_env: {n}` added: the id sent with every event can come from `{n}`"), &[Widens])
        }
        (Some(o), Some(n)) if o != n => {
            (format!("`anonymous_id_env` changed: `{o}` -> `{n}`: the id sent can come from `{n}`"), &[Widens])
        }
        (Some(o), None) => (format!("`anonymous_id_env: {o}` removed: the id is always random"), &[Narrows]),
        _ => return,
    };
    out.push("app", what, classes, Side::HeadFile);
}

/// `app.identity` says how far the id links events: `none` < `run` <
/// `install`. Linking more widens what is collected.
fn identity(out: &mut Out<'_>, old: Identity, new: Identity) {
    let what = |i: Identity| match i {
        Identity::Install => "one id per install, kept across runs",
        Identity::Run => "a new id each run",
        Identity::None => "no id",
    };
    let classes: &[Class] = match new.rank().cmp(&old.rank()) {
        std::cmp::Ordering::Greater => &[Widens],
        std::cmp::Ordering::Less => &[Narrows],
        std::cmp::Ordering::Equal => return,
    };
    let line = format!("identity: {} -> {}: events carry {}", old.as_str(), new.as_str(), what(new));
    out.push("app", line, classes, Side::HeadFile);
}

fn count(e: &Event) -> String {
    match e.fields.iter().filter(|f| f.is_collected()).count() {
        0 => "no fields".into(),
        1 => "1 field".into(),
        n => format!("{n} fields"),
    }
}

fn new_event(out: &mut Out<'_>, e: &Event) {
    out.push(&e.name, format!("new event, with {}", count(e)), &[Widens], Side::Head(e.loc));
}

fn event(out: &mut Out<'_>, b: &Event, h: &Event) {
    let at = Side::Head(h.loc);
    for (key, changed) in [
        ("description", b.description != h.description),
        ("when", b.when != h.when),
        ("owner", b.owner != h.owner),
        ("data_review", b.data_review != h.data_review),
    ] {
        if changed {
            out.push(&h.name, format!("`{key}` changed"), &[Wording], at);
        }
    }
    expiry(out, &h.name, &b.expires, &h.expires, at);
    fields(out, &h.name, &b.fields, &h.fields);
}

fn fields(out: &mut Out<'_>, prefix: &str, base: &[Field], head: &[Field]) {
    let path = |f: &Field| format!("{prefix}.{}", f.name);
    for b in base {
        match head.iter().find(|h| h.name == b.name) {
            Some(h) => field(out, &path(h), b, h),
            None if b.is_collected() => out.push(
                &path(b),
                format!("field removed (was collected as {})", how(b)),
                &[Narrows, Breaks],
                Side::Base(b.loc),
            ),
            None => out.push(
                &path(b),
                "forbidden field removed from the schema (its promise leaves the page)",
                &[Wording],
                Side::Base(b.loc),
            ),
        }
    }
    for h in head.iter().filter(|h| !base.iter().any(|b| b.name == h.name)) {
        if h.is_collected() {
            out.push(&path(h), format!("new field, collected as {}", how(h)), &[Widens], Side::Head(h.loc));
        } else {
            out.push(&path(h), "new forbidden field", &[Wording], Side::Head(h.loc));
        }
    }
}

/// `allowed (string)`, `hashed (list of string)`.
fn how(f: &Field) -> String {
    match &f.ty {
        Some(ty) => format!("{} ({})", f.collect.as_str(), ty.name()),
        None => f.collect.as_str().to_string(),
    }
}

fn rank(c: Collect) -> u8 {
    match c {
        Collect::Forbidden => 0,
        Collect::Hashed => 1,
        Collect::Allowed => 2,
    }
}

fn field(out: &mut Out<'_>, item: &str, b: &Field, h: &Field) {
    let at = Side::Head(h.loc);
    let collect = format!("collect: {} -> {}", b.collect.as_str(), h.collect.as_str());
    match rank(h.collect).cmp(&rank(b.collect)) {
        std::cmp::Ordering::Greater => out.push(item, collect, &[Widens], at),
        std::cmp::Ordering::Less if h.collect == Collect::Forbidden => {
            out.push(item, format!("{collect}: no longer sent"), &[Narrows, Breaks], at)
        }
        std::cmp::Ordering::Less => out.push(item, collect, &[Narrows], at),
        std::cmp::Ordering::Equal => {}
    }
    hash_scope(out, item, b, h, at);
    for (key, changed) in [
        ("description", b.description != h.description),
        ("reason", b.reason != h.reason),
        ("reviewed", b.reviewed != h.reviewed),
        ("example", b.example != h.example),
        ("data_review", b.data_review != h.data_review),
    ] {
        if changed {
            out.push(item, format!("`{key}` changed"), &[Wording], at);
        }
    }
    // A forbidden side has no type: the collect change above says it all.
    let (Some(bt), Some(ht)) = (&b.ty, &h.ty) else { return };
    if !b.is_collected() || !h.is_collected() {
        return;
    }
    match (b.required, h.required) {
        (false, true) => out.push(item, "optional -> required", &[Breaks], at),
        (true, false) => out.push(item, "required -> optional: left out when there is no value", &[Narrows], at),
        _ => {}
    }
    ty(out, item, "", bt, ht, at);
}

/// A hashed field's scope, when it stays hashed: a product key makes its
/// hashes comparable across installs (and reversible by the key's holder
/// for small sets of values), so `install -> product` widens.
fn hash_scope(out: &mut Out<'_>, item: &str, b: &Field, h: &Field, at: Side) {
    if b.collect != Collect::Hashed || h.collect != Collect::Hashed || b.hash == h.hash {
        return;
    }
    match h.hash {
        HashScope::Product => {
            out.push(item, "hash: install -> product: its hashes can be compared across installs", &[Widens], at)
        }
        HashScope::Install => {
            out.push(item, "hash: product -> install: its hashes compare within one install only", &[Narrows], at)
        }
    }
}

/// Compares two types of one field; `of` prefixes what is said about list items (`items: `).
fn ty(out: &mut Out<'_>, item: &str, of: &str, b: &FieldType, h: &FieldType, at: Side) {
    match (b, h) {
        (FieldType::String { max_length: old }, FieldType::String { max_length: new }) => match (old, new) {
            (Some(o), Some(n)) if n > o => out.push(item, format!("{of}max_length raised: {o} -> {n}"), &[Widens], at),
            (Some(o), Some(n)) if n < o => {
                out.push(item, format!("{of}max_length lowered: {o} -> {n}"), &[Narrows], at)
            }
            (Some(o), None) => out.push(item, format!("{of}max_length removed (was {o})"), &[Widens], at),
            (None, Some(n)) => out.push(item, format!("{of}max_length set: {n}"), &[Narrows], at),
            _ => {}
        },
        (FieldType::Enum { values: old }, FieldType::Enum { values: new }) => {
            let list = |v: Vec<&String>| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
            let added: Vec<&String> = new.iter().filter(|v| !old.contains(v)).collect();
            let removed: Vec<&String> = old.iter().filter(|v| !new.contains(v)).collect();
            if !added.is_empty() {
                out.push(item, format!("{of}enum values added: {}", list(added)), &[Widens], at);
            }
            if !removed.is_empty() {
                out.push(item, format!("{of}enum values removed: {}", list(removed)), &[Narrows, Breaks], at);
            }
        }
        (FieldType::Object { fields: old }, FieldType::Object { fields: new }) => fields(out, item, old, new),
        (FieldType::List { items: old }, FieldType::List { items: new }) => {
            ty(out, item, &format!("{of}items: "), old, new, at)
        }
        (old, FieldType::Object { fields: new }) => {
            // What the object holds is collected field by field: each is listed, and reviewed, as a new field.
            out.push(item, format!("{of}type: {} -> object", old.name()), &[Breaks], at);
            fields(out, item, &[], new);
        }
        (old, new) if old.keyword() != new.keyword() => {
            let what = format!("{of}type: {} -> {}", old.name(), new.name());
            if within(new, old) {
                out.push(item, format!("{what}: admits fewer values"), &[Narrows, Breaks], at)
            } else {
                out.push(item, format!("{what}: admits values the old type did not"), &[Widens, Breaks], at)
            }
        }
        _ => {}
    }
}
