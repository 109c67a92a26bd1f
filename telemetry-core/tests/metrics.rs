//! Metrics end to end: runs of one day add up in the state dir and the
//! first run of the next day sends one payload; processes adding at once
//! add up exactly; a killed process loses only its own counts; off
//! records and writes nothing; `disable` erases the aggregate, a switch
//! leaves it unsent until telemetry is on again (as the page says).

use std::path::Path;
use std::process::Command;
use std::time::Duration;
use telemetry_core::{EnvSource, MemorySink, Telemetry, TestBuilder};
use telemetry_testkit::temp_dir;

static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/example-cli.yaml");
telemetry_core::generate_metrics!("../schemas/example-cli.yaml");

const CHILD_VAR: &str = "TELEMETRY_METRICS_TEST_CHILD";

fn builder(dir: &Path, sink: &MemorySink) -> TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .notice(false)
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .memory(sink.clone())
}

fn stored(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("metrics.json")).unwrap()).unwrap()
}

/// The day ends: the stored period is moved back one day, as the clock would move on.
fn end_the_day(dir: &Path) {
    let mut s = stored(dir);
    s["start_ms"] = (s["start_ms"].as_u64().unwrap() - 86_400_000).into();
    std::fs::write(dir.join("metrics.json"), s.to_string()).unwrap();
}

/// Three `build`s in a day, then a run the next day: one `metrics` event
/// with the count 3 and the three durations in their buckets.
#[test]
fn three_runs_then_the_next_day_send_one_payload() {
    let dir = temp_dir("metrics-day");
    let sink = MemorySink::new();
    for ms in [90, 2100, 2100] {
        let t = builder(&dir, &sink).build().unwrap();
        let m: Metrics = t.metrics();
        m.commands.add(CommandsLabel::Build, 1);
        m.build_duration.record_ms(ms);
    }
    assert!(sink.take().is_empty(), "nothing is sent within the period");
    end_the_day(&dir);
    let t = builder(&dir, &sink).build().unwrap();
    let _m: Metrics = t.metrics();
    assert!(t.flush(Duration::from_secs(10)));
    let sent = sink.take();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let event: serde_json::Value = serde_json::from_str(&sent[0]).unwrap();
    assert_eq!(event["event"], "metrics");
    assert_eq!(page_violations(&event), Vec::<String>::new(), "the page's JSON Schema describes it: {event:#}");
    let p = &event["properties"];
    assert_eq!(
        p["metrics"],
        serde_json::json!({
            "commands": { "build": 3, "test": 0 },
            "build_duration": { "unit": "ms", "count": 3, "sum": 4290, "bounds": [100, 500, 1000, 5000, 30000], "counts": [1, 0, 0, 2, 0, 0] }
        })
    );
    let (start, end) = (p["period_start"].as_str().unwrap(), p["period_end"].as_str().unwrap());
    assert!(start.ends_with("T00:00:00.000Z") && end.ends_with("T00:00:00.000Z"), "{start} {end}");
    drop(t);
    assert!(!dir.join("metrics.json").exists(), "nothing recorded since: nothing kept");
    assert!(sink.take().is_empty(), "sent once");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What the published payload JSON Schema (`docs/example-cli.events.schema.json`)
/// finds wrong with a `metrics` envelope, checked against that event's own definition.
fn page_violations(envelope: &serde_json::Value) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/example-cli.events.schema.json");
    let mut schema: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    schema.as_object_mut().unwrap().remove("oneOf");
    schema["$ref"] = "#/$defs/event_metrics".into();
    let v = jsonschema::validator_for(&schema).unwrap();
    v.iter_errors(envelope).map(|e| format!("{} at {}", e, e.instance_path)).collect()
}

#[test]
fn the_page_rejects_an_undeclared_label() {
    let envelope = serde_json::json!({"event": "metrics", "properties": {"period_start": "2026-12-02T00:00:00.000Z",
        "period_end": "2026-12-03T00:00:00.000Z", "metrics": {"commands": {"build": 1, "test": 0, "deploy": 1},
        "build_duration": {"unit": "ms", "count": 0, "sum": 0, "bounds": [100, 500, 1000, 5000, 30000], "counts": [0, 0, 0, 0, 0, 0]}}},
        "context": {"os": "linux", "arch": "x86_64", "ci": false, "app_version": "1.2.3"},
        "anonymous_id": "8c6f7d0e-2b1a-4c3d-9e8f-7a6b5c4d3e2f", "session_id": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
        "message_id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "timestamp": "2026-12-03T08:00:00.000Z",
        "app": "example-cli", "app_version": "1.2.3", "schema_version": APP.schema_version()});
    let found = page_violations(&envelope);
    assert!(!found.is_empty() && found.iter().all(|e| e.ends_with(" at /properties/metrics/commands")), "{found:?}");
    let mut fixed = envelope.clone();
    fixed["properties"]["metrics"]["commands"].as_object_mut().unwrap().remove("deploy");
    assert_eq!(page_violations(&fixed), Vec::<String>::new());
}

fn child(spec: &str) {
    let (dir, what) = spec.split_once('|').unwrap();
    let sink = MemorySink::new();
    let t = builder(Path::new(dir), &sink).build().unwrap();
    let m: Metrics = t.metrics();
    match what {
        "add1000" => {
            for _ in 0..1000 {
                m.commands.add(CommandsLabel::Test, 1);
            }
        }
        _ => {
            m.commands.add(CommandsLabel::Test, 7);
            println!("recorded");
            std::thread::sleep(Duration::from_secs(600));
        }
    }
}

fn spawn(test: &str, spec: String) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture"])
        .env(CHILD_VAR, spec)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn four_processes_adding_1000_each_give_4000() {
    if let Ok(spec) = std::env::var(CHILD_VAR) {
        return child(&spec);
    }
    let dir = temp_dir("metrics-4x1000");
    let children: Vec<_> = (0..4)
        .map(|_| spawn("four_processes_adding_1000_each_give_4000", format!("{}|add1000", dir.display())))
        .collect();
    for c in children {
        assert!(c.wait_with_output().unwrap().status.success());
    }
    // Cells: commands build, test, telemetry; then build_duration.
    assert_eq!(stored(&dir)["values"][1], 4000);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn kill_9_loses_only_that_runs_counts() {
    if let Ok(spec) = std::env::var(CHILD_VAR) {
        return child(&spec);
    }
    use std::io::BufRead;
    let dir = temp_dir("metrics-kill");
    let sink = MemorySink::new();
    {
        let t = builder(&dir, &sink).build().unwrap();
        let m: Metrics = t.metrics();
        m.commands.add(CommandsLabel::Test, 5);
    }
    let mut c = spawn("kill_9_loses_only_that_runs_counts", format!("{}|killed", dir.display()));
    // The harness prints its own lines first; wait for the child's.
    let mut out = std::io::BufReader::new(c.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("recorded") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "the child ended before recording");
    }
    c.kill().unwrap(); // SIGKILL on Unix
    c.wait().unwrap();
    assert_eq!(stored(&dir)["values"][1], 5, "the earlier run's counts are kept; the killed run's 7 are lost");
    {
        let t = builder(&dir, &sink).build().unwrap();
        let m: Metrics = t.metrics();
        m.commands.add(CommandsLabel::Test, 1);
    }
    assert_eq!(stored(&dir)["values"][1], 6);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn off_records_and_writes_nothing() {
    let dir = temp_dir("metrics-off");
    let sink = MemorySink::new();
    let t = builder(&dir, &sink).env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")])).build().unwrap();
    let m: Metrics = t.metrics();
    m.commands.add(CommandsLabel::Build, 1);
    m.build_duration.record_ms(5);
    drop(t);
    assert!(!dir.exists(), "no state dir, no file");
    assert!(sink.take().is_empty());
}

#[test]
fn disable_erases_the_aggregate() {
    let dir = temp_dir("metrics-disable");
    let sink = MemorySink::new();
    let t = builder(&dir, &sink).build().unwrap();
    let m: Metrics = t.metrics();
    m.commands.add(CommandsLabel::Build, 1);
    assert!(t.flush(Duration::from_secs(5)));
    assert!(dir.join("metrics.json").exists());
    builder(&dir, &sink).disable().unwrap();
    assert!(!dir.join("metrics.json").exists());
    // The running handle's later counts are not written back.
    m.commands.add(CommandsLabel::Build, 1);
    drop(t);
    assert!(!dir.join("metrics.json").exists());
    assert!(sink.take().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The page: "a variable that turns it off leaves them on your machine,
/// unsent until telemetry is on again".
#[test]
fn a_switch_leaves_the_counts_kept_unsent_until_telemetry_is_on_again() {
    let dir = temp_dir("metrics-switch");
    let sink = MemorySink::new();
    {
        let t = builder(&dir, &sink).build().unwrap();
        let m: Metrics = t.metrics();
        m.commands.add(CommandsLabel::Test, 2);
    }
    end_the_day(&dir);
    let kept = std::fs::read(dir.join("metrics.json")).unwrap();
    {
        let t = builder(&dir, &sink).env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")])).build().unwrap();
        let m: Metrics = t.metrics();
        m.commands.add(CommandsLabel::Test, 5);
        assert!(t.flush(Duration::from_secs(5)));
    }
    assert_eq!(std::fs::read(dir.join("metrics.json")).unwrap(), kept, "left as it was");
    assert!(sink.take().is_empty(), "nothing sent while off");
    let t = builder(&dir, &sink).build().unwrap();
    let _m: Metrics = t.metrics();
    assert!(t.flush(Duration::from_secs(10)));
    let sent: Vec<serde_json::Value> = sink.take().iter().map(|e| serde_json::from_str(e).unwrap()).collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["properties"]["metrics"]["commands"], serde_json::json!({"build": 0, "test": 2}));
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
}
