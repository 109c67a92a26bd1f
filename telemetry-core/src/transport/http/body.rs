//! Wire formats: how a batch of envelopes becomes one HTTP request body
//! (native, Segment, PostHog here; OTLP in `otlp` and `otlp_proto`). The
//! third-party formats read the batch once ([`Batch::read`]) and write what
//! every event of a resource shares once per resource.

use std::time::SystemTime;

use super::item::{Batch, Item, Resource};
use super::ordered::Ordered;
use super::{otlp, otlp_proto};
use crate::format::{LIB, LIB_VERSION, WireFormat};
use crate::json::{push_items, push_json_str};
use crate::spool::Event;

/// Builds the body for `events`.
pub(crate) fn body(format: WireFormat, events: &[Event], api_key: Option<&str>, sent_at: SystemTime) -> Vec<u8> {
    let total: usize = events.iter().map(|e| e.json.len()).sum();
    let mut b = Vec::with_capacity(total + 64 + events.len() * 64);
    match format {
        WireFormat::Native => {
            b.extend_from_slice(b"{\"batch\":[");
            push_items(&mut b, events.iter(), |b, e| b.extend_from_slice(e.json.as_bytes()));
            b.extend_from_slice(b"],\"sent_at\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::Segment => {
            let batch = Batch::read(events);
            let contexts: Vec<Vec<u8>> = batch.resources.iter().map(segment_context).collect();
            b.extend_from_slice(b"{\"batch\":[");
            push_items(&mut b, batch.items.iter(), |b, i| segment_item(b, i, &contexts[i.resource]));
            b.extend_from_slice(b"],\"sentAt\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::PostHog => {
            let batch = Batch::read(events);
            let shared: Vec<Vec<u8>> = batch.resources.iter().map(posthog_shared).collect();
            b.extend_from_slice(b"{\"api_key\":");
            push_json_str(&mut b, api_key.unwrap_or_default());
            b.extend_from_slice(b",\"batch\":[");
            push_items(&mut b, batch.items.iter(), |b, i| posthog_item(b, i, &shared[i.resource]));
            b.extend_from_slice(b"]}");
        }
        WireFormat::Otlp => otlp::body(&mut b, &Batch::read(events)),
        WireFormat::OtlpProtobuf => otlp_proto::body(&mut b, &Batch::read(events)),
    }
    b
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
fn segment_item(b: &mut Vec<u8>, i: &Item<'_>, context_and_id: &[u8]) {
    b.extend_from_slice(b"{\"type\":\"track\",\"event\":");
    push_json_str(b, &i.event);
    b.extend_from_slice(b",\"properties\":");
    b.extend_from_slice(i.properties.as_bytes());
    b.extend_from_slice(context_and_id);
    b.extend_from_slice(b",\"messageId\":");
    push_json_str(b, &i.message_id);
    b.extend_from_slice(b",\"timestamp\":");
    push_json_str(b, &i.timestamp);
    b.push(b'}');
}

/// `,"context":{..},"anonymousId":..` of a resource.
///
/// Context follows Segment's spec where it has a slot (`app`, `os`, `locale`,
/// `library`); other context keys and `session_id` are added as is.
fn segment_context(r: &Resource<'_>) -> Vec<u8> {
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
    let ctx = Ordered::members(r.context);
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
fn posthog_item(b: &mut Vec<u8>, i: &Item<'_>, shared: &[u8]) {
    b.extend_from_slice(b"{\"event\":");
    push_json_str(b, &i.event);
    b.extend_from_slice(b",\"properties\":{");
    let props = i.properties.trim();
    let inner = props.strip_prefix('{').and_then(|p| p.strip_suffix('}')).unwrap_or_default().trim();
    if !inner.is_empty() {
        b.extend_from_slice(inner.as_bytes());
        b.push(b',');
    }
    b.extend_from_slice(shared);
    b.extend_from_slice(b"},\"uuid\":");
    push_json_str(b, &i.message_id);
    b.extend_from_slice(b",\"timestamp\":");
    push_json_str(b, &i.timestamp);
    b.push(b'}');
}

/// The properties every event of a resource adds after its own:
/// `distinct_id` (the anonymous id), `$session_id`, `$lib`, `$lib_version`,
/// `$app_name`, `$app_version`, and each context key as `context.<key>`
/// (dotted names cannot clash with schema field names, which are snake_case).
fn posthog_shared(r: &Resource<'_>) -> Vec<u8> {
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
    for (k, v) in Ordered::members(r.context) {
        key(&mut b, &mut first, &format!("context.{k}"));
        v.write(&mut b);
    }
    b
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::Hasher;
    use crate::envelope::{Parts, Template};
    use std::time::{Duration, UNIX_EPOCH};

    const E: &str = r#"{"event":"ran","properties":{"n":1,"tags":["a"],"o":{"x":true}},"context":{"os":"linux","ci":false},"anonymous_id":"A","session_id":"S","message_id":"M","timestamp":"2023-11-14T22:13:20.123Z","app":"demo","app_version":"1.0"}"#;

    fn at() -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(1_700_000_001_000)
    }

    /// Envelopes read back (no parts): the parsing path.
    pub(in super::super) fn read_back(texts: &[&str]) -> Vec<Event> {
        texts.iter().map(|t| Event::read_back(t.to_string(), 0)).collect()
    }

    fn s(format: WireFormat) -> String {
        String::from_utf8(body(format, &read_back(&[E, E]), Some("K"), at())).unwrap()
    }

    #[test]
    fn native() {
        assert_eq!(s(WireFormat::Native), format!(r#"{{"batch":[{E},{E}],"sent_at":"2023-11-14T22:13:21.000Z"}}"#));
    }

    #[test]
    fn segment() {
        let item = r#"{"type":"track","event":"ran","properties":{"n":1,"tags":["a"],"o":{"x":true}},"context":{"app":{"name":"demo","version":"1.0"},"library":{"name":"telemetry-core","version":"VER"},"os":{"name":"linux"},"ci":false,"session_id":"S"},"anonymousId":"A","messageId":"M","timestamp":"2023-11-14T22:13:20.123Z"}"#.replace("VER", LIB_VERSION);
        assert_eq!(
            s(WireFormat::Segment),
            format!(r#"{{"batch":[{item},{item}],"sentAt":"2023-11-14T22:13:21.000Z"}}"#)
        );
    }

    #[test]
    fn posthog() {
        let item = r#"{"event":"ran","properties":{"n":1,"tags":["a"],"o":{"x":true},"distinct_id":"A","$session_id":"S","$lib":"telemetry-core","$lib_version":"VER","$app_name":"demo","$app_version":"1.0","context.os":"linux","context.ci":false},"uuid":"M","timestamp":"2023-11-14T22:13:20.123Z"}"#.replace("VER", LIB_VERSION);
        assert_eq!(s(WireFormat::PostHog), format!(r#"{{"api_key":"K","batch":[{item},{item}]}}"#));
    }

    #[test]
    fn posthog_empty_properties() {
        let e = E.replace(r#"{"n":1,"tags":["a"],"o":{"x":true}}"#, "{}");
        let out = String::from_utf8(body(WireFormat::PostHog, &read_back(&[&e]), Some("K"), at())).unwrap();
        assert_eq!(
            out,
            r#"{"api_key":"K","batch":[{"event":"ran","properties":{"distinct_id":"A","$session_id":"S","$lib":"telemetry-core","$lib_version":"VER","$app_name":"demo","$app_version":"1.0","context.os":"linux","context.ci":false},"uuid":"M","timestamp":"2023-11-14T22:13:20.123Z"}]}"#.replace("VER", LIB_VERSION)
        );
    }

    #[test]
    fn otlp_groups_by_resource() {
        let other = E.replace(r#""ci":false"#, r#""ci":true"#);
        let out = String::from_utf8(body(WireFormat::Otlp, &read_back(&[E, E, &other]), None, at())).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["resourceLogs"].as_array().unwrap().len(), 2);
        assert_eq!(v["resourceLogs"][0]["scopeLogs"][0]["logRecords"].as_array().unwrap().len(), 2);
        assert_eq!(v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["timeUnixNano"], "1700000000123000000");
    }

    /// Envelopes written by two templates (two processes' contexts), with
    /// escapes in the name and values, as the recorder queues them.
    fn written() -> (Vec<Event>, (String, String)) {
        let hasher = Hasher::new(b"k");
        let t1 = Template::new(br#"{"os":"linux","ci":false}"#, "A", "S", "demo", "1.0", Some("1.0"));
        let t2 = Template::new(br#"{"os":"linux","ci":true}"#, "A2", "S2", "demo", "", None);
        let mut out = Vec::new();
        for (n, t) in [&t1, &t1, &t2, &t1, &t2, &t2].into_iter().enumerate() {
            let mut buf = Vec::new();
            let id = uuid::Uuid::from_u128(n as u128);
            let when = UNIX_EPOCH + Duration::from_nanos(1_700_000_000_123_456_789 + n as u64);
            let name = if n == 4 { "odd \"name\"" } else { "ran" };
            let parts = t.write(&mut buf, name, &hasher, id, when, &mut |w| {
                w.u64("n", n as u64);
                w.str("s", "tab\there é", None);
                w.hashed("h", "secret");
                w.list("l", |l| l.i64(-1));
            });
            out.push(Event { json: String::from_utf8(buf).unwrap(), generation: 0, parts: Some(parts) });
        }
        (out, t1.stretches().unwrap())
    }

    #[test]
    fn envelopes_with_parts_give_the_bytes_of_envelopes_parsed() {
        let (fast, (middle, tail)) = written();
        let slow: Vec<Event> = fast.iter().map(|e| Event::read_back(e.json.clone(), 0)).collect();
        // Read back from the spool: t1's located from its stretches (`Spool::take_file`), t2's parsed.
        let located: Vec<Event> =
            slow.iter().map(|e| Event { parts: Parts::locate(&e.json, &middle, &tail), ..e.clone() }).collect();
        assert_eq!(located.iter().filter(|e| e.parts.is_some()).count(), 3);
        for format in
            [WireFormat::Native, WireFormat::Segment, WireFormat::PostHog, WireFormat::Otlp, WireFormat::OtlpProtobuf]
        {
            let parsed = body(format, &slow, Some("K"), at());
            assert_eq!(body(format, &fast, Some("K"), at()), parsed, "{format:?}");
            assert_eq!(body(format, &located, Some("K"), at()), parsed, "{format:?}");
        }
        // Runs: t1 t1 | t2 | t1 | t2 t2.
        let v: serde_json::Value = serde_json::from_slice(&body(WireFormat::Otlp, &fast, None, at())).unwrap();
        let runs: Vec<usize> = v["resourceLogs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["scopeLogs"][0]["logRecords"].as_array().unwrap().len())
            .collect();
        assert_eq!(runs, [2, 1, 1, 2]);
        assert_eq!(v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["timeUnixNano"], "1700000000123000000");
    }

    #[test]
    fn parts_that_do_not_fit_their_text_do_not_panic() {
        let (mut events, _) = written();
        let good = body(WireFormat::PostHog, &events, Some("K"), at());
        // Parts of a longer envelope on a shorter one's text, and on a text that is no envelope.
        let long = events[4].parts;
        events[0].parts = long;
        events.push(Event { json: "{}".into(), generation: 0, parts: long });
        assert_eq!(body(WireFormat::PostHog, &events, Some("K"), at()), good);
    }
}
