//! The builder's `Debug` hides the API key and the proxy (issue 15, item 8):
//! an app that logs `?builder` must not leak a Segment or PostHog key.
#![cfg(feature = "http")]

mod common;

use common::APP;
use telemetry_core::{EnvSource, Telemetry, WireFormat};

#[test]
fn builder_debug_redacts_the_api_key_and_proxy() {
    let b = Telemetry::builder(&APP)
        .app_version("1.0.0")
        .endpoint("https://eu.posthog.example/batch/", WireFormat::PostHog)
        .api_key("phc_SECRETprojectkey")
        .proxy("https://user:hunter2@proxy.example.org:3129")
        .env(EnvSource::from_pairs([("EXAMPLE_CLI_TOKEN", "tok_SECRET")]))
        .state_dir("/tmp/state")
        .opt_out_command("example-cli telemetry disable");
    assert_eq!(
        format!("{b:?}"),
        concat!(
            r#"Builder { app: "example-cli", app_version: "1.0.0", endpoint: Some("https://eu.posthog.example/batch/"), "#,
            r#"format: PostHog, api_key: Some(<redacted>), proxy: Some(<redacted>), request_timeout: 10s, "#,
            r#"shutdown_deadline: 100ms, state_dir: Some("/tmp/state"), notice: true, "#,
            r#"opt_out_command: Some("example-cli telemetry disable"), .. }"#
        )
    );
    let pretty = format!("{b:#?}");
    for secret in ["SECRET", "hunter2"] {
        assert!(!pretty.contains(secret), "{pretty}");
    }
    let without = Telemetry::builder(&APP).env(EnvSource::from_pairs::<&str, &str>([]));
    assert!(format!("{without:?}").contains("api_key: None, proxy: None,"));
}
