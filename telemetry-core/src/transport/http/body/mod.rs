//! Wire formats: how a batch of events becomes one HTTP request body
//! (native here, Segment in `segment`, PostHog in `posthog`; OTLP in `otlp`
//! and `otlp_proto`). The third-party formats write what every event of an
//! [`Origin`] shares once per origin.

mod posthog;
mod segment;

use std::sync::Arc;
use std::time::SystemTime;

use super::push_items;
use super::{otlp, otlp_proto};
use crate::envelope::{Event, Origin};
use crate::format::WireFormat;
use crate::json::push_json_str;

/// Builds the body for `events`.
pub(crate) fn body(format: WireFormat, events: &[Event], api_key: Option<&str>, sent_at: SystemTime) -> Vec<u8> {
    let total: usize = events.iter().map(Event::size).sum();
    let mut b = Vec::with_capacity(total + 64 + events.len() * 64);
    match format {
        WireFormat::Native => {
            b.extend_from_slice(b"{\"batch\":[");
            push_items(&mut b, events.iter(), |b, e| e.write_envelope(b));
            b.extend_from_slice(b"],\"sent_at\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::Segment => {
            let mut contexts = PerOrigin::new(segment::context);
            b.extend_from_slice(b"{\"batch\":[");
            push_items(&mut b, events.iter(), |b, e| segment::item(b, e, contexts.get(&e.origin)));
            b.extend_from_slice(b"],\"sentAt\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::PostHog => {
            let mut shared = PerOrigin::new(posthog::shared);
            b.extend_from_slice(b"{\"api_key\":");
            push_json_str(&mut b, api_key.unwrap_or_default());
            b.extend_from_slice(b",\"batch\":[");
            push_items(&mut b, events.iter(), |b, e| posthog::item(b, e, shared.get(&e.origin)));
            b.extend_from_slice(b"],\"sent_at\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::Otlp => otlp::body(&mut b, events),
        WireFormat::OtlpProtobuf => otlp_proto::body(&mut b, events),
    }
    b
}

/// What a format writes once per origin, kept while the origin stays the
/// same (one process's events: the common case), written again when it changes.
struct PerOrigin<'a> {
    write: fn(&Origin) -> Vec<u8>,
    last: Option<(&'a Arc<Origin>, Vec<u8>)>,
}

impl<'a> PerOrigin<'a> {
    fn new(write: fn(&Origin) -> Vec<u8>) -> Self {
        PerOrigin { write, last: None }
    }

    fn get(&mut self, origin: &'a Arc<Origin>) -> &[u8] {
        let same = self.last.as_ref().is_some_and(|(o, _)| Arc::ptr_eq(o, origin) || o.as_ref() == origin.as_ref());
        if !same {
            self.last = Some((origin, (self.write)(origin)));
        }
        self.last.as_ref().map_or(&[], |(_, b)| b.as_slice())
    }
}

/// RFC 3339 with milliseconds, as the envelope writes it.
fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

/// `"k":` after a comma unless `first`.
fn key(b: &mut Vec<u8>, first: &mut bool, k: &str) {
    if !*first {
        b.push(b',');
    }
    *first = false;
    push_json_str(b, k);
    b.push(b':');
}

/// How a PostHog or Segment item ends, after the key of its per-event id
/// (`distinct_id`, `anonymousId`, which what the origin shares ends with):
/// that id ([`distinct_id`]), the message id under `message_id_key`
/// (`uuid`, `messageId`), the time; the item closed.
fn item_end(b: &mut Vec<u8>, e: &Event, message_id_key: &str) {
    distinct_id(b, e);
    b.push(b',');
    push_json_str(b, message_id_key);
    b.extend_from_slice(b":\"");
    e.write_message_id(b);
    b.extend_from_slice(b"\",\"timestamp\":");
    e.write_timestamp_str(b);
    b.push(b'}');
}

/// The id a format that needs one per event sends (PostHog's
/// `distinct_id`, Segment's `anonymousId`), as a JSON string: the
/// anonymous id, or, for an app with no id, the event's own message id.
fn distinct_id(b: &mut Vec<u8>, e: &Event) {
    match &e.origin.anonymous_id {
        Some(id) => push_json_str(b, id),
        None => {
            b.push(b'"');
            e.write_message_id(b);
            b.push(b'"');
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::envelope::tests::{event, origin};
    use std::time::{Duration, UNIX_EPOCH};

    pub(super) const ID: &str = "00000000-0000-0000-0000-000000000001";

    pub(super) fn at() -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(1_700_000_001_000)
    }

    /// Two events of one origin, with a list and a nested object.
    pub(in super::super) fn two(context: &str) -> Vec<Event> {
        let o = origin(context, "1.0", None);
        let e = event(&o, "ran", 1, 1_700_000_000_123, |w| {
            w.u64("n", 1);
            w.list("tags", |l| l.str("a", None));
            w.object("o", |o| o.bool("x", true));
        });
        vec![e.clone(), e]
    }

    pub(super) fn s(format: WireFormat) -> String {
        String::from_utf8(body(format, &two(r#"{"os":"linux","ci":false}"#), Some("K"), at())).unwrap()
    }

    #[test]
    fn native() {
        let e = two(r#"{"os":"linux","ci":false}"#)[0].envelope();
        assert_eq!(s(WireFormat::Native), format!(r#"{{"batch":[{e},{e}],"sent_at":"2023-11-14T22:13:21.000Z"}}"#));
    }

    #[test]
    fn otlp_groups_by_resource() {
        let mut events = two(r#"{"os":"linux","ci":false}"#);
        events.extend(two(r#"{"os":"linux","ci":true}"#));
        events.extend(two(r#"{"os":"linux","ci":false}"#));
        let v: serde_json::Value = serde_json::from_slice(&body(WireFormat::Otlp, &events, None, at())).unwrap();
        let runs: Vec<usize> = v["resourceLogs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["scopeLogs"][0]["logRecords"].as_array().unwrap().len())
            .collect();
        assert_eq!(runs, [2, 2, 2]);
        assert_eq!(
            v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["observedTimeUnixNano"],
            "1700000000123000000"
        );
    }

    /// The ids are the resource's: an earlier run's events (another
    /// session) get a resource of their own.
    #[test]
    fn otlp_puts_another_sessions_events_in_another_resource() {
        use crate::envelope::OriginParts;
        let mut events = two("{}");
        let o = &events[0].origin;
        let earlier = Origin::new(OriginParts {
            app: &o.app,
            app_version: &o.app_version,
            schema_version: None,
            fingerprint: o.fingerprint,
            context: "{}",
            anonymous_id: Some("a-id"),
            session_id: Some("s-earlier"),
        });
        events[1].origin = earlier;
        let v: serde_json::Value = serde_json::from_slice(&body(WireFormat::Otlp, &events, None, at())).unwrap();
        let sessions: Vec<&serde_json::Value> = v["resourceLogs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let attributes = r["resource"]["attributes"].as_array().unwrap();
                &attributes.iter().find(|a| a["key"] == "session.id").unwrap()["value"]["stringValue"]
            })
            .collect();
        assert_eq!(sessions, ["s-id", "s-earlier"]);
    }
}
