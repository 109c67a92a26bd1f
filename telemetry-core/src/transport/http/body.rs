//! Wire formats: how a batch of envelopes becomes one HTTP request body
//! (native, Segment, PostHog here; OTLP in `otlp` and `otlp_proto`).

use std::time::SystemTime;

use super::{otlp, otlp_proto};
use crate::envelope::Envelope;
use crate::format::{LIB, LIB_VERSION, WireFormat};
use crate::json::{Ordered, push_items, push_json_str};

/// Builds the body for `events` (envelope JSON texts).
pub(crate) fn body(format: WireFormat, events: &[&str], api_key: Option<&str>, sent_at: SystemTime) -> Vec<u8> {
    let total: usize = events.iter().map(|e| e.len()).sum();
    let mut b = Vec::with_capacity(total + 64 + events.len() * 64);
    match format {
        WireFormat::Native => {
            b.extend_from_slice(b"{\"batch\":[");
            push_items(&mut b, events.iter(), |b, e| b.extend_from_slice(e.as_bytes()));
            b.extend_from_slice(b"],\"sent_at\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::Segment => {
            b.extend_from_slice(b"{\"batch\":[");
            push_items(&mut b, events.iter().filter_map(|e| Envelope::parse(e)), |b, e| segment_item(b, &e));
            b.extend_from_slice(b"],\"sentAt\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::PostHog => {
            b.extend_from_slice(b"{\"api_key\":");
            push_json_str(&mut b, api_key.unwrap_or_default());
            b.extend_from_slice(b",\"batch\":[");
            push_items(&mut b, events.iter().filter_map(|e| Envelope::parse(e)), |b, e| posthog_item(b, &e));
            b.extend_from_slice(b"]}");
        }
        WireFormat::Otlp => otlp::body(&mut b, events),
        WireFormat::OtlpProtobuf => otlp_proto::body(&mut b, events),
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
///
/// Context follows Segment's spec where it has a slot (`app`, `os`, `locale`,
/// `library`); other context keys and `session_id` are added as is.
fn segment_item(b: &mut Vec<u8>, e: &Envelope<'_>) {
    b.extend_from_slice(b"{\"type\":\"track\",\"event\":");
    push_json_str(b, &e.event);
    b.extend_from_slice(b",\"properties\":");
    b.extend_from_slice(e.properties.get().as_bytes());
    b.extend_from_slice(b",\"context\":{\"app\":{\"name\":");
    push_json_str(b, &e.app);
    b.extend_from_slice(b",\"version\":");
    push_json_str(b, &e.app_version);
    b.extend_from_slice(b"},\"library\":{\"name\":");
    push_json_str(b, LIB);
    b.extend_from_slice(b",\"version\":");
    push_json_str(b, LIB_VERSION);
    b.push(b'}');
    let ctx = Ordered::members(e.context);
    let get = |k: &str| ctx.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    if let Some(os) = get("os") {
        b.extend_from_slice(b",\"os\":{\"name\":");
        os.write(b);
        if let Some(v) = get("os_version") {
            b.extend_from_slice(b",\"version\":");
            v.write(b);
        }
        b.push(b'}');
    }
    let mut first = false;
    for (k, v) in &ctx {
        if matches!(k.as_str(), "os" | "os_version" | "app_version") {
            continue;
        }
        key(b, &mut first, k);
        v.write(b);
    }
    b.extend_from_slice(b",\"session_id\":");
    push_json_str(b, &e.session_id);
    b.extend_from_slice(b"},\"anonymousId\":");
    push_json_str(b, &e.anonymous_id);
    b.extend_from_slice(b",\"messageId\":");
    push_json_str(b, &e.message_id);
    b.extend_from_slice(b",\"timestamp\":");
    push_json_str(b, &e.timestamp);
    b.push(b'}');
}

/// `{"event":..,"properties":{..props,"distinct_id",..},"uuid":..,"timestamp":..}`
///
/// Properties are the event's, then `distinct_id` (the anonymous id),
/// `$session_id`, `$lib`, `$lib_version`, `$app_name`, `$app_version`, and
/// each context key as `context.<key>` (dotted names cannot clash with
/// schema field names, which are snake_case).
fn posthog_item(b: &mut Vec<u8>, e: &Envelope<'_>) {
    b.extend_from_slice(b"{\"event\":");
    push_json_str(b, &e.event);
    b.extend_from_slice(b",\"properties\":");
    let props = e.properties.get().trim();
    let inner = props.strip_prefix('{').and_then(|p| p.strip_suffix('}')).unwrap_or_default().trim();
    b.push(b'{');
    let mut first = inner.is_empty();
    b.extend_from_slice(inner.as_bytes());
    for (k, v) in [
        ("distinct_id", &*e.anonymous_id),
        ("$session_id", &*e.session_id),
        ("$lib", LIB),
        ("$lib_version", LIB_VERSION),
        ("$app_name", &*e.app),
        ("$app_version", &*e.app_version),
    ] {
        key(b, &mut first, k);
        push_json_str(b, v);
    }
    for (k, v) in Ordered::members(e.context) {
        key(b, &mut first, &format!("context.{k}"));
        v.write(b);
    }
    b.extend_from_slice(b"},\"uuid\":");
    push_json_str(b, &e.message_id);
    b.extend_from_slice(b",\"timestamp\":");
    push_json_str(b, &e.timestamp);
    b.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const E: &str = r#"{"event":"ran","properties":{"n":1,"tags":["a"],"o":{"x":true}},"context":{"os":"linux","ci":false},"anonymous_id":"A","session_id":"S","message_id":"M","timestamp":"2023-11-14T22:13:20.123Z","app":"demo","app_version":"1.0"}"#;

    fn at() -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(1_700_000_001_000)
    }

    fn s(format: WireFormat) -> String {
        String::from_utf8(body(format, &[E, E], Some("K"), at())).unwrap()
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
    fn posthog_empty_properties() {
        let e = E.replace(r#"{"n":1,"tags":["a"],"o":{"x":true}}"#, "{}");
        let out = String::from_utf8(body(WireFormat::PostHog, &[&e], Some("K"), at())).unwrap();
        assert_eq!(
            out,
            r#"{"api_key":"K","batch":[{"event":"ran","properties":{"distinct_id":"A","$session_id":"S","$lib":"telemetry-core","$lib_version":"VER","$app_name":"demo","$app_version":"1.0","context.os":"linux","context.ci":false},"uuid":"M","timestamp":"2023-11-14T22:13:20.123Z"}]}"#.replace("VER", LIB_VERSION)
        );
    }

    #[test]
    fn otlp_groups_by_resource() {
        let other = E.replace(r#""ci":false"#, r#""ci":true"#);
        let out = String::from_utf8(body(WireFormat::Otlp, &[E, E, &other], None, at())).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["resourceLogs"].as_array().unwrap().len(), 2);
        assert_eq!(v["resourceLogs"][0]["scopeLogs"][0]["logRecords"].as_array().unwrap().len(), 2);
        assert_eq!(v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["timeUnixNano"], "1700000000123000000");
    }
}
