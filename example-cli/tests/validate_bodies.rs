//! Bodies the example CLI really sends, captured by the loopback collector
//! in each wire format, checked against the page with the library under
//! `cargo telemetry validate --format`: each is accepted as it is, and a
//! tampered copy is rejected with the event, the JSON pointer and the rule.

use std::path::Path;
use std::process::Command;

use cargo_telemetry::wire::{Format, Pages, Report, envelopes};
use telemetry_testkit::{Collector, temp_dir};

/// One run of `example-cli build --release` sending to `collector` in `format`.
fn run(state: &Path, collector: &Collector, format: &str) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_example-cli"));
    c.args(["--endpoint", &collector.url(), "--format", format, "--api-key", "key", "build", "--release"]);
    c.env("EXAMPLE_CLI_TELEMETRY_DIR", state);
    for v in ["DO_NOT_TRACK", "EXAMPLE_CLI_DISABLE_TELEMETRY", "EXAMPLE_CLI_TELEMETRY_OFFLINE", "CI"] {
        c.env_remove(v);
    }
    assert!(c.output().unwrap().status.success());
}

/// `body` with every `from` replaced by `to`, of the same length, so that a
/// protobuf body's lengths stay right.
fn replace(body: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn every_format_is_accepted_and_a_tampered_body_is_named_at_its_pointer() {
    let pages = Pages::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas").as_ref()).unwrap();
    let state = temp_dir("cli-validate-bodies");
    // The version the page is at, which the bodies name: it moves with the schema.
    let schema = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/example-cli.yaml")).unwrap();
    let version = schema.lines().find_map(|l| l.strip_prefix("schema_version: \"")).unwrap().trim_end_matches('"');
    for (name, format) in [
        ("native", Format::Native),
        ("posthog", Format::PostHog),
        ("segment", Format::Segment),
        ("otlp", Format::OtlpJson),
        ("otlp-protobuf", Format::OtlpProtobuf),
    ] {
        let collector = Collector::ok();
        run(&state, &collector, name);
        let requests = collector.requests();
        assert_eq!(requests.len(), 1, "{name}");
        let body = &requests[0].body;
        let ok = Report { events: 1, schemas: vec![format!("example-cli schema {version}")], problems: vec![] };
        assert_eq!(pages.check(format, body), ok, "{name}: {}", String::from_utf8_lossy(body));

        // The keyed hash of the project replaced by a plain path, an enum
        // value not on the page, and a property renamed to one it does not declare.
        let hash = envelopes(format, body).unwrap()[0]["properties"]["project"].as_str().unwrap().to_string();
        let path = format!("{:<64}", "/home/alice/clients/secret-project");
        let tampered = replace(&replace(&replace(body, &hash, &path), "success", "succeed"), "exit_code", "user_home");
        let report = pages.check(format, &tampered);
        assert_eq!(
            report.problems,
            [
                "event 1 of 1 (`command_run`) at /properties: \"exit_code\" is a required property".to_string(),
                "event 1 of 1 (`command_run`) at /properties: Additional properties are not allowed ('user_home' was unexpected)".into(),
                "event 1 of 1 (`command_run`) at /properties/outcome: \"succeed\" is not one of \"success\" or \"failure\"".into(),
                format!("event 1 of 1 (`command_run`) at /properties/project: \"{path}\" does not match \"^[0-9a-f]{{64}}$\""),
            ],
            "{name}"
        );
    }
    std::fs::remove_dir_all(&state).unwrap();
}
