//! `Debug` never prints a secret (issue 15, item 8): structs generated from a
//! schema print `hashed` fields as `<hashed>`, the builder hides the API key
//! and the hasher its key. An app that logs `?event` or `?builder` leaks
//! nothing the schema promises to send only hashed, or not at all.

mod generated;

use generated::example_cli;

#[test]
fn generated_events_print_hashed_fields_as_hashed() {
    let e = example_cli::CommandRun {
        command: "build".into(),
        duration_ms: 1200,
        outcome: example_cli::CommandRunOutcome::Success,
        exit_code: 0,
        project: "acme-website".into(),
        flags: vec!["release".into()],
        ci: None,
    };
    assert_eq!(
        format!("{e:?}"),
        r#"CommandRun { command: "build", duration_ms: 1200, outcome: Success, exit_code: 0, project: <hashed>, flags: ["release"], ci: None }"#
    );
    assert!(!format!("{e:#?}").contains("acme-website"));
}

#[test]
fn generated_nested_objects_and_hashed_lists_are_redacted() {
    use generated::nested::*;
    let e = Report { tags: vec!["customer-acme".into(), "alice".into()], ..profile_report() };
    assert_eq!(
        format!("{e:?}"),
        concat!(
            r#"Report { kind: Profile, environment: Some(ReportEnvironment { os: "macos", "#,
            r#"python: ReportEnvironmentPython { version: "3.8.2", venv: false } }), parts: [TargetDrift], "#,
            r#"samples: None, tags: <hashed>, type: "summary" }"#
        )
    );
}

#[test]
fn the_hasher_never_prints_its_key() {
    let h = telemetry_core::Hasher::new(b"0123456789abcdef0123456789abcdef");
    assert_eq!(format!("{h:?}"), "Hasher { .. }");
    assert_eq!(format!("{h:#?}"), "Hasher { .. }");
}
