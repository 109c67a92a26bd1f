//! Wire formats: how a batch of events becomes one HTTP request body
//! (native, Segment, PostHog here; OTLP in `otlp` and `otlp_proto`). The
//! third-party formats write what every event of an [`Origin`] shares once
//! per origin.

use std::sync::Arc;
use std::time::SystemTime;

use super::ordered::Ordered;
use super::{LIB, LIB_VERSION, push_items};
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
            let mut contexts = PerOrigin::new(segment_context);
            b.extend_from_slice(b"{\"batch\":[");
            push_items(&mut b, events.iter(), |b, e| segment_item(b, e, contexts.get(&e.origin)));
            b.extend_from_slice(b"],\"sentAt\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::PostHog => {
            let mut shared = PerOrigin::new(posthog_shared);
            b.extend_from_slice(b"{\"api_key\":");
            push_json_str(&mut b, api_key.unwrap_or_default());
            b.extend_from_slice(b",\"batch\":[");
            push_items(&mut b, events.iter(), |b, e| posthog_item(b, e, shared.get(&e.origin)));
            b.extend_from_slice(b"]}");
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

fn key(b: &mut Vec<u8>, first: &mut bool, k: &str) {
    if !*first {
        b.push(b',');
    }
    *first = false;
    push_json_str(b, k);
    b.push(b':');
}

/// `{"type":"track","event":..,"properties":..,"context":{..},"anonymousId":..,"messageId":..,"timestamp":..}`
fn segment_item(b: &mut Vec<u8>, e: &Event, context_and_id: &[u8]) {
    b.extend_from_slice(b"{\"type\":\"track\",\"event\":");
    push_json_str(b, e.name);
    b.extend_from_slice(b",\"properties\":");
    b.extend_from_slice(e.properties.as_bytes());
    b.extend_from_slice(context_and_id);
    b.extend_from_slice(b",\"messageId\":\"");
    e.write_message_id(b);
    b.extend_from_slice(b"\",\"timestamp\":");
    e.write_timestamp_str(b);
    b.push(b'}');
}

/// `,"context":{..},"anonymousId":..` of a resource.
///
/// Context follows Segment's spec where it has a slot (`app`, `os`, `locale`,
/// `library`); other context keys and `session_id` are added as is.
fn segment_context(r: &Origin) -> Vec<u8> {
    let mut b = Vec::with_capacity(r.context.len() + 160);
    b.extend_from_slice(b",\"context\":{\"app\":{\"name\":");
    push_json_str(&mut b, &r.app);
    b.extend_from_slice(b",\"version\":");
    push_json_str(&mut b, &r.app_version);
    b.extend_from_slice(b"},\"library\":{\"name\":");
    push_json_str(&mut b, LIB);
    b.extend_from_slice(b",\"version\":");
    push_json_str(&mut b, LIB_VERSION);
    b.push(b'}');
    let ctx = Ordered::members(&r.context);
    let get = |k: &str| ctx.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    if let Some(os) = get("os") {
        b.extend_from_slice(b",\"os\":{\"name\":");
        os.write(&mut b);
        if let Some(v) = get("os_version") {
            b.extend_from_slice(b",\"version\":");
            v.write(&mut b);
        }
        b.push(b'}');
    }
    let mut first = false;
    for (k, v) in &ctx {
        if matches!(k.as_ref(), "os" | "os_version" | "app_version") {
            continue;
        }
        key(&mut b, &mut first, k);
        v.write(&mut b);
    }
    b.extend_from_slice(b",\"session_id\":");
    push_json_str(&mut b, &r.session_id);
    b.extend_from_slice(b"},\"anonymousId\":");
    push_json_str(&mut b, &r.anonymous_id);
    b
}

/// `{"event":..,"properties":{..props,"distinct_id",..},"uuid":..,"timestamp":..}`
fn posthog_item(b: &mut Vec<u8>, e: &Event, shared: &[u8]) {
    b.extend_from_slice(b"{\"event\":");
    push_json_str(b, e.name);
    b.extend_from_slice(b",\"properties\":{");
    let props = e.properties.trim();
    let inner = props.strip_prefix('{').and_then(|p| p.strip_suffix('}')).unwrap_or_default().trim();
    if !inner.is_empty() {
        b.extend_from_slice(inner.as_bytes());
        b.push(b',');
    }
    b.extend_from_slice(shared);
    b.extend_from_slice(b"},\"uuid\":\"");
    e.write_message_id(b);
    b.extend_from_slice(b"\",\"timestamp\":");
    e.write_timestamp_str(b);
    b.push(b'}');
}

/// The properties every event of a resource adds after its own:
/// `distinct_id` (the anonymous id), `$session_id`, `$lib`, `$lib_version`,
/// `$app_name`, `$app_version`, and each context key as `context.<key>`
/// (dotted names cannot clash with schema field names, which are snake_case).
fn posthog_shared(r: &Origin) -> Vec<u8> {
    let mut b = Vec::with_capacity(r.context.len() * 2 + 200);
    let mut first = true;
    for (k, v) in [
        ("distinct_id", &*r.anonymous_id),
        ("$session_id", &*r.session_id),
        ("$lib", LIB),
        ("$lib_version", LIB_VERSION),
        ("$app_name", &*r.app),
        ("$app_version", &*r.app_version),
    ] {
        key(&mut b, &mut first, k);
        push_json_str(&mut b, v);
    }
    for (k, v) in Ordered::members(&r.context) {
        key(&mut b, &mut first, &format!("context.{k}"));
        v.write(&mut b);
    }
    b
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::envelope::tests::{event, origin};
    use std::time::{Duration, UNIX_EPOCH};

    const ID: &str = "00000000-0000-0000-0000-000000000001";

    fn at() -> SystemTime {
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

    fn s(format: WireFormat) -> String {
        String::from_utf8(body(format, &two(r#"{"os":"linux","ci":false}"#), Some("K"), at())).unwrap()
    }

    #[test]
    fn native() {
        let e = two(r#"{"os":"linux","ci":false}"#)[0].envelope();
        assert_eq!(s(WireFormat::Native), format!(r#"{{"batch":[{e},{e}],"sent_at":"2023-11-14T22:13:21.000Z"}}"#));
    }

    #[test]
    fn segment() {
        let item = r#"{"type":"track","event":"ran","properties":{"n":1,"tags":["a"],"o":{"x":true}},"context":{"app":{"name":"demo","version":"1.0"},"library":{"name":"telemetry-core","version":"VER"},"os":{"name":"linux"},"ci":false,"session_id":"s-id"},"anonymousId":"a-id","messageId":"ID","timestamp":"2023-11-14T22:13:20.123Z"}"#.replace("VER", LIB_VERSION).replace("ID", ID);
        assert_eq!(
            s(WireFormat::Segment),
            format!(r#"{{"batch":[{item},{item}],"sentAt":"2023-11-14T22:13:21.000Z"}}"#)
        );
    }

    #[test]
    fn posthog() {
        let item = r#"{"event":"ran","properties":{"n":1,"tags":["a"],"o":{"x":true},"distinct_id":"a-id","$session_id":"s-id","$lib":"telemetry-core","$lib_version":"VER","$app_name":"demo","$app_version":"1.0","context.os":"linux","context.ci":false},"uuid":"ID","timestamp":"2023-11-14T22:13:20.123Z"}"#.replace("VER", LIB_VERSION).replace("ID", ID);
        assert_eq!(s(WireFormat::PostHog), format!(r#"{{"api_key":"K","batch":[{item},{item}]}}"#));
    }

    #[test]
    fn posthog_empty_properties() {
        let e = event(&origin("{}", "1.0", None), "ran", 1, 1_700_000_000_123, |_| {});
        let out = String::from_utf8(body(WireFormat::PostHog, &[e], Some("K"), at())).unwrap();
        assert_eq!(
            out,
            r#"{"api_key":"K","batch":[{"event":"ran","properties":{"distinct_id":"a-id","$session_id":"s-id","$lib":"telemetry-core","$lib_version":"VER","$app_name":"demo","$app_version":"1.0"},"uuid":"ID","timestamp":"2023-11-14T22:13:20.123Z"}]}"#.replace("VER", LIB_VERSION).replace("ID", ID)
        );
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
        assert_eq!(v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["timeUnixNano"], "1700000000123000000");
    }
}
