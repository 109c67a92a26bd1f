//! Wire formats: how a batch of envelopes becomes one HTTP request body.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::envelope::{Envelope, Ordered, push_json_str, timestamp};

/// The request body an HTTP endpoint expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WireFormat {
    /// `{"batch":[envelope,...],"sent_at":"<rfc3339>"}`: envelopes exactly as
    /// the generated `<app>.events.schema.json` describes them. POSTed to the
    /// endpoint URL as given.
    #[default]
    Native,
    /// Segment's (and RudderStack's) `POST /v1/batch` of `track` calls; the
    /// API key, if given, is the write key (HTTP basic auth user).
    Segment,
    /// PostHog's `POST /batch/`; the API key (project key) is required.
    PostHog,
    /// OpenTelemetry logs over OTLP/HTTP JSON, `POST /v1/logs`: one log
    /// record per event, body and `eventName` = event name, attributes = properties.
    Otlp,
}

impl WireFormat {
    /// The path appended to an endpoint URL that has none (`https://host` or `https://host/`).
    pub fn default_path(self) -> Option<&'static str> {
        match self {
            WireFormat::Native => None,
            WireFormat::Segment => Some("/v1/batch"),
            WireFormat::PostHog => Some("/batch/"),
            WireFormat::Otlp => Some("/v1/logs"),
        }
    }

    /// Parses `native`, `segment`, `posthog` or `otlp`.
    ///
    /// ```
    /// use telemetry_core::WireFormat;
    /// assert_eq!(WireFormat::parse("otlp"), Some(WireFormat::Otlp));
    /// assert_eq!(WireFormat::parse("carrier-pigeon"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "native" => WireFormat::Native,
            "segment" => WireFormat::Segment,
            "posthog" => WireFormat::PostHog,
            "otlp" => WireFormat::Otlp,
            _ => return None,
        })
    }

    /// The name [`WireFormat::parse`] accepts.
    pub fn name(self) -> &'static str {
        match self {
            WireFormat::Native => "native",
            WireFormat::Segment => "segment",
            WireFormat::PostHog => "posthog",
            WireFormat::Otlp => "otlp",
        }
    }
}

const LIB: &str = "telemetry-core";
const LIB_VERSION: &str = env!("CARGO_PKG_VERSION");

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
            push_items(&mut b, parsed(events), |b, e| segment_item(b, &e));
            b.extend_from_slice(b"],\"sentAt\":");
            push_json_str(&mut b, &timestamp(sent_at));
            b.push(b'}');
        }
        WireFormat::PostHog => {
            b.extend_from_slice(b"{\"api_key\":");
            push_json_str(&mut b, api_key.unwrap_or_default());
            b.extend_from_slice(b",\"batch\":[");
            push_items(&mut b, parsed(events), |b, e| posthog_item(b, &e));
            b.extend_from_slice(b"]}");
        }
        WireFormat::Otlp => otlp(&mut b, events),
    }
    b
}

/// Writes `items` separated by commas (the inside of a JSON array).
fn push_items<T>(b: &mut Vec<u8>, items: impl Iterator<Item = T>, mut write: impl FnMut(&mut Vec<u8>, T)) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            b.push(b',');
        }
        write(b, item);
    }
}

fn parsed<'a>(events: &'a [&'a str]) -> impl Iterator<Item = Envelope<'a>> + 'a {
    events.iter().filter_map(|e| Envelope::parse(e))
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

/// One OTLP `AnyValue`: `{"<kind>": <value>}`.
fn otlp_value(b: &mut Vec<u8>, v: &Ordered) {
    fn any(b: &mut Vec<u8>, kind: &str, write: impl FnOnce(&mut Vec<u8>)) {
        b.push(b'{');
        push_json_str(b, kind);
        b.push(b':');
        write(b);
        b.push(b'}');
    }
    match v {
        Ordered::Null => b.extend_from_slice(b"{}"),
        Ordered::Bool(_) => any(b, "boolValue", |b| v.write(b)),
        // int64 travels as a decimal string in OTLP JSON.
        Ordered::I64(x) => any(b, "intValue", |b| push_json_str(b, &x.to_string())),
        // Above i64::MAX: no OTLP integer holds it; send the exact digits as text.
        Ordered::U64(x) => any(b, "stringValue", |b| push_json_str(b, &x.to_string())),
        Ordered::F64(_) => any(b, "doubleValue", |b| v.write(b)),
        Ordered::Str(s) => any(b, "stringValue", |b| push_json_str(b, s)),
        Ordered::List(items) => any(b, "arrayValue", |b| {
            b.extend_from_slice(b"{\"values\":[");
            push_items(b, items.iter(), otlp_value);
            b.extend_from_slice(b"]}");
        }),
        Ordered::Object(m) => any(b, "kvlistValue", |b| {
            b.extend_from_slice(b"{\"values\":");
            otlp_attributes(b, m.iter().map(|(k, v)| (k.as_str(), v)));
            b.push(b'}');
        }),
    }
}

fn otlp_attributes<'v>(b: &mut Vec<u8>, kvs: impl Iterator<Item = (&'v str, &'v Ordered)>) {
    b.push(b'[');
    push_items(b, kvs, |b, (k, v)| {
        b.extend_from_slice(b"{\"key\":");
        push_json_str(b, k);
        b.extend_from_slice(b",\"value\":");
        otlp_value(b, v);
        b.push(b'}');
    });
    b.push(b']');
}

fn unix_nanos(ts: &str) -> u128 {
    humantime::parse_rfc3339(ts)
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// One `resourceLogs` entry per run of events sharing app, version and
/// context (resource attributes: `service.name`, `service.version`, then the
/// context keys); one log record per event with `session.id`,
/// `enduser.pseudo.id` (the anonymous id) and `log.record.uid` (the message
/// id) after the event's properties.
fn otlp(b: &mut Vec<u8>, events: &[&str]) {
    let parsed: Vec<Envelope<'_>> = parsed(events).collect();
    b.extend_from_slice(b"{\"resourceLogs\":[");
    let mut i = 0;
    let mut first_group = true;
    while i < parsed.len() {
        let head = &parsed[i];
        let mut end = i + 1;
        while end < parsed.len()
            && parsed[end].app == head.app
            && parsed[end].app_version == head.app_version
            && parsed[end].context.get() == head.context.get()
        {
            end += 1;
        }
        if !first_group {
            b.push(b',');
        }
        first_group = false;
        let mut resource = vec![
            ("service.name".to_string(), Ordered::Str(head.app.to_string())),
            ("service.version".to_string(), Ordered::Str(head.app_version.to_string())),
        ];
        resource.extend(Ordered::members(head.context));
        b.extend_from_slice(b"{\"resource\":{\"attributes\":");
        otlp_attributes(b, resource.iter().map(|(k, v)| (k.as_str(), v)));
        b.extend_from_slice(b"},\"scopeLogs\":[{\"scope\":{\"name\":");
        push_json_str(b, LIB);
        b.extend_from_slice(b",\"version\":");
        push_json_str(b, LIB_VERSION);
        b.extend_from_slice(b"},\"logRecords\":[");
        for (j, e) in parsed[i..end].iter().enumerate() {
            if j > 0 {
                b.push(b',');
            }
            b.extend_from_slice(b"{\"timeUnixNano\":");
            push_json_str(b, &unix_nanos(&e.timestamp).to_string());
            b.extend_from_slice(b",\"severityNumber\":9,\"severityText\":\"INFO\",\"body\":{\"stringValue\":");
            push_json_str(b, &e.event);
            b.extend_from_slice(b"},\"attributes\":");
            let mut attrs = Ordered::members(e.properties);
            attrs.push(("session.id".into(), Ordered::Str(e.session_id.to_string())));
            attrs.push(("enduser.pseudo.id".into(), Ordered::Str(e.anonymous_id.to_string())));
            attrs.push(("log.record.uid".into(), Ordered::Str(e.message_id.to_string())));
            otlp_attributes(b, attrs.iter().map(|(k, v)| (k.as_str(), v)));
            b.extend_from_slice(b",\"eventName\":");
            push_json_str(b, &e.event);
            b.push(b'}');
        }
        b.extend_from_slice(b"]}]}");
        i = end;
    }
    b.extend_from_slice(b"]}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
