//! Structs generated from schemas by `generate_events!`, shared by the test
//! files that check them (`derive_pass.rs`: their JSON; `redacted_debug.rs`:
//! their `Debug`), so that both test the same expansion of the same schemas,
//! and the one report both build.

/// From the example app's real schema.
pub mod example_cli {
    telemetry_core::generate_events!("../../../schemas/example-cli.yaml");
}

/// From the nested-objects fixture: objects, lists of objects, hashed lists.
pub mod nested {
    telemetry_core::generate_events!("../../ui/schemas/nested.yaml");

    /// A `profile` report from macOS with Python 3.8.2 in no venv, one part,
    /// no samples and no tags: each test sets what it checks on top.
    pub fn profile_report() -> Report {
        Report {
            kind: ReportKind::Profile,
            environment: Some(ReportEnvironment {
                os: "macos".into(),
                python: ReportEnvironmentPython { version: "3.8.2".into(), venv: false },
            }),
            parts: vec![ReportParts::TargetDrift],
            samples: None,
            tags: vec![],
            r#type: "summary".into(),
        }
    }
}
