//! Enum values that are not snake_case (`custom-prefix`, `/opt/homebrew`,
//! `v1.2`) are recorded, sent in the native envelope as the exact strings,
//! and accepted by the payload JSON Schema generated from the same schema.

use std::time::Duration;
use telemetry_core::{MemorySink, Telemetry, TelemetryEnum, TelemetryEvent};

static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/wire-values.yaml");

/// Checked variant by variant against the field it names.
#[derive(TelemetryEnum, Clone, Copy)]
#[telemetry(schema = "../schemas/wire-values.yaml", field = "install.prefix")]
enum Location {
    #[telemetry(rename = "/opt/homebrew")]
    OptHomebrew,
    #[telemetry(rename = "/usr/local")]
    UsrLocal,
    #[telemetry(rename = "custom-prefix")]
    CustomPrefix,
}

/// A list item's enum, checked through the list field.
#[derive(TelemetryEnum, Clone, Copy)]
#[telemetry(schema = "../schemas/wire-values.yaml", field = "install.api")]
enum Api {
    #[telemetry(rename = "v1.2")]
    V12,
    V2,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../schemas/wire-values.yaml")]
struct Install {
    prefix: Location,
    api: Vec<Api>,
}

mod generated {
    telemetry_core::generate_events!("../schemas/wire-values.yaml");
}

fn sent(event: &impl TelemetryEvent) -> String {
    let sink = MemorySink::new();
    let telemetry = Telemetry::builder(&APP).for_tests(sink.clone()).build().unwrap();
    telemetry.record(event);
    assert!(telemetry.flush(Duration::from_secs(5)));
    let mut envelopes = sink.take();
    assert_eq!(envelopes.len(), 1);
    envelopes.remove(0)
}

#[test]
fn kebab_case_and_path_values_are_sent_as_written() {
    let envelope = sent(&Install { prefix: Location::CustomPrefix, api: vec![Api::V12, Api::V2] });
    assert!(
        envelope.starts_with(r#"{"event":"install","properties":{"prefix":"custom-prefix","api":["v1.2","v2"]}"#),
        "{envelope}"
    );
    let path = sent(&Install { prefix: Location::OptHomebrew, api: vec![] });
    assert!(path.contains(r#""properties":{"prefix":"/opt/homebrew","api":[]}"#), "{path}");
    assert_eq!(Location::VALUES, ["/opt/homebrew", "/usr/local", "custom-prefix"]);
    assert_eq!(Location::UsrLocal.telemetry_str(), "/usr/local");
}

#[test]
fn generated_enums_carry_the_values_by_rename() {
    use generated::{Install, InstallApi, InstallPrefix};
    let envelope = sent(&Install { prefix: InstallPrefix::UsrLocal, api: vec![InstallApi::V12] });
    assert!(envelope.contains(r#""properties":{"prefix":"/usr/local","api":["v1.2"]}"#), "{envelope}");
    assert_eq!(InstallPrefix::CustomPrefix.telemetry_str(), "custom-prefix");
}

#[test]
fn the_payload_json_schema_carries_the_exact_strings_and_accepts_the_envelope() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/wire-values.yaml");
    let schema = telemetry_schema::load_path(std::path::Path::new(path)).unwrap();
    let payload = telemetry_schema::render::payload_schema(&schema);
    let text = payload.to_string();
    assert!(text.contains(r#"["/opt/homebrew","/usr/local","custom-prefix"]"#), "{text}");
    let validator = jsonschema::validator_for(&payload).unwrap();
    let envelope: serde_json::Value =
        serde_json::from_str(&sent(&Install { prefix: Location::CustomPrefix, api: vec![Api::V12] })).unwrap();
    assert!(validator.is_valid(&envelope), "{envelope}");
    let mut tampered = envelope.clone();
    tampered["properties"]["prefix"] = "custom_prefix".into();
    assert!(!validator.is_valid(&tampered));
}
