//! Each third-party body against what the vendor's official client sends
//! for the same event: the bodies posthog-python 7.91.1 and
//! segment-analytics-python 2.4.0 sent to a loopback server
//! (`tests/official/*-python.json`, captured by `tests/official/capture.py`),
//! compared key by key with ours. Every difference must be one listed, with
//! why, in `tests/official/differences.txt`: a new key, a missing one or a
//! changed value fails the test, and so does a listed difference that is gone.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;

use super::body::body;
use crate::envelope::{Event, Origin, OriginParts};
use crate::format::WireFormat;
use crate::meta::Fingerprint;

/// The event the Python clients were given (`capture.py`), as this runtime records it.
fn event() -> Event {
    let origin = Origin::new(OriginParts {
        app: "example-cli",
        app_version: "1.2.3",
        schema_version: Some("1.0"),
        fingerprint: Fingerprint::NONE,
        context: r#"{"os":"linux","os_version":"12","ci":false}"#,
        anonymous_id: Some("00000000-0000-4000-8000-000000000000"),
        session_id: Some("018bd0a1-2b3b-7000-8000-00000000000a"),
    });
    Event {
        name: "command_run",
        properties: r#"{"command":"build","duration_ms":1234}"#.into(),
        message_id: uuid::Uuid::from_u128(0x0123_4567_89ab_4def_8123_0000_0000_0000),
        at_ms: 1_700_000_000_123,
        ordinal: Some(0),
        origin,
        generation: 0,
    }
}

/// Every leaf of `v` by JSON pointer; times as RFC 3339 UTC with milliseconds.
fn leaves(v: &Value, at: String, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                leaves(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, v) in a.iter().enumerate() {
                leaves(v, format!("{at}/{i}"), out);
            }
        }
        Value::String(s) if at.ends_with("timestamp") || at.ends_with("sent_at") || at.ends_with("sentAt") => {
            out.insert(at, Value::String(utc_millis(s)));
        }
        _ => {
            out.insert(at, v.clone());
        }
    }
}

/// `2023-11-14T22:13:20.123000+00:00` (Python's isoformat) as `2023-11-14T22:13:20.123Z`.
fn utc_millis(s: &str) -> String {
    let s = s.strip_suffix("+00:00").map_or(s.to_string(), |s| format!("{s}Z"));
    match s.split_once('.') {
        Some((whole, frac)) => format!("{whole}.{:0<3.3}Z", frac.trim_end_matches('Z')),
        None => s,
    }
}

/// The differences between `theirs` and `ours`, one line each:
/// `<format> theirs-only|ours-only|value <pointer>`.
fn differences(format: &str, theirs: &Value, ours: &Value) -> Vec<String> {
    let (mut t, mut o) = (BTreeMap::new(), BTreeMap::new());
    leaves(theirs, String::new(), &mut t);
    leaves(ours, String::new(), &mut o);
    let mut out = Vec::new();
    for (k, v) in &t {
        match o.get(k) {
            None => out.push(format!("{format} theirs-only {k}")),
            Some(ov) if ov != v => out.push(format!("{format} value {k}")),
            Some(_) => {}
        }
    }
    out.extend(o.keys().filter(|k| !t.contains_key(*k)).map(|k| format!("{format} ours-only {k}")));
    out
}

fn official(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/official").join(file);
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn ours(format: WireFormat, key: &str) -> Value {
    let sent_at = UNIX_EPOCH + Duration::from_millis(1_700_000_001_000);
    serde_json::from_slice(&body(format, &[event()], Some(key), sent_at)).unwrap()
}

#[test]
fn every_key_is_the_official_clients_or_a_listed_difference() {
    let mut found = differences("posthog", &official("posthog-python.json"), &ours(WireFormat::PostHog, "phc_key"));
    found.extend(differences("segment", &official("segment-python.json"), &ours(WireFormat::Segment, "wk")));
    let listed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/official/differences.txt")).unwrap();
    let listed: Vec<&str> = listed
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once("  #").map_or(l, |(d, _)| d).trim_end())
        .collect();
    assert_eq!(found, listed, "differences from the official clients' bodies (left: found, right: listed)");
}

#[test]
fn the_privacy_keys_are_the_official_clients() {
    let theirs = official("posthog-python.json");
    let ours = ours(WireFormat::PostHog, "phc_key");
    for key in ["$geoip_disable", "$process_person_profile", "$session_id", "$os", "$os_version"] {
        let t = &theirs["batch"][0]["properties"][key];
        assert!(!t.is_null(), "{key} in the captured body");
        assert_eq!(&ours["batch"][0]["properties"][key], t, "{key}");
    }
    assert_eq!(ours["batch"][0]["distinct_id"], theirs["batch"][0]["distinct_id"]);
    assert_eq!(ours["batch"][0]["properties"].get("distinct_id"), None);
    // Segment: no `ip`, no `direct` (which would have Segment record the IP address), as its client.
    let seg = self::ours(WireFormat::Segment, "wk");
    for key in ["ip", "direct"] {
        assert_eq!(seg["batch"][0]["context"].get(key), None, "{key}");
        assert_eq!(official("segment-python.json")["batch"][0]["context"].get(key), None, "{key}");
    }
}

#[test]
fn times_compare_as_instants() {
    assert_eq!(utc_millis("2023-11-14T22:13:20.123000+00:00"), "2023-11-14T22:13:20.123Z");
    assert_eq!(utc_millis("2023-11-14T22:13:20.123+00:00"), "2023-11-14T22:13:20.123Z");
    assert_eq!(utc_millis("2023-11-14T22:13:20.123Z"), "2023-11-14T22:13:20.123Z");
    assert_eq!(utc_millis("2023-11-14T22:13:20.1Z"), "2023-11-14T22:13:20.100Z");
}
