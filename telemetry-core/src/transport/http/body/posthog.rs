//! The PostHog body's items (the keys of posthog-python's `capture()`).

use super::{item_end, key};
use crate::envelope::{Event, Origin};
use crate::json::push_json_str;
use crate::transport::http::ordered::Ordered;
use crate::transport::http::{LIB, LIB_VERSION, SCHEMA_VERSION};

/// `{"event":..,"properties":{..props,..shared},"distinct_id":..,"uuid":..,"timestamp":..}`,
/// the keys of posthog-python's `capture()`.
pub(super) fn item(b: &mut Vec<u8>, e: &Event, shared: &[u8]) {
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
    item_end(b, e, "uuid");
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
pub(super) fn shared(r: &Origin) -> Vec<u8> {
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
                    Ordered::Str(os) => push_json_str(&mut b, os_name(os)),
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
fn os_name(os: &str) -> &str {
    match os {
        "linux" => "Linux",
        "macos" => "Mac OS X",
        "windows" => "Windows",
        "freebsd" => "FreeBSD",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::body;
    use super::super::tests::{ID, at, s};
    use crate::envelope::tests::{event, origin};
    use crate::format::WireFormat;
    use crate::transport::http::LIB_VERSION;

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
}
