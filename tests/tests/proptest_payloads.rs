//! Property tests of what the runtime writes, for random event values:
//! derived structs of `schemas/example-cli.yaml` and of the nested schema
//! `tests/ui/schemas/nested.yaml`, recorded through a real `Telemetry`
//! handle, checked on the full envelope as written by the JSON-lines file
//! transport and as printed by the debug transport:
//!
//! - no raw value of a `hashed` field appears anywhere in those bytes;
//! - no `forbidden` field name appears as a key, nor as a quoted name;
//! - every envelope validates against the product's payload JSON Schema
//!   (`docs/example-cli.events.schema.json`, and for the nested schema the
//!   same generator's output for its YAML).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use telemetry_core::meta::AppMeta;
use telemetry_core::{EnvSource, Telemetry, TelemetryEnum, TelemetryEvent};

static CLI_APP: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
static NESTED_APP: AppMeta = telemetry_core::app_meta!("../ui/schemas/nested.yaml");

#[derive(TelemetryEnum, Debug, Clone, Copy)]
enum Outcome {
    Success,
    Failure,
}

#[derive(TelemetryEvent, Debug)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRun {
    command: String,
    duration_ms: u64,
    outcome: Outcome,
    exit_code: i32,
    project: String,
    flags: Vec<String>,
    ci: Option<bool>,
}

#[derive(TelemetryEnum, Debug, Clone, Copy)]
enum Source {
    Command,
    Env,
}

#[derive(TelemetryEvent, Debug)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct TelemetryChanged {
    source: Source,
}

#[derive(TelemetryEnum, Debug, Clone, Copy)]
enum Kind {
    Profile,
    Dashboard,
}

#[derive(TelemetryEnum, Debug, Clone, Copy)]
enum Part {
    DataDrift,
    TargetDrift,
}

#[derive(TelemetryEnum, Debug, Clone, Copy)]
enum Sampling {
    None,
    Nth,
    Random,
}

#[derive(TelemetryEvent, Debug)]
#[telemetry(schema = "../ui/schemas/nested.yaml", event = "report", object = "environment.python")]
struct Python {
    version: String,
    venv: bool,
}

#[derive(TelemetryEvent, Debug)]
#[telemetry(schema = "../ui/schemas/nested.yaml", event = "report", object = "environment")]
struct Environment {
    os: String,
    python: Python,
}

#[derive(TelemetryEvent, Debug)]
#[telemetry(schema = "../ui/schemas/nested.yaml", event = "report", object = "samples")]
struct Sample {
    kind: Sampling,
    ratio: f64,
    seed: Option<i64>,
}

#[derive(TelemetryEvent, Debug)]
#[telemetry(schema = "../ui/schemas/nested.yaml")]
struct Report {
    kind: Kind,
    environment: Option<Environment>,
    parts: Vec<Part>,
    samples: Option<Vec<Sample>>,
    tags: Vec<String>,
    r#type: String,
}

/// Field names the schemas forbid.
const CLI_FORBIDDEN: &[&str] = &["user_name", "working_dir", "arguments"];
const NESTED_FORBIDDEN: &[&str] = &["home_dir"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Any text: arbitrary Unicode (control characters included), and text
/// made mostly of what JSON must escape.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[\"\\\\\u{0}-\u{1f}\u{7f}\u{2028}\u{2029}'a-z /é😀]{0,40}",]
}

/// A raw value for a hashed field: odd text around a 16-character token of
/// `[A-Za-z0-9]`. The check searches the output for the token (and for the
/// whole value, raw and JSON-escaped). The token is there because a short
/// random value ("a", "0", "\"") is a substring of almost any envelope by
/// coincidence (hex hashes, UUIDs, other fields) and would make the check
/// fail for no leak; 16 such characters (95 bits) appear by chance with
/// negligible probability, and since they need no JSON escaping, any leak
/// of the value, escaped or not, contains them verbatim.
fn hashed_raw() -> impl Strategy<Value = (String, String)> {
    ("[^\u{0}]{0,6}", "[A-Za-z0-9]{16}", "[^\u{0}]{0,6}").prop_map(|(a, token, b)| (format!("{a}{token}{b}"), token))
}

/// `f64` values, including NaN and the infinities (JSON has no number for them).
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>(), -1e3..1e3f64, Just(f64::NAN), Just(f64::INFINITY), Just(-0.0)]
}

fn command_run() -> impl Strategy<Value = (CommandRun, Vec<String>)> {
    (
        text(),
        any::<u64>(),
        any::<bool>(),
        any::<i32>(),
        hashed_raw(),
        prop::collection::vec(text(), 0..5),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(command, duration_ms, ok, exit_code, (project, token), flags, ci)| {
            let outcome = if ok { Outcome::Success } else { Outcome::Failure };
            (CommandRun { command, duration_ms, outcome, exit_code, project, flags, ci }, vec![token])
        })
}

fn report() -> impl Strategy<Value = (Report, Vec<String>)> {
    let sample = (0..3u8, number(), prop::option::of(any::<i64>())).prop_map(|(k, ratio, seed)| Sample {
        kind: [Sampling::None, Sampling::Nth, Sampling::Random][usize::from(k)],
        ratio,
        seed,
    });
    let env = (text(), text(), any::<bool>())
        .prop_map(|(os, version, venv)| Environment { os, python: Python { version, venv } });
    (
        any::<bool>(),
        prop::option::of(env),
        prop::collection::vec(any::<bool>(), 0..4),
        prop::option::of(prop::collection::vec(sample, 0..4)),
        prop::collection::vec(hashed_raw(), 0..4),
        text(),
    )
        .prop_map(|(dash, environment, parts, samples, tags, ty)| {
            let (tags, tokens): (Vec<String>, Vec<String>) = tags.into_iter().unzip();
            let report = Report {
                kind: if dash { Kind::Dashboard } else { Kind::Profile },
                environment,
                parts: parts.into_iter().map(|t| if t { Part::TargetDrift } else { Part::DataDrift }).collect(),
                samples,
                tags,
                r#type: ty,
            };
            (report, tokens)
        })
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes the runtime writes for `event`: the JSON-lines file (one
/// envelope per line) and the debug transport's pretty output.
fn written<E: TelemetryEvent>(app: &'static AppMeta, dir: &Path, event: &E) -> (String, String) {
    let file = dir.join("events.jsonl");
    let _ = std::fs::remove_file(&file);
    let base = || {
        Telemetry::builder(app)
            .app_version("9.9.9")
            .state_dir(dir)
            .notice(false)
            .shutdown_deadline(std::time::Duration::from_secs(10))
            .with_test_knobs()
    };
    let t = base().env(EnvSource::from_pairs::<&str, &str>([])).build().unwrap();
    t.record(event);
    let s = t.shutdown();
    assert_eq!((s.recorded, s.sent), (1, 1), "{s:?}");
    let out = Buf::default();
    // The documented name: the app's name upper-cased, `-` as `_`.
    let debug_var = format!("{}_TELEMETRY_DEBUG", app.name().to_ascii_uppercase().replace('-', "_"));
    let t = base().env(EnvSource::from_pairs([(debug_var.as_str(), "1")])).output(out.clone()).build().unwrap();
    t.record(event);
    assert_eq!(t.shutdown().sent, 1);
    let debug = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    (std::fs::read_to_string(&file).unwrap(), debug)
}

fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                keys(v, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

struct Check {
    app: &'static AppMeta,
    dir: PathBuf,
    validator: jsonschema::Validator,
    forbidden: &'static [&'static str],
}

impl Check {
    fn new(app: &'static AppMeta, payload_schema: serde_json::Value, forbidden: &'static [&'static str]) -> Self {
        // One dir per check: tests run in parallel threads of this process.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("telemetry-proptest-{}-{}-{n}", app.name(), std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Check { app, dir, validator: jsonschema::validator_for(&payload_schema).unwrap(), forbidden }
    }

    fn run<E: TelemetryEvent>(&self, event: &E, raw: &[String], tokens: &[String]) -> Result<(), TestCaseError> {
        let (file, debug) = written(self.app, &self.dir, event);
        let lines: Vec<&str> = file.lines().collect();
        prop_assert_eq!(lines.len(), 1);
        for bytes in [&file, &debug] {
            for t in tokens {
                prop_assert!(!bytes.contains(t.as_str()), "hashed token {t:?} leaked:\n{bytes}");
            }
            for r in raw {
                let escaped = serde_json::to_string(r).unwrap();
                prop_assert!(!bytes.contains(r.as_str()) && !bytes.contains(&escaped[1..escaped.len() - 1]));
            }
            for f in self.forbidden {
                prop_assert!(!bytes.contains(&format!("\"{f}\"")), "forbidden name {f} in:\n{bytes}");
            }
        }
        let envelope: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        let pretty: serde_json::Value = serde_json::from_str(&debug).unwrap();
        prop_assert_eq!(&pretty["properties"], &envelope["properties"], "debug and file agree");
        let mut all = Vec::new();
        keys(&envelope, &mut all);
        for f in self.forbidden {
            prop_assert!(!all.iter().any(|k| k == f));
        }
        let errors: Vec<String> =
            self.validator.iter_errors(&envelope).map(|e| format!("{e} at {}", e.instance_path)).collect();
        prop_assert!(errors.is_empty(), "{}\n{errors:#?}", lines[0]);
        Ok(())
    }
}

impl Drop for Check {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn cli_check() -> Check {
    let text = std::fs::read_to_string(workspace().join("docs/example-cli.events.schema.json")).unwrap();
    Check::new(&CLI_APP, serde_json::from_str(&text).unwrap(), CLI_FORBIDDEN)
}

fn nested_check() -> Check {
    let schema = telemetry_schema::load_path(&workspace().join("tests/ui/schemas/nested.yaml")).unwrap();
    Check::new(&NESTED_APP, telemetry_schema::render::payload_schema(&schema), NESTED_FORBIDDEN)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn example_cli_payloads_hide_hashed_values_and_match_the_schema((event, tokens) in command_run()) {
        thread_local!(static CHECK: Check = cli_check());
        let raw = vec![event.project.clone()];
        CHECK.with(|c| c.run(&event, &raw, &tokens))?;
    }

    #[test]
    fn nested_payloads_hide_hashed_values_and_match_the_schema((event, tokens) in report()) {
        thread_local!(static CHECK: Check = nested_check());
        let raw = event.tags.clone();
        CHECK.with(|c| c.run(&event, &raw, &tokens))?;
    }
}

#[test]
fn telemetry_changed_payloads_match_the_schema() {
    let c = cli_check();
    for source in [Source::Command, Source::Env] {
        c.run(&TelemetryChanged { source }, &[], &[]).unwrap();
    }
}
