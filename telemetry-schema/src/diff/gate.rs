//! The gate: what a classified change needs before it ships.

use super::{AppDiff, Change, Class, Finding, Level, Verdict, compare};
use crate::date::Date;
use crate::model::{Field, FieldType, Schema};
use crate::model::{HistoryEntry, SchemaVersion};
use std::collections::{BTreeMap, BTreeSet};

/// Compares two sets of schemas, matched by `app.name`, and judges every
/// app's changes (see [`gate_app`]). Apps come in name order. A missing
/// `history` entry is asked for with today's date.
pub fn gate(base: &[Schema], head: &[Schema]) -> Verdict {
    gate_on(base, head, Date::today())
}

/// [`gate`], asking for a missing `history` entry dated `today`, so that a
/// caller (a test) gets the same report every day.
pub fn gate_on(base: &[Schema], head: &[Schema], today: Date) -> Verdict {
    let mut names: BTreeMap<&str, (Option<&Schema>, Option<&Schema>)> = BTreeMap::new();
    for s in base {
        names.entry(&s.app.name).or_default().0 = Some(s);
    }
    for s in head {
        names.entry(&s.app.name).or_default().1 = Some(s);
    }
    let mut verdict = Verdict::default();
    for (b, h) in names.into_values() {
        let (app, findings) = gate_app(b, h, today);
        verdict.apps.push(app);
        verdict.findings.extend(findings);
    }
    verdict
}

/// The changes of one app and the gate's findings about them:
///
/// - the version: a change that breaks collectors needs a new MAJOR, one
///   that widens or narrows collection a higher version; a published
///   version never changes what is collected, and never goes back;
/// - every widening change, and every change that needs a review (how users
///   opt out), needs a `data_review` on its item, new or rewritten (the
///   review of an earlier change does not cover this one);
/// - the `history` entry of the new version lists exactly the items that
///   widen (`widens:`) and narrow (`narrows:`), and earlier entries stay as
///   published; a missing entry is asked for, dated `today`, in the same
///   run as the version and the reviews, whether or not the version was raised;
/// - each narrowing change gets a note.
pub fn gate_app(base: Option<&Schema>, head: Option<&Schema>, today: Date) -> (AppDiff, Vec<Finding>) {
    let changes = compare(base, head);
    let name = head.or(base).map_or_else(String::new, |s| s.app.name.clone());
    let from = base.and_then(|s| s.schema_version);
    let to = head.and_then(|s| s.schema_version);
    let mut findings = Vec::new();
    if let Some(head) = head {
        let mut f = Judge { app: &name, file: head.file.display().to_string(), out: &mut findings };
        let version = f.version(&changes, from, to);
        f.reviews(&changes, base, head);
        f.history(&changes, base, head, version, today);
    }
    for c in changes.iter().filter(|c| c.is(Class::Narrows)) {
        findings.push(Finding {
            level: Level::Note,
            app: name.clone(),
            location: c.location.clone(),
            message: format!("`{}` narrows collection ({})", c.item, c.what),
            help: None,
        });
    }
    (AppDiff { app: name, from, to, changes }, findings)
}

struct Judge<'a> {
    app: &'a str,
    file: String,
    out: &'a mut Vec<Finding>,
}

impl Judge<'_> {
    fn error(&mut self, location: &str, message: String, help: String) {
        let app = self.app.to_string();
        self.out.push(Finding { level: Level::Error, app, location: location.to_string(), message, help: Some(help) });
    }

    /// Checks the version; returns the version the change is published as:
    /// the new one when it was raised as needed, else the one to set.
    fn version(
        &mut self,
        changes: &[Change],
        from: Option<SchemaVersion>,
        to: Option<SchemaVersion>,
    ) -> Option<SchemaVersion> {
        let file = self.file.clone();
        let breaks = changes.iter().find(|c| c.is(Class::Breaks));
        let moves = changes.iter().find(|c| c.is(Class::Widens) || c.is(Class::Narrows));
        let why = match (breaks, moves) {
            (Some(c), _) => format!("`{}` breaks collectors ({})", c.item, c.what),
            (None, Some(c)) => format!("`{}` {} ({})", c.item, c.classes[0], c.what),
            (None, None) => String::new(),
        };
        let needed = from.map(|f| if breaks.is_some() { f.next_major() } else { f.next_minor() });
        let set = |v: SchemaVersion| format!("set `schema_version: \"{v}\"`");
        let (fix, message, help) = match (from, to) {
            (Some(f), Some(t)) if t < f => {
                let v = needed.filter(|_| !why.is_empty()).unwrap_or(f);
                (v, format!("`schema_version` goes back from {f} to {t}"), set(v))
            }
            (_, None) if !why.is_empty() => {
                let v = needed.unwrap_or(SchemaVersion { major: 1, minor: 0 });
                (v, format!("{why}, but the schema has no `schema_version`"), format!("add `schema_version: \"{v}\"`"))
            }
            (Some(f), Some(t)) if t == f && !why.is_empty() => {
                let v = needed.unwrap_or(f);
                (
                    v,
                    format!(
                        "{why}, but `schema_version` stays {f}: a published version never changes what is collected"
                    ),
                    set(v),
                )
            }
            (Some(f), Some(t)) if breaks.is_some() && t.major == f.major => (
                f.next_major(),
                format!("{why}, so the major version must rise, but `schema_version` goes from {f} to {t}"),
                set(f.next_major()),
            ),
            _ => return to,
        };
        self.error(&file, message, help);
        Some(fix)
    }

    fn reviews(&mut self, changes: &[Change], base: Option<&Schema>, head: &Schema) {
        for c in changes.iter().filter(|c| c.is(Class::Widens) || c.is(Class::Review)) {
            let now = review_of(head, &c.item).flatten();
            let before = base.and_then(|b| review_of(b, &c.item)).flatten();
            let on = describe(&c.item);
            let class = if c.is(Class::Widens) { Class::Widens } else { Class::Review };
            match now {
                None => self.error(
                    &c.location,
                    format!("`{}` {class} ({}) and has no `data_review`", c.item, c.what),
                    format!("add `data_review: \"<link to the review, or why this is fine>\"` to {on}"),
                ),
                Some(r) if Some(r) == before => self.error(
                    &c.location,
                    format!("`{}` {class} ({}) but its `data_review` is the one of an earlier change", c.item, c.what),
                    format!("replace the `data_review` of {on} with the review of this change"),
                ),
                Some(_) => {}
            }
        }
    }

    fn history(
        &mut self,
        changes: &[Change],
        base: Option<&Schema>,
        head: &Schema,
        version: Option<SchemaVersion>,
        today: Date,
    ) {
        let file = self.file.clone();
        for old in base.map_or(&[][..], |b| &b.history) {
            if !head.history.iter().any(|h| same_entry(h, old)) {
                self.error(
                    &file,
                    format!("the `history` entry of published version {} was changed or removed", old.version),
                    "restore it as it was: history is part of the published promise".into(),
                );
            }
        }
        let set = |class: Class| -> BTreeSet<&str> {
            changes.iter().filter(|c| c.is(class)).map(|c| c.item.as_str()).collect()
        };
        let (widens, narrows) = (set(Class::Widens), set(Class::Narrows));
        // The version this change is published as: the new one, or the one the version finding asks for.
        let Some(version) = version else { return };
        if widens.is_empty() && narrows.is_empty() {
            return;
        }
        let list = |s: &BTreeSet<&str>| s.iter().copied().collect::<Vec<_>>().join(", ");
        let Some(entry) = head.history.iter().find(|h| h.version == version) else {
            let mut wanted = format!("{{ version: \"{version}\", date: {today}");
            for (key, s) in [("widens", &widens), ("narrows", &narrows)] {
                if !s.is_empty() {
                    wanted.push_str(&format!(", {key}: [{}]", list(s)));
                }
            }
            wanted.push_str(&format!(", summary: {} }}", yaml_quoted(&summary(changes))));
            let help = if head.history.is_empty() {
                format!("add the line `history: [{wanted}]` at the end of the file")
            } else {
                format!("add the line `  - {wanted}` at the end of `history`")
            };
            self.error(
                &file,
                format!("`history` has no entry for version {version}, which changes what is collected"),
                help,
            );
            return;
        };
        let location = format!("{file}:{}", entry.loc);
        for (key, want, have) in [("widens", &widens, &entry.widens), ("narrows", &narrows, &entry.narrows)] {
            let have: BTreeSet<&str> = have.iter().map(String::as_str).collect();
            let missing: BTreeSet<&str> = want.difference(&have).copied().collect();
            let extra: BTreeSet<&str> = have.difference(want).copied().collect();
            if !missing.is_empty() {
                self.error(
                    &location,
                    format!("the `history` entry of version {version} does not list under `{key}`: {}", list(&missing)),
                    format!("add {} to its `{key}`", list(&missing)),
                );
            }
            if !extra.is_empty() {
                self.error(
                    &location,
                    format!(
                        "the `history` entry of version {version} lists under `{key}` what this change does not {}: {}",
                        key.trim_end_matches('s'),
                        list(&extra)
                    ),
                    format!("remove {} from its `{key}`", list(&extra)),
                );
            }
        }
    }
}

/// A sentence for the page naming each change in what is collected:
/// `run.project: hashed -> sent as is; run.region: new field, ...`.
fn summary(changes: &[Change]) -> String {
    let moved = changes.iter().filter(|c| c.is(Class::Widens) || c.is(Class::Narrows));
    let said: Vec<String> = moved.map(|c| format!("{}: {}", c.item, plain(&c.what))).collect();
    format!("{}.", said.join("; "))
}

/// A change as the page says it: collect classes in the page's words
/// (`hashed -> sent as is`), and no Markdown.
fn plain(what: &str) -> String {
    fn word(w: &str) -> &str {
        match w {
            "allowed" => "sent as is",
            "forbidden" => "never sent",
            other => other,
        }
    }
    let said = match what.strip_prefix("collect: ").and_then(|r| r.split_once(" -> ")) {
        Some((old, new)) => format!("{} -> {}", word(old), word(new.split(':').next().unwrap_or(new))),
        None => what.to_string(),
    };
    said.replace('`', "")
}

/// `text` as a double-quoted YAML scalar.
fn yaml_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn same_entry(a: &HistoryEntry, b: &HistoryEntry) -> bool {
    (a.version, a.date, &a.widens, &a.narrows, &a.summary) == (b.version, b.date, &b.widens, &b.narrows, &b.summary)
}

/// `field `b` of event `a``, `context field `os``, `event `e``, `consent`, `app`.
fn describe(item: &str) -> String {
    if let Some(metric) = item.strip_prefix("metric:") {
        return format!("metric `{metric}`");
    }
    match item.split_once('.') {
        _ if item == "consent" || item == "app" || item == "collection" => format!("`{item}`"),
        Some(("context", rest)) => format!("context field `{rest}`"),
        Some((event, rest)) => format!("field `{rest}` of event `{event}`"),
        None => format!("event `{item}`"),
    }
}

/// The `data_review` of `item` in `schema`: `None` when the item does not
/// exist there, `Some(None)` when it has none.
fn review_of<'a>(schema: &'a Schema, item: &str) -> Option<Option<&'a str>> {
    match item {
        "consent" => return Some(schema.consent.data_review.as_deref()),
        "app" => return Some(schema.app.data_review.as_deref()),
        "collection" => return Some(schema.collection.as_ref().and_then(|c| c.data_review.as_deref())),
        _ => {}
    }
    if let Some(metric) = item.strip_prefix("metric:") {
        return schema.metric(metric).map(|m| m.data_review.as_deref());
    }
    let mut parts = item.split('.');
    let first = parts.next()?;
    let mut fields: &[Field] = if first == "context" {
        &schema.context
    } else {
        let e = schema.event(first)?;
        match parts.clone().next() {
            None => return Some(e.data_review.as_deref()),
            Some(_) => &e.fields,
        }
    };
    let mut found: Option<&Field> = None;
    for name in parts {
        let f = fields.iter().find(|f| f.name == name)?;
        fields = match &f.ty {
            Some(FieldType::Object { fields }) => fields,
            Some(FieldType::List { items }) => match &**items {
                FieldType::Object { fields } => fields,
                _ => &[],
            },
            _ => &[],
        };
        found = Some(f);
    }
    found.map(|f| f.data_review.as_deref())
}
