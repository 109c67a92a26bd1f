//! Every product's example payloads validate against its payload JSON
//! Schema, and the schema rejects what the page says is never sent.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use telemetry_schema::render;

fn schema_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/small.yaml"));
    files
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path)).collect()
}

#[test]
fn every_example_payload_validates() {
    let files = schema_files();
    for product in ["airbyte", "automatisch", "pyairbyte", "argilla", "evidently", "dotnet-cli", "homebrew"] {
        assert!(files.iter().any(|f| f.ends_with(format!("{product}.yaml"))), "schemas/{product}.yaml is missing");
    }
    let mut checked = 0;
    for path in files {
        let schema = telemetry_schema::load_path(&path).unwrap_or_else(|e| panic!("{e}"));
        let json_schema = render::payload_schema(&schema);
        assert!(
            jsonschema::meta::is_valid(&json_schema),
            "{}: payload schema is not a valid JSON Schema",
            path.display()
        );
        let validator = jsonschema::validator_for(&json_schema).unwrap();
        for event in &schema.events {
            let payload = render::example_payload(&schema, event);
            let errs = errors(&validator, &payload);
            assert!(errs.is_empty(), "{}: example of `{}` does not validate: {errs:#?}", path.display(), event.name);
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} events checked");
}

/// The first event of `small.yaml`, mutated by `f`, must be rejected.
fn rejects(what: &str, f: impl FnOnce(&mut Value)) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/small.yaml");
    let schema = telemetry_schema::load_path(&path).unwrap();
    let validator = jsonschema::validator_for(&render::payload_schema(&schema)).unwrap();
    let mut payload = render::example_payload(&schema, &schema.events[0]);
    assert!(validator.is_valid(&payload));
    f(&mut payload);
    assert!(!validator.is_valid(&payload), "accepted a payload with {what}: {payload:#}");
}

#[test]
fn payload_schema_rejects_what_is_not_on_the_page() {
    rejects("a forbidden field", |p| p["properties"]["email"] = json!("a@b.example"));
    rejects("a forbidden nested field", |p| p["properties"]["host"]["kernel"] = json!("6.1"));
    rejects("a forbidden context field", |p| p["context"]["secret_sauce"] = json!("x"));
    rejects("an undeclared field", |p| p["properties"]["cwd"] = json!("/home/me"));
    rejects("an undeclared envelope key", |p| p["ip"] = json!("192.0.2.1"));
    rejects("a raw value in a hashed field", |p| p["properties"]["name"] = json!("acme"));
    rejects("an out-of-range integer", |p| p["properties"]["count"] = json!(256));
    rejects("a value outside the enum", |p| p["context"]["os"] = json!("solaris"));
    rejects("a string over max_length", |p| p["properties"]["tags"] = json!(["much-too-long"]));
    rejects("a missing required field", |p| {
        p["properties"].as_object_mut().unwrap().remove("ok");
    });
    rejects("a missing id", |p| {
        p.as_object_mut().unwrap().remove("message_id");
    });
    rejects("a malformed id", |p| p["anonymous_id"] = json!("not-a-uuid"));
    rejects("a malformed timestamp", |p| p["timestamp"] = json!("yesterday"));
    rejects("an unknown event", |p| p["event"] = json!("nope"));
    rejects("another event's name", |p| p["event"] = json!("idle"));
}

#[test]
fn optional_fields_may_be_left_out() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/small.yaml");
    let schema = telemetry_schema::load_path(&path).unwrap();
    let validator = jsonschema::validator_for(&render::payload_schema(&schema)).unwrap();
    let mut payload = render::example_payload(&schema, &schema.events[0]);
    payload["properties"].as_object_mut().unwrap().remove("count");
    payload.as_object_mut().unwrap().remove("app_version");
    assert!(errors(&validator, &payload).is_empty());
}
