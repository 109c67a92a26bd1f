//! The Segment body's items (its HTTP tracking API's `batch`).

use super::{item_end, key};
use crate::envelope::{Event, Origin};
use crate::json::push_json_str;
use crate::transport::http::ordered::Ordered;
use crate::transport::http::{LIB, LIB_VERSION, SCHEMA_VERSION};

/// `{"type":"track","event":..,"properties":..,"context":{..},"anonymousId":..,"messageId":..,"timestamp":..}`
pub(super) fn item(b: &mut Vec<u8>, e: &Event, context_and_id: &[u8]) {
    b.extend_from_slice(b"{\"type\":\"track\",\"event\":");
    push_json_str(b, e.name);
    b.extend_from_slice(b",\"properties\":");
    b.extend_from_slice(e.properties.as_bytes());
    b.extend_from_slice(context_and_id);
    item_end(b, e, "messageId");
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
pub(super) fn context(r: &Origin) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::super::body;
    use super::super::tests::{ID, at, s};
    use crate::envelope::tests::{event, origin};
    use crate::format::WireFormat;
    use crate::transport::http::LIB_VERSION;

    #[test]
    fn segment() {
        let item = r#"{"type":"track","event":"ran","properties":{"n":1,"tags":["a"],"o":{"x":true}},"context":{"app":{"name":"demo","version":"1.0"},"library":{"name":"telemetry-core","version":"VER"},"os":{"name":"linux"},"ci":false,"session_id":"s-id"},"anonymousId":"a-id","messageId":"ID","timestamp":"2023-11-14T22:13:20.123Z"}"#.replace("VER", LIB_VERSION).replace("ID", ID);
        assert_eq!(
            s(WireFormat::Segment),
            format!(r#"{{"batch":[{item},{item}],"sentAt":"2023-11-14T22:13:21.000Z"}}"#)
        );
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
}
