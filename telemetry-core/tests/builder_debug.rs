//! The builder's `Debug` hides the API key and the proxy (issue 15, item 8)
//! and the product's hashing key (issue 21, item 5): an app that logs
//! `?builder` must not leak a Segment or PostHog key, nor the key that
//! would let a reader reverse `hash: product` values.
#![cfg(feature = "http")]

mod common;

use common::APP;
use telemetry_core::{EnvSource, Telemetry, WireFormat};

#[test]
fn builder_debug_redacts_the_api_key_proxy_and_product_key() {
    let b = Telemetry::builder(&APP)
        .app_version("1.0.0")
        .endpoint("https://eu.posthog.example/batch/", WireFormat::PostHog)
        .api_key("phc_SECRETprojectkey")
        .product_key("SECRET product hashing key")
        .proxy("https://user:hunter2@proxy.example.org:3129")
        .state_dir("/tmp/state")
        .opt_out_command("example-cli telemetry disable")
        .with_test_knobs()
        .env(EnvSource::from_pairs([("EXAMPLE_CLI_TOKEN", "tok_SECRET")]));
    assert_eq!(
        format!("{b:?}"),
        concat!(
            r#"TestBuilder { builder: Builder { app: "example-cli", app_version: "1.0.0", "#,
            r#"endpoint: Some("https://eu.posthog.example/batch/"), "#,
            r#"format: PostHog, api_key: Some(<redacted>), product_key: Some(<redacted>), proxy: Some(<redacted>), compression: Auto, "#,
            r#"shutdown_deadline: 100ms, state_dir: Some("/tmp/state"), notice: true, "#,
            r#"opt_out_command: Some("example-cli telemetry disable"), "#,
            // The defaults, as they were before the settings were grouped.
            r#"batching: Batching { max_events: 500, max_bytes: PerFormat, max_latency: 2s }, "#,
            r#"limits: Limits { queue_events: 1000, queue_bytes: 4194304, spool_bytes: 67108864, spool_files: 1000, file_bytes: 4194304 }, "#,
            r#"retry: Retry { request_timeout: 10s, backoff_base: 500ms, backoff_max: 60s }, .. } }"#
        )
    );
    let pretty = format!("{b:#?}");
    for secret in ["SECRET", "hunter2"] {
        assert!(!pretty.contains(secret), "{pretty}");
    }
    let without = Telemetry::builder(&APP).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]));
    assert!(format!("{without:?}").contains("api_key: None, product_key: None, proxy: None,"));
}
