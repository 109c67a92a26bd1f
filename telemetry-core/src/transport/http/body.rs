//! Wire formats: how a batch of events becomes one HTTP request body
//! (native, Segment, PostHog here; OTLP in `otlp` and `otlp_proto`). The
//! third-party formats write what every event of an [`Origin`] shares once
//! per origin.

use std::sync::Arc;
use std::time::SystemTime;

use super::ordered::Ordered;
use super::{LIB, LIB_VERSION, SCHEMA_VERSION, push_items};
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
    distinct_id(b, e);
    b.extend_from_slice(b",\"messageId\":\"");
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

/// Segment's own context fields (its spec's "Context" table): a product
/// context key of one of these names is sent as `app.<key>`, so that it
/// cannot change what Segment does with the event — `direct: true` would
/// make Segment record the sender's IP address, `ip` would set it.
const SEGMENT_CONTEXT: &[&str] = &[
    "active",
    "app",
    "campaign",
    "channel",
    "device",
    "direct",
    "groupId",
    "instance_id",
    "ip",
    "library",
    "location",
    "network",
    "os",
    "page",
    "protocols",
    "referrer",
    "screen",
    "timezone",
    "traits",
    "userAgent",
    "userAgentData",
];

/// `,"context":{..},"anonymousId":` of a resource (the id is the event's: `distinct_id`).
///
/// Context follows Segment's spec where it has a slot (`app`, `os`, `locale`,
/// `library`); `schema.version`, the other context keys and `session_id` are
/// added after them. Neither `ip` nor `direct` is ever set: Segment's spec
/// (segment-docs `src/connections/spec/common.md`, "Context fields
/// automatically collected") says its servers fill in the IP address "for
/// client side events only", and its HTTP API page
/// (`src/connections/sources/catalog/libraries/server/http-api/index.md`,
/// "Collecting IP Address") that a call collects it when `context.direct` is
/// `true`. Segment documents no field that keeps its servers from seeing the
/// address the request comes from.
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
    if let Some(v) = &r.schema_version {
        key(&mut b, &mut first, SCHEMA_VERSION);
        push_json_str(&mut b, v);
    }
    for (k, v) in &ctx {
        if matches!(k.as_ref(), "os" | "os_version" | "app_version") {
            continue;
        }
        if SEGMENT_CONTEXT.contains(&k.as_ref()) {
            key(&mut b, &mut first, &format!("app.{k}"));
        } else {
            key(&mut b, &mut first, k);
        }
        v.write(&mut b);
    }
    if let Some(id) = &r.session_id {
        b.extend_from_slice(b",\"session_id\":");
        push_json_str(&mut b, id);
    }
    b.extend_from_slice(b"},\"anonymousId\":");
    b
}

/// `{"event":..,"properties":{..props,..shared},"distinct_id":..,"uuid":..,"timestamp":..}`,
/// the keys of posthog-python's `capture()`.
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
    distinct_id(b, e);
    b.extend_from_slice(b",\"uuid\":\"");
    e.write_message_id(b);
    b.extend_from_slice(b"\",\"timestamp\":");
    e.write_timestamp_str(b);
    b.push(b'}');
}

/// What every event of a resource adds after its own properties:
/// `$session_id`, `$lib`, `$lib_version`, `$app_name`, `$app_version`,
/// `schema.version`, the OS as PostHog's `$os` / `$os_version`, the two
/// privacy flags, each other context key as `context.<key>` (dotted names
/// cannot clash with schema field names, which are snake_case); then, after
/// the properties object, `distinct_id` (the id is the event's: `distinct_id`).
///
/// `$geoip_disable: true` (what posthog-python sends by default) keeps
/// PostHog from looking up a location from the sender's IP address;
/// `$process_person_profile: false` (what it sends for an event without a
/// person) keeps PostHog from creating a person profile for the install.
/// No schema setting turns either off: the page promises no location and
/// no profile.
fn posthog_shared(r: &Origin) -> Vec<u8> {
    let mut b = Vec::with_capacity(r.context.len() * 2 + 300);
    let mut first = true;
    if let Some(id) = &r.session_id {
        key(&mut b, &mut first, "$session_id");
        push_json_str(&mut b, id);
    }
    for (k, v) in
        [("$lib", LIB), ("$lib_version", LIB_VERSION), ("$app_name", &*r.app), ("$app_version", &*r.app_version)]
    {
        key(&mut b, &mut first, k);
        push_json_str(&mut b, v);
    }
    if let Some(v) = &r.schema_version {
        key(&mut b, &mut first, SCHEMA_VERSION);
        push_json_str(&mut b, v);
    }
    let ctx = Ordered::members(&r.context);
    for (k, v) in &ctx {
        match k.as_ref() {
            "os" => {
                key(&mut b, &mut first, "$os");
                match v {
                    Ordered::Str(os) => push_json_str(&mut b, posthog_os(os)),
                    other => other.write(&mut b),
                }
            }
            "os_version" => {
                key(&mut b, &mut first, "$os_version");
                v.write(&mut b);
            }
            "app_version" => {}
            _ => {
                key(&mut b, &mut first, &format!("context.{k}"));
                v.write(&mut b);
            }
        }
    }
    b.extend_from_slice(b",\"$geoip_disable\":true,\"$process_person_profile\":false},\"distinct_id\":");
    b
}

/// PostHog's names for an OS (posthog-python's `get_os_info`): Rust's
/// `std::env::consts::OS` value otherwise.
fn posthog_os(os: &str) -> &str {
    match os {
        "linux" => "Linux",
        "macos" => "Mac OS X",
        "windows" => "Windows",
        "freebsd" => "FreeBSD",
        other => other,
    }
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
        let item = r#"{"event":"ran","properties":{"n":1,"tags":["a"],"o":{"x":true},"$session_id":"s-id","$lib":"telemetry-core","$lib_version":"VER","$app_name":"demo","$app_version":"1.0","$os":"Linux","context.ci":false,"$geoip_disable":true,"$process_person_profile":false},"distinct_id":"a-id","uuid":"ID","timestamp":"2023-11-14T22:13:20.123Z"}"#.replace("VER", LIB_VERSION).replace("ID", ID);
        assert_eq!(
            s(WireFormat::PostHog),
            format!(r#"{{"api_key":"K","batch":[{item},{item}],"sent_at":"2023-11-14T22:13:21.000Z"}}"#)
        );
    }

    #[test]
    fn posthog_empty_properties_and_a_schema_version() {
        let e = event(&origin("{}", "1.0", Some("2.1")), "ran", 1, 1_700_000_000_123, |_| {});
        let out = String::from_utf8(body(WireFormat::PostHog, &[e], Some("K"), at())).unwrap();
        assert_eq!(
            out,
            r#"{"api_key":"K","batch":[{"event":"ran","properties":{"$session_id":"s-id","$lib":"telemetry-core","$lib_version":"VER","$app_name":"demo","$app_version":"1.0","schema.version":"2.1","$geoip_disable":true,"$process_person_profile":false},"distinct_id":"a-id","uuid":"ID","timestamp":"2023-11-14T22:13:20.123Z"}],"sent_at":"2023-11-14T22:13:21.000Z"}"#.replace("VER", LIB_VERSION).replace("ID", ID)
        );
    }

    #[test]
    fn posthog_os_names_are_posthogs() {
        for (os, name) in [
            ("linux", "Linux"),
            ("macos", "Mac OS X"),
            ("windows", "Windows"),
            ("freebsd", "FreeBSD"),
            ("haiku", "haiku"),
        ] {
            let e =
                event(&origin(&format!(r#"{{"os":"{os}","os_version":"14.1"}}"#), "1.0", None), "ran", 1, 0, |_| {});
            let v: serde_json::Value = serde_json::from_slice(&body(WireFormat::PostHog, &[e], None, at())).unwrap();
            assert_eq!(
                (&v["batch"][0]["properties"]["$os"], &v["batch"][0]["properties"]["$os_version"]),
                (&name.into(), &"14.1".into())
            );
        }
    }

    /// A product context key named as one of Segment's own context fields
    /// (`direct: true` would have Segment record the sender's IP address).
    #[test]
    fn segment_context_keys_never_take_segments_own_fields() {
        let o = origin(r#"{"direct":true,"ip":"x","library":"l","locale":"de_DE"}"#, "1.0", Some("1.0"));
        let e = event(&o, "ran", 1, 1_700_000_000_123, |_| {});
        let v: serde_json::Value = serde_json::from_slice(&body(WireFormat::Segment, &[e], None, at())).unwrap();
        let ctx = v["batch"][0]["context"].as_object().unwrap();
        let keys: Vec<&str> = ctx.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["app", "app.direct", "app.ip", "app.library", "library", "locale", "schema.version", "session_id"]
        );
        assert_eq!(ctx["library"]["name"], "telemetry-core");
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
