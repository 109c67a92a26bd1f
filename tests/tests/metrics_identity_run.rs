//! The payload JSON Schema's `metrics` event under `identity: run`: a
//! period's counts add up several runs, so the schema has no
//! `anonymous_id` or `session_id` on it (`render/payload.rs`,
//! `metrics_def`), while the product's other events keep their run's ids.
//! The envelopes are the runtime's own: three runs count a ping each, the
//! next day's run sends the day's metrics and one ping.

use std::path::Path;
use std::time::Duration;

use telemetry_core::{EnvSource, MemorySink, Telemetry};
use telemetry_testkit::temp_dir;

/// The runtime tests' schema with `identity: run` and a counter.
const SCHEMA: &str = "../../telemetry-core/tests/schemas/identity_run.yaml";

static APP: telemetry_core::meta::AppMeta =
    telemetry_core::app_meta!("../../telemetry-core/tests/schemas/identity_run.yaml");
telemetry_core::generate_metrics!("../../telemetry-core/tests/schemas/identity_run.yaml");

#[derive(telemetry_core::TelemetryEvent)]
#[telemetry(schema = "../../telemetry-core/tests/schemas/identity_run.yaml")]
struct Ping<'a> {
    n: u8,
    project: &'a str,
}

/// The envelopes the next day's run delivers: the day's `metrics`, then its ping.
fn sent() -> Vec<serde_json::Value> {
    let dir = temp_dir("metrics-identity-run");
    let sink = MemorySink::new();
    let handle = || {
        Telemetry::builder(&APP)
            .app_version("1.2.3")
            .state_dir(&dir)
            .notice(false)
            .shutdown_deadline(Duration::from_secs(5))
            .with_test_knobs()
            .env(EnvSource::from_pairs::<&str, &str>([]))
            .memory(sink.clone())
            .build()
            .unwrap()
    };
    for _ in 0..3 {
        let t = handle();
        let m: Metrics = t.metrics();
        m.pings.add(1);
    }
    let file = dir.join("metrics.json");
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    s["start_ms"] = (s["start_ms"].as_u64().unwrap() - 86_400_000).into();
    std::fs::write(&file, s.to_string()).unwrap();
    let t = handle();
    let _m: Metrics = t.metrics();
    t.record(&Ping { n: 1, project: "demo" });
    assert!(t.flush(Duration::from_secs(10)));
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
    sink.take().iter().map(|e| serde_json::from_str(e).unwrap()).collect()
}

/// What the schema's generated payload JSON Schema finds wrong with `envelope`:
/// nothing when it validates, else the errors of the event it names.
fn violations(envelope: &serde_json::Value) -> Vec<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(SCHEMA);
    let schema = telemetry_schema::load_path(&file).unwrap_or_else(|e| panic!("{e}"));
    let mut json_schema = telemetry_schema::render::payload_schema(&schema);
    if jsonschema::validator_for(&json_schema).unwrap().is_valid(envelope) {
        return Vec::new();
    }
    // `oneOf` would only say that no event matched: the reasons come from the event's own definition.
    json_schema.as_object_mut().unwrap().remove("oneOf");
    json_schema["$ref"] = format!("#/$defs/event_{}", envelope["event"].as_str().unwrap()).into();
    let v = jsonschema::validator_for(&json_schema).unwrap();
    v.iter_errors(envelope).map(|e| format!("{e} at {}", e.instance_path)).collect()
}

#[test]
fn a_run_identity_metrics_payload_carries_no_id_and_one_with_an_id_is_rejected() {
    let sent = sent();
    let names: Vec<&str> = sent.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(names, ["metrics", "ping"], "{sent:?}");
    let (metrics, ping) = (&sent[0], &sent[1]);
    assert_eq!(metrics["properties"]["metrics"], serde_json::json!({"pings": 3}));
    assert_eq!(violations(metrics), Vec::<String>::new(), "{metrics}");
    assert_eq!(violations(ping), Vec::<String>::new(), "{ping}");
    // The ping carries its run's ids; the same ids on the day's metrics are refused.
    let (anonymous_id, session_id) = (&ping["anonymous_id"], &ping["session_id"]);
    assert!(anonymous_id.is_string() && session_id.is_string(), "{ping}");
    for (key, id) in [("anonymous_id", anonymous_id), ("session_id", session_id)] {
        let mut linked = metrics.clone();
        linked[key] = id.clone();
        let found = violations(&linked);
        assert_eq!(found.len(), 1, "{key}: {found:?}");
        assert!(
            found[0].contains(&format!("'{key}' was unexpected")) && found[0].ends_with(" at "),
            "{key}: {found:?}"
        );
    }
}
