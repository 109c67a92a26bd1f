//! `Builder::build_or_off`: a telemetry setup mistake never stops the app.
//! The handle is off, records nothing, touches no file, and says why: in
//! its status, and once on the output in a debug build (tests are one).

mod common;

use common::*;
use telemetry_core::{EnvSource, Mode, Telemetry};
use telemetry_testkit::*;

/// Without the `http` feature the endpoint itself is the mistake (`HttpUnavailable`).
#[cfg(feature = "http")]
#[test]
fn a_missing_api_key_gives_an_off_handle_that_says_why_once() {
    use telemetry_core::{BuildError, Reason, WireFormat};
    let dir = temp_dir("or-off-key");
    let out = Buf::default();
    let builder = Telemetry::builder(&APP)
        .state_dir(&dir)
        .endpoint("https://eu.i.posthog.com", WireFormat::PostHog)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .output(out.clone());
    assert_eq!(builder.build().unwrap_err(), BuildError::MissingApiKey { format: WireFormat::PostHog });

    let telemetry = builder.build_or_off();
    assert_eq!(telemetry.status().mode, Mode::Off);
    assert_eq!(
        telemetry.status().reason,
        Reason::SetupFailed(BuildError::MissingApiKey { format: WireFormat::PostHog })
    );
    assert_eq!(
        out.text(),
        "example-cli: telemetry is off: the posthog wire format needs an API key: call .api_key(..)\n",
        "said once, by build_or_off (build() printed nothing)"
    );
    assert_eq!(
        telemetry.status().to_string(),
        format!(
            "Telemetry is off: the app's telemetry setup failed (the posthog wire format needs an API key: call .api_key(..)).\n  \
             Events go to:  nowhere (telemetry is off)\n  State:         {}\n  What is sent:  https://example.org/example-cli/telemetry\n",
            dir.display()
        )
    );
    telemetry.record(&run(1));
    assert_eq!(telemetry.shutdown().recorded, 0);
    assert!(!dir.exists(), "an off handle writes no file");
}

#[test]
fn a_good_setup_builds_as_build_does() {
    let dir = temp_dir("or-off-ok");
    let out = Buf::default();
    let telemetry = Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(&dir)
        .notice(false)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .output(out.clone())
        .build_or_off();
    assert_eq!(telemetry.status().mode, Mode::On);
    assert_eq!(out.text(), "");
    std::fs::remove_dir_all(&dir).ok();
}
