//! What My App sends, asserted exactly, with nothing read from the real
//! environment and nothing written outside a temporary directory.

use std::path::Path;
use std::time::Duration;
use telemetry_core::{EnvSource, Hasher, MemorySink, Telemetry};

/// Runs My App with `args` and `input`; returns its result and every envelope it sent.
fn run(dir: &Path, args: &[&str], input: &str) -> (Result<String, String>, Vec<serde_json::Value>) {
    let sink = MemorySink::new();
    // `Builder::for_tests(sink)` will replace these four lines once telemetry-core has it.
    let telemetry = Telemetry::builder(&my_app::APP)
        .app_version("0.1.0")
        .memory(sink.clone())
        .state_dir(dir) // the anonymous id and hashing key live here, not in ~/.config
        .env(EnvSource::from_pairs::<&str, &str>([])) // DO_NOT_TRACK and friends of the shell are not read
        .notice(false) // no first-run notice on the test's stderr
        .build()
        .unwrap();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let result = my_app::run(&args, input.as_bytes(), &telemetry);
    assert!(telemetry.flush(Duration::from_secs(5)), "not delivered in time");
    let sent = sink.take().iter().map(|e| serde_json::from_str(e).unwrap()).collect();
    (result, sent)
}

/// The install's anonymous id and hashing key, as the runtime stored them in `dir`.
fn install(dir: &Path) -> (String, Hasher) {
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("state.json")).unwrap()).unwrap();
    let hex = state["key"].as_str().unwrap();
    let key: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
    (state["anonymous_id"].as_str().unwrap().to_string(), Hasher::new(&key))
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
    let dir = tempfile::tempdir().unwrap(); // removed when the test ends
    let (result, sent) = run(dir.path(), &["count", "acme"], "one\ntwo\nthree\n");
    assert_eq!(result.unwrap(), "acme: 3 lines");
    let (anonymous_id, hasher) = install(dir.path());
    let envelope = |event: &str, properties: serde_json::Value| {
        serde_json::json!({
            "event": event,
            "properties": properties,
            "context": { "os": std::env::consts::OS, "app_version": "0.1.0" },
            "anonymous_id": anonymous_id,
            "app": "my-app",
            "app_version": "0.1.0",
        })
    };
    let sent: Vec<_> = sent.into_iter().map(stable).collect();
    assert_eq!(
        sent,
        [
            envelope("command_started", serde_json::json!({ "command": "count" })),
            envelope("input_counted", serde_json::json!({ "lines": 3, "project": hasher.hash_hex("acme") })),
        ]
    );
    assert_ne!(hasher.hash_hex("acme"), "acme");
}

#[test]
fn a_usage_error_sends_its_kind_and_never_its_message() {
    let dir = tempfile::tempdir().unwrap(); // removed when the test ends
    let (result, sent) = run(dir.path(), &["frobnicate"], "");
    assert_eq!(result.unwrap_err(), "usage: my-app <count|check> PROJECT < input");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["event"], "command_failed");
    assert_eq!(sent[0]["properties"].to_string(), r#"{"kind":"usage"}"#);
}
