//! A batch of queued envelopes read into what the third-party wire formats
//! write: per event its name, properties, message id and time; per
//! resource (app, version, context and ids, the same for every event of a
//! process) one entry, read once.
//!
//! An envelope this process wrote comes with its [`Parts`]: its fields are
//! sliced out of the text, and its resource is parsed only when its
//! template stretches differ from the previous one's (this run's envelopes
//! read back from the spool get theirs there: `Spool::take_file`); anything
//! else (an earlier run's, parts that do not fit their text) is parsed whole.
//! Both paths give the same items (tested in `body.rs`).

use std::borrow::Cow;
use std::time::UNIX_EPOCH;

use crate::envelope::{Envelope, Parts};
use crate::spool::Event;

/// What the events of one process share.
#[derive(Debug, PartialEq)]
pub(super) struct Resource<'a> {
    pub app: Cow<'a, str>,
    pub app_version: Cow<'a, str>,
    /// The context object, as JSON text.
    pub context: &'a str,
    pub anonymous_id: Cow<'a, str>,
    pub session_id: Cow<'a, str>,
}

impl Resource<'_> {
    /// Whether two resources are one OTLP resource (the ids are per record there).
    pub(super) fn same_service(&self, other: &Resource<'_>) -> bool {
        self.app == other.app && self.app_version == other.app_version && self.context == other.context
    }
}

/// One event.
#[derive(Debug, PartialEq)]
pub(super) struct Item<'a> {
    pub event: Cow<'a, str>,
    /// The properties object, as JSON text.
    pub properties: &'a str,
    pub message_id: Cow<'a, str>,
    /// RFC 3339 with milliseconds, as the envelope has it.
    pub timestamp: Cow<'a, str>,
    /// The same time in nanoseconds since the Unix epoch (0 if unreadable).
    pub nanos: u64,
    /// Index into [`Batch::resources`].
    pub resource: usize,
}

/// The events of one request, in order, and their resources.
#[derive(Debug, Default)]
pub(super) struct Batch<'a> {
    pub items: Vec<Item<'a>>,
    pub resources: Vec<Resource<'a>>,
}

impl<'a> Batch<'a> {
    /// Reads `events`; what is not an envelope is left out.
    pub(super) fn read(events: &'a [Event]) -> Self {
        let mut batch = Batch { items: Vec::with_capacity(events.len()), resources: Vec::new() };
        // The template stretches of the last envelope whose resource was parsed, and its index.
        let mut known: Option<((&'a str, &'a str), usize)> = None;
        for e in events {
            let json = e.json.as_str();
            let item = match e.parts.and_then(|p| batch.sliced(json, p, &mut known)) {
                Some(item) => item,
                None => match Envelope::parse(json) {
                    Some(env) => batch.parsed(env),
                    None => continue,
                },
            };
            batch.items.push(item);
        }
        batch
    }

    /// The items of one resource after another: `(resource, items)`, a new
    /// run wherever the service (app, version, context) changes.
    pub(super) fn runs(&self) -> impl Iterator<Item = (&Resource<'a>, &[Item<'a>])> {
        let mut rest = self.items.as_slice();
        std::iter::from_fn(move || {
            let head = &self.resources[rest.first()?.resource];
            let n = rest.iter().take_while(|i| self.resources[i.resource].same_service(head)).count();
            let (run, tail) = rest.split_at(n);
            rest = tail;
            Some((head, run))
        })
    }

    fn sliced(&mut self, json: &'a str, p: Parts, known: &mut Option<((&'a str, &'a str), usize)>) -> Option<Item<'a>> {
        let shared = p.shared(json)?;
        let resource = match *known {
            Some((stretches, i)) if stretches == shared => i,
            _ => {
                let i = self.add(resource_of(Envelope::parse(json)?));
                *known = Some((shared, i));
                i
            }
        };
        Some(Item {
            event: unquote(p.name(json)?)?,
            properties: p.properties(json)?,
            message_id: Cow::Borrowed(p.message_id(json)?),
            timestamp: Cow::Borrowed(p.timestamp(json)?),
            nanos: p.nanos,
            resource,
        })
    }

    fn parsed(&mut self, env: Envelope<'a>) -> Item<'a> {
        let (event, properties, message_id, timestamp) =
            (env.event.clone(), env.properties.get(), env.message_id.clone(), env.timestamp.clone());
        let nanos = unix_nanos(&timestamp);
        let resource = self.add(resource_of(env));
        Item { event, properties, message_id, timestamp, nanos, resource }
    }

    /// The index of `r`: the previous resource's when equal (the common
    /// case: one process's events), else a new one's.
    fn add(&mut self, r: Resource<'a>) -> usize {
        match self.resources.last() {
            Some(last) if *last == r => self.resources.len() - 1,
            _ => {
                self.resources.push(r);
                self.resources.len() - 1
            }
        }
    }
}

fn resource_of(env: Envelope<'_>) -> Resource<'_> {
    Resource {
        app: env.app,
        app_version: env.app_version,
        context: env.context.get(),
        anonymous_id: env.anonymous_id,
        session_id: env.session_id,
    }
}

/// The text of a JSON string token, borrowed when it has no escapes.
fn unquote(token: &str) -> Option<Cow<'_, str>> {
    match token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.contains(['\\', '"']) => Some(Cow::Borrowed(inner)),
        _ => serde_json::from_str::<String>(token).ok().map(Cow::Owned),
    }
}

/// Nanoseconds since the Unix epoch of an RFC 3339 timestamp (0 if unreadable).
fn unix_nanos(ts: &str) -> u64 {
    humantime::parse_rfc3339(ts)
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_borrows_plain_names() {
        assert!(matches!(unquote(r#""ran""#), Some(Cow::Borrowed("ran"))));
        assert_eq!(unquote(r#""a\"b""#).as_deref(), Some("a\"b"));
        assert_eq!(unquote("ran"), None);
        assert_eq!(unix_nanos("2023-11-14T22:13:20.123Z"), 1_700_000_000_123_000_000);
        assert_eq!(unix_nanos("yesterday"), 0);
    }
}
