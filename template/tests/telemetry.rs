//! What My App sends, asserted exactly, from a `Builder::for_tests` handle:
//! nothing read from the real environment, no file written anywhere.

use std::time::Duration;
use telemetry_core::{Hasher, MemorySink, TEST_ANONYMOUS_ID, Telemetry};

/// The hashing key of the tests: fixed, so a hashed value can be asserted exactly.
const KEY: [u8; 32] = [7; 32];

/// Runs My App with `args` and `input`; returns its result and every envelope it sent.
fn run(args: &[&str], input: &str) -> (Result<String, String>, Vec<serde_json::Value>) {
    let sink = MemorySink::new();
    // No environment read (DO_NOT_TRACK of the shell changes nothing), no state
    // dir and no file written, no notice, a fixed id and hashing key.
    let telemetry =
        Telemetry::builder(&my_app::APP).app_version("0.1.0").for_tests(sink.clone()).hashing_key(KEY).build().unwrap();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let result = my_app::run(&args, input.as_bytes(), &telemetry);
    assert!(telemetry.flush(Duration::from_secs(5)), "not delivered in time");
    let sent = sink.take().iter().map(|e| serde_json::from_str(e).unwrap()).collect();
    (result, sent)
}

/// The envelope without the values that differ on every run, which are checked for shape.
fn stable(mut envelope: serde_json::Value) -> serde_json::Value {
    let map = envelope.as_object_mut().unwrap();
    for key in ["session_id", "message_id"] {
        let id = map.remove(key).unwrap();
        assert_eq!(id.as_str().unwrap().len(), 36, "{key} is a UUID");
    }
    let timestamp = map.remove("timestamp").unwrap();
    assert!(timestamp.as_str().unwrap().ends_with('Z'), "{timestamp}");
    envelope
}

#[test]
fn count_sends_two_events_with_the_project_hashed() {
    let (result, sent) = run(&["count", "acme"], "one\ntwo\nthree\n");
    assert_eq!(result.unwrap(), "acme: 3 lines");
    // HMAC-SHA256(KEY, "acme") (Python's hmac gives the same): sent instead of "acme".
    let project = "e076aedd171f85a41eda61e73b47ff6f4cda099368f46d8b6d919a1d81e24ad3";
    assert_eq!(Hasher::new(&KEY).hash_hex("acme"), project);
    let envelope = |event: &str, properties: serde_json::Value| {
        serde_json::json!({
            "event": event,
            "properties": properties,
            "context": { "os": std::env::consts::OS, "app_version": "0.1.0" },
            "anonymous_id": TEST_ANONYMOUS_ID,
            "app": "my-app",
            "app_version": "0.1.0",
        })
    };
    let sent: Vec<_> = sent.into_iter().map(stable).collect();
    assert_eq!(
        sent,
        [
            envelope("command_started", serde_json::json!({ "command": "count" })),
            envelope("input_counted", serde_json::json!({ "lines": 3, "project": project })),
        ]
    );
}

#[test]
fn a_usage_error_sends_its_kind_and_never_its_message() {
    let (result, sent) = run(&["frobnicate"], "");
    assert_eq!(result.unwrap_err(), "usage: my-app <count|check> PROJECT < input");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["event"], "command_failed");
    assert_eq!(sent[0]["properties"].to_string(), r#"{"kind":"usage"}"#);
}
