//! The example CLI as a user runs it: a child process per run, with its
//! environment set on the child only, against a collector on 127.0.0.1.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use telemetry_testkit::{Collector, Reply, temp_dir};

fn cli(state: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_example-cli"));
    c.args(args).env("EXAMPLE_CLI_TELEMETRY_DIR", state);
    for v in [
        "DO_NOT_TRACK",
        "EXAMPLE_CLI_DISABLE_TELEMETRY",
        "EXAMPLE_CLI_TELEMETRY_OFFLINE",
        "EXAMPLE_CLI_TELEMETRY_DEBUG",
        "CI",
    ] {
        c.env_remove(v);
    }
    c.envs(env.iter().copied());
    c.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

const NOTICE: &str = "Example CLI collects anonymous usage data (command_run, telemetry_changed) with a random install id, never who you are.
  What is collected and what never is: https://example.org/example-cli/telemetry
  To opt out: run `example-cli telemetry disable`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1.
This notice is shown once.
";

#[test]
fn notice_once_on_stderr_events_in_file_status_disable() {
    let state = temp_dir("cli-file");
    let out = cli(&state, &[], &["build", "--release"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "built the project (release)\n", "stdout is the app's alone");
    assert_eq!(text(&out.stderr), NOTICE);
    let out = cli(&state, &[], &["test", "--fail"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "", "the notice is shown once");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(state.join("events.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["properties"]["command"], "build");
    assert_eq!(lines[0]["properties"]["flags"], serde_json::json!(["release"]));
    assert_eq!(lines[1]["properties"]["outcome"], "failure");
    assert_eq!(lines[1]["properties"]["exit_code"], 1);
    assert_ne!(lines[0]["session_id"], lines[1]["session_id"]);
    assert_eq!(lines[0]["anonymous_id"], lines[1]["anonymous_id"]);

    let out = cli(&state, &[], &["telemetry", "status"]);
    let id = lines[0]["anonymous_id"].as_str().unwrap();
    assert_eq!(
        text(&out.stdout),
        format!(
            "Telemetry is on: it is on by default.\n  Events go to:  {events} (JSON lines; nothing is sent)\n  State:         {dir}\n  Anonymous id:  {id}\n  What is sent:  https://example.org/example-cli/telemetry\n  Opt out:       run `example-cli telemetry disable`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1\n",
            events = state.join("events.jsonl").display(),
            dir = state.display()
        )
    );

    let out = cli(&state, &[], &["telemetry", "disable"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("Telemetry is off: you disabled it (`example-cli telemetry disable`).\n"));
    assert!(!state.join("events.jsonl").exists(), "disabling deletes the local log");
    cli(&state, &[], &["build"]);
    assert!(!state.join("events.jsonl").exists(), "nothing recorded when disabled");

    let out = cli(&state, &[], &["telemetry", "enable"]);
    assert!(text(&out.stdout).starts_with("Telemetry is on: you enabled it.\n"));
    let last = std::fs::read_to_string(state.join("events.jsonl")).unwrap().lines().last().unwrap().to_string();
    let last: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(last["event"], "telemetry_changed");
    assert_eq!(last["properties"], serde_json::json!({"source": "command"}));
    assert_ne!(last["anonymous_id"], lines[0]["anonymous_id"], "disabling deleted the old id");
    std::fs::remove_dir_all(&state).unwrap();
}

#[test]
fn do_not_track_no_socket_no_file() {
    let c = Collector::ok();
    let state = temp_dir("cli-dnt");
    let out = cli(&state, &[("DO_NOT_TRACK", "1")], &["--endpoint", &c.url(), "build"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
    assert_eq!(c.connections(), 0);
    assert!(!state.exists());
}

#[test]
fn every_format_reaches_the_collector() {
    for (format, path) in [
        ("native", "/"),
        ("segment", "/v1/batch"),
        ("posthog", "/batch/"),
        ("otlp", "/v1/logs"),
        ("otlp-protobuf", "/v1/logs"),
    ] {
        let c = Collector::ok();
        let state = temp_dir("cli-format");
        let out = cli(&state, &[], &["--endpoint", &c.url(), "--format", format, "--api-key", "k", "build"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let reqs = c.requests();
        assert_eq!(reqs.len(), 1, "{format}");
        assert_eq!(reqs[0].path, path);
        assert!(String::from_utf8_lossy(&reqs[0].body).contains("command_run"), "{format}");
        std::fs::remove_dir_all(&state).unwrap();
    }
}

#[test]
fn help_lists_every_format_and_the_key_posthog_needs() {
    let state = temp_dir("cli-help");
    let out = cli(&state, &[], &["--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Words, not layout: clap wraps help to the terminal when another crate
    // of the build turns on its `wrap_help` feature (`cargo test --workspace`).
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let help = words(&text(&out.stdout));
    for line in [
        "  --format <FORMAT>\n          Wire format for --endpoint",
        "          - native:        The toolkit's own batch, as docs/example-cli.events.schema.json describes it\n",
        "          - segment:       Segment's (and RudderStack's) /v1/batch; needs --api-key (the write key)\n",
        "          - posthog:       PostHog's /batch/; needs --api-key (the project's API key)\n",
        "          - otlp-protobuf: OpenTelemetry logs, OTLP/HTTP protobuf (OpenTelemetry's default encoding), /v1/logs\n",
        "  --api-key <API_KEY>\n          Segment write key or PostHog project key (required by --format segment and posthog)",
    ] {
        assert!(help.contains(&words(line)), "{line:?} not in:\n{help}");
    }
    let out = cli(&state, &[], &["-h"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(words(&text(&out.stdout)).contains("[possible values: native, segment, posthog, otlp, otlp-protobuf]"));

    for (url, format) in [("https://eu.i.posthog.com", "posthog"), ("https://api.segment.io", "segment")] {
        let out = cli(&state, &[], &["--endpoint", url, "--format", format, "build"]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(
            text(&out.stderr)
                .starts_with("error: the following required arguments were not provided:\n  --api-key <API_KEY>\n"),
            "{format}"
        );
    }
    assert!(!state.exists(), "nothing ran");
}

#[test]
fn hanging_collector_exit_then_next_run_delivers() {
    let hang = Collector::start(Vec::new(), Reply::Hang);
    let state = temp_dir("cli-hang");
    let start = Instant::now();
    let out = cli(&state, &[], &["--endpoint", &hang.url(), "build"]);
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_dir(state.join("spool")).unwrap().count(), 1);

    let up = Collector::ok();
    cli(&state, &[], &["--endpoint", &up.url(), "test"]);
    let events: Vec<serde_json::Value> =
        up.requests().iter().flat_map(|r| r.json()["batch"].as_array().unwrap().clone()).collect();
    let commands: Vec<&str> = events.iter().map(|e| e["properties"]["command"].as_str().unwrap()).collect();
    assert_eq!(commands, ["build", "test"], "the spooled event first, each once");
    std::fs::remove_dir_all(&state).unwrap();
}

#[test]
fn insecure_endpoint_is_refused() {
    let state = temp_dir("cli-insecure");
    let out = cli(&state, &[], &["--endpoint", "http://collector.example.org", "build"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: telemetry endpoint \"http://collector.example.org\" uses plain http: use https://, or http:// only to 127.0.0.1, localhost or [::1]\n"
    );
}

/// What the runtime writes matches the payload JSON Schema the docs
/// generator publishes (`docs/example-cli.events.schema.json`): the
/// runtime and the "what we collect" page cannot drift apart unnoticed.
#[test]
fn events_validate_against_the_published_payload_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/example-cli.events.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let state = temp_dir("cli-schema");
    // `enable` records `telemetry_changed` only when it changes something.
    cli(&state, &[], &["telemetry", "disable"]);
    cli(&state, &[], &["telemetry", "enable"]);
    cli(&state, &[], &["build", "--release"]);
    cli(&state, &[("CI", "true")], &["test", "--fail"]);
    let text = std::fs::read_to_string(state.join("events.jsonl")).unwrap();
    let events: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 3);
    for e in &events {
        let errors: Vec<String> =
            validator.iter_errors(e).map(|err| format!("{err} at {}", err.instance_path)).collect();
        assert!(errors.is_empty(), "{e}\n{errors:#?}");
    }
    assert_eq!(events[0]["event"], "telemetry_changed");
    assert_eq!(events[2]["context"]["ci"], true);
    std::fs::remove_dir_all(&state).unwrap();
}
