//! What this crate sends is what PyAirbyte's page promises: every envelope
//! validates against the published `docs/pyairbyte.events.schema.json`, and
//! the hashed context key is the keyed hash of its value, never the value.

use pyairbyte_user::{APP, Context, FAKER_CONFIG};
use std::collections::BTreeSet;
use std::time::Duration;
use telemetry_core::{BuildError, Hasher, MemorySink, TEST_ANONYMOUS_ID, Telemetry};

/// The page's JSON Schema of everything sent, as committed.
const PAYLOAD_SCHEMA: &str = include_str!("../../../docs/pyairbyte.events.schema.json");

const KEY: [u8; 32] = [42; 32];
const SCRIPT: &str = "sync_orders.py";

/// Every envelope `record_all` delivers, as text, and how many events it recorded.
fn envelopes() -> (usize, Vec<String>) {
    let sink = MemorySink::new();
    let telemetry = Telemetry::builder(&APP)
        .app_version("0.20.1")
        .context(Context::script("0.20.1", "3.11.9", SCRIPT))
        .for_tests(sink.clone())
        .hashing_key(KEY)
        .build()
        .expect("the context fills every key the page requires");
    let recorded = pyairbyte_user::record_all(&telemetry);
    assert!(telemetry.flush(Duration::from_secs(5)), "not delivered in time");
    (recorded, sink.take())
}

/// Why `envelope` breaks the page's schema, or nothing. The schema's `oneOf`
/// only says that no event matched: the reasons come from the event named.
fn violations(schema: &serde_json::Value, envelope: &serde_json::Value) -> Vec<String> {
    if jsonschema::validator_for(schema).expect("the page's schema compiles").is_valid(envelope) {
        return Vec::new();
    }
    let mut one = schema.clone();
    let map = one.as_object_mut().expect("the schema is an object");
    map.remove("oneOf");
    map.insert("$ref".into(), format!("#/$defs/event_{}", envelope["event"].as_str().unwrap_or_default()).into());
    let why: Vec<String> = match jsonschema::validator_for(&one) {
        Ok(v) => v.iter_errors(envelope).map(|e| format!("{e} (at {})", e.instance_path)).collect(),
        Err(_) => Vec::new(),
    };
    if why.is_empty() { vec![format!("event {} is not one of the page's", envelope["event"])] } else { why }
}

#[test]
fn every_envelope_validates_against_the_published_json_schema() {
    let schema: serde_json::Value = serde_json::from_str(PAYLOAD_SCHEMA).unwrap();
    let (recorded, sent) = envelopes();
    assert_eq!(sent.len(), recorded, "every recorded event is delivered");
    let sent: Vec<serde_json::Value> = sent.iter().map(|e| serde_json::from_str(e).unwrap()).collect();
    let problems: Vec<String> = sent
        .iter()
        .flat_map(|e| violations(&schema, e).into_iter().map(move |why| format!("{}: {why}", e["event"])))
        .collect();
    assert!(problems.is_empty(), "envelopes the page does not allow:\n{}", problems.join("\n"));
    let names: BTreeSet<&str> = sent.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(names, APP.events().iter().copied().collect(), "every event of the schema is recorded");
}

#[test]
fn the_context_is_the_one_given_with_the_script_name_hashed_by_the_install_key() {
    let (_, sent) = envelopes();
    let hashed = Hasher::new(&KEY).hash_hex(SCRIPT);
    let expected = serde_json::json!({
        "pyairbyte_version": "0.20.1",
        "python_version": "3.11.9",
        "application_hash": hashed,
        "notebook": false,
        "colab": false,
        "os": std::env::consts::OS,
        "ci": false,
    });
    for text in &sent {
        let envelope: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(envelope["context"], expected, "{text}");
        assert_eq!(envelope["anonymous_id"], TEST_ANONYMOUS_ID);
        // Hashed values leave only as their hash, in no field and no part of one.
        let raw = strings(&envelope).into_iter().find(|s| s.contains(SCRIPT) || s.contains(FAKER_CONFIG));
        assert_eq!(raw, None, "a hashed value was sent as is: {text}");
    }
    let install: serde_json::Value = serde_json::from_str(&sent[0]).unwrap();
    assert_eq!(install["properties"]["source"]["config_hash"], Hasher::new(&KEY).hash_hex(FAKER_CONFIG));
}

/// Every string in `value`, keys included, at any depth.
fn strings(value: &serde_json::Value) -> Vec<&str> {
    match value {
        serde_json::Value::String(s) => vec![s],
        serde_json::Value::Array(items) => items.iter().flat_map(strings).collect(),
        serde_json::Value::Object(map) => {
            map.iter().flat_map(|(k, v)| [k.as_str()].into_iter().chain(strings(v))).collect()
        }
        _ => Vec::new(),
    }
}

#[test]
fn without_the_context_build_names_every_key_the_page_requires_and_nothing_fills() {
    let err = Telemetry::builder(&APP).for_tests(MemorySink::new()).build().unwrap_err();
    assert_eq!(
        err,
        BuildError::MissingContext {
            app: "pyairbyte",
            keys: vec!["pyairbyte_version", "python_version", "application_hash", "notebook", "colab"],
        }
    );
}
