//! Structs that compile, and the exact JSON they produce.

use telemetry_core::meta::{Collect, HashScope};
// The derive's bytes alone, without the runtime: `__bench` (hidden, not API).
use telemetry_core::__bench::properties_json;
use telemetry_core::{Hasher, TelemetryEnum, TelemetryEvent};

mod generated;

use generated::example_cli;

/// Computed independently with Python's standard library:
/// `python3 -c "import hmac,hashlib;print(hmac.new(b'per-install key', b'acme-website', hashlib.sha256).hexdigest())"`
const ACME_WEBSITE_HMAC: &str = "530cc69e5f9a4bdd07019058333d6a9378b5fde328657cb953de9de643e1c7a9";
/// Same command with `b'ci-tag'`.
const CI_TAG_HMAC: &str = "f8fb67b744d11febe511b8bd857bd5687890f487548fdb0a634843d2906de090";
/// Same command with `b'nightly'`.
const NIGHTLY_HMAC: &str = "fa763cdfd8b7cc0922bd5dea5d46cdd81596b7559058b9a969612774e8752121";

fn hasher() -> Hasher {
    Hasher::new(b"per-install key")
}

fn json<E: TelemetryEvent>(e: &E) -> String {
    String::from_utf8(properties_json(e, &hasher())).unwrap()
}

#[derive(TelemetryEnum, Debug, Clone, Copy)]
enum Outcome {
    Success,
    Failure,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRun<'a> {
    command: &'a str,
    duration_ms: u64,
    outcome: Outcome,
    exit_code: i32,
    project: &'a str,
    flags: Vec<&'a str>,
    ci: Option<bool>,
}

/// A release build of `acme-website` in CI, hand-written: the event whose
/// exact JSON the first test pins, and that generated structs must match.
fn release_build() -> CommandRun<'static> {
    CommandRun {
        command: "build",
        duration_ms: 1200,
        outcome: Outcome::Success,
        exit_code: 0,
        project: "acme-website",
        flags: vec!["release", "verbose"],
        ci: Some(true),
    }
}

#[test]
fn hashed_field_is_the_independent_hmac_vector_and_raw_value_never_appears() {
    let out = json(&release_build());
    assert_eq!(
        out,
        format!(
            r#"{{"command":"build","duration_ms":1200,"outcome":"success","exit_code":0,"project":"{ACME_WEBSITE_HMAC}","flags":["release","verbose"],"ci":true}}"#
        )
    );
    assert!(!out.contains("acme-website"));
}

#[test]
fn optional_none_leaves_the_key_out_and_max_length_cuts_on_char_boundaries() {
    let e = CommandRun {
        // 40 characters, some multi-byte; the schema says max_length: 32.
        command: "ééééééééééééééééééééééééééééééééxxxxxxxx",
        duration_ms: 7,
        outcome: Outcome::Failure,
        exit_code: -2,
        project: "acme-website",
        flags: vec![],
        ci: None,
    };
    assert_eq!(
        json(&e),
        format!(
            r#"{{"command":"{}","duration_ms":7,"outcome":"failure","exit_code":-2,"project":"{ACME_WEBSITE_HMAC}","flags":[]}}"#,
            "é".repeat(32)
        )
    );
}

#[test]
fn strings_are_json_escaped() {
    let e = CommandRun {
        command: "a\"b\\c\n\u{1}",
        duration_ms: 0,
        outcome: Outcome::Success,
        exit_code: 0,
        project: "",
        flags: vec!["</script>"],
        ci: None,
    };
    let out = json(&e);
    assert!(out.starts_with(r#"{"command":"a\"b\\c\n\u0001","#), "{out}");
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed["command"], "a\"b\\c\n\u{1}");
}

#[test]
fn metadata_lists_collected_fields_only_in_schema_order() {
    let meta = CommandRun::META;
    assert_eq!(meta.app(), "example-cli");
    assert_eq!(meta.name(), "command_run");
    let names: Vec<&str> = meta.fields().iter().map(|f| f.name()).collect();
    assert_eq!(names, ["command", "duration_ms", "outcome", "exit_code", "project", "flags", "ci"]);
    let project = meta.fields()[4];
    assert_eq!(
        (project.name(), project.ty(), project.collect(), project.required()),
        ("project", "string", Collect::Hashed(HashScope::Install), true)
    );
    assert_eq!((meta.fields()[0].max_length(), meta.fields()[2].values()), (Some(32), &["success", "failure"][..]));
    assert_eq!(meta.fields()[5].ty(), "list of string");
    assert!(!meta.fields()[6].required());
}

// Nested objects, lists of objects and enums, hashed lists, a keyword field
// name, and a generic parameter (whose enum check runs inside the method).

#[derive(TelemetryEnum, Clone, Copy)]
enum Kind {
    Profile,
    Dashboard,
}

#[derive(TelemetryEnum)]
enum Part {
    DataDrift,
    TargetDrift,
}

#[derive(TelemetryEnum)]
enum Sampling {
    None,
    Nth,
    #[telemetry(rename = "random")]
    Shuffle,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../ui/schemas/nested.yaml", event = "report", object = "environment.python")]
struct Python<'a> {
    version: &'a str,
    venv: bool,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../ui/schemas/nested.yaml", event = "report", object = "environment")]
struct Environment<'a> {
    os: String,
    python: Python<'a>,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../ui/schemas/nested.yaml", event = "report", object = "samples")]
struct Sample {
    kind: Sampling,
    ratio: f64,
    seed: Option<i64>,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../ui/schemas/nested.yaml")]
struct Report<'a, K: TelemetryEnum> {
    kind: K,
    environment: Option<Environment<'a>>,
    parts: &'a [Part],
    samples: Option<Vec<Sample>>,
    tags: Vec<String>,
    r#type: &'a str,
}

#[test]
fn nested_objects_lists_and_generics() {
    let e = Report {
        kind: Kind::Dashboard,
        environment: Some(Environment { os: "linux".into(), python: Python { version: "3.11.7", venv: true } }),
        parts: &[Part::DataDrift, Part::TargetDrift],
        samples: Some(vec![
            Sample { kind: Sampling::Nth, ratio: 0.1, seed: None },
            Sample { kind: Sampling::Shuffle, ratio: 0.5, seed: Some(-7) },
        ]),
        tags: vec!["ci-tag".into(), "nightly".into()],
        r#type: "full",
    };
    let out = json(&e);
    assert_eq!(
        out,
        format!(
            concat!(
                r#"{{"kind":"dashboard","environment":{{"os":"linux","python":{{"version":"3.11.7","venv":true}}}},"#,
                r#""parts":["data_drift","target_drift"],"samples":[{{"kind":"nth","ratio":0.1}},{{"kind":"random","ratio":0.5,"seed":-7}}],"#,
                r#""tags":["{}","{}"],"type":"full"}}"#
            ),
            CI_TAG_HMAC, NIGHTLY_HMAC
        )
    );
    assert!(!out.contains("ci-tag") && !out.contains("nightly"));
}

#[test]
fn generated_structs_produce_the_same_json_as_hand_written_ones() {
    let e = example_cli::CommandRun {
        command: "build".into(),
        duration_ms: 1200,
        outcome: example_cli::CommandRunOutcome::Success,
        exit_code: 0,
        project: "acme-website".into(),
        flags: vec!["release".into(), "verbose".into()],
        ci: Some(true),
    };
    assert_eq!(json(&e), json(&release_build()));
    let changed = example_cli::TelemetryChanged { source: example_cli::TelemetryChangedSource::Env };
    assert_eq!(json(&changed), r#"{"source":"env"}"#);
}

#[test]
fn generated_nested_structs_and_keyword_fields() {
    use generated::nested::*;
    let e = Report {
        samples: Some(vec![ReportSamples { kind: ReportSamplesKind::None, ratio: 1.0, seed: Some(42) }]),
        ..profile_report()
    };
    assert_eq!(
        json(&e),
        concat!(
            r#"{"kind":"profile","environment":{"os":"macos","python":{"version":"3.8.2","venv":false}},"#,
            r#""parts":["target_drift"],"samples":[{"kind":"none","ratio":1.0,"seed":42}],"tags":[],"type":"summary"}"#
        )
    );
}

#[test]
fn app_meta_bakes_the_consent_section() {
    use telemetry_core::meta::{AppMeta, SwitchAction, Trigger};
    const APP: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    assert_eq!(APP.name(), "example-cli");
    assert_eq!(APP.docs_url(), Some("https://example.org/example-cli/telemetry"));
    assert_eq!((APP.enabled_by_default(), APP.do_not_track()), (true, true));
    let switches: Vec<_> = APP.env().iter().map(|s| (s.name(), s.trigger(), s.action())).collect();
    assert_eq!(switches, [("EXAMPLE_CLI_DISABLE_TELEMETRY", Trigger::Truthy, SwitchAction::Disable)]);
    assert_eq!(APP.context().iter().map(|f| f.name()).collect::<Vec<_>>(), ["os", "arch", "app_version", "ci"]);
    assert_eq!(APP.events(), &["command_run", "telemetry_changed"]);
    assert_eq!(APP.anonymous_id_env(), None);
    const PYAIRBYTE: AppMeta = telemetry_core::app_meta!("../../schemas/pyairbyte.yaml");
    assert_eq!(PYAIRBYTE.anonymous_id_env(), Some("AIRBYTE_ANALYTICS_ID"));
}

#[test]
fn enum_values_are_snake_case_variants_or_renames() {
    assert_eq!(Sampling::VALUES, ["none", "nth", "random"]);
    assert_eq!(
        [Sampling::None, Sampling::Nth, Sampling::Shuffle].map(|s| s.telemetry_str()),
        ["none", "nth", "random"]
    );
    assert_eq!([Kind::Profile, Kind::Dashboard].map(|k| k.telemetry_str()), ["profile", "dashboard"]);
    assert_eq!(Part::VALUES, ["data_drift", "target_drift"]);
}
