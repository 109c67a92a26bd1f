//! Consent fails closed on what the environment says: an opt-out switch
//! set to bytes that are not UTF-8 still opts out, a state-dir override is
//! used exactly as given or not at all, and an empty `CI=` hides nothing.
//! Variables are injected with `EnvSource`, never set on the test process.

mod common;

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use common::*;
use telemetry_core::{EnvSource, MemorySink, Mode, Stats, Telemetry};
use telemetry_testkit::*;

fn build(env: EnvSource) -> Telemetry {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .notice(false)
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(env)
        .build()
        .unwrap()
}

#[cfg(unix)]
fn bytes(b: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(b.to_vec())
}

/// `DO_NOT_TRACK=$'\xff'`, `EXAMPLE_CLI_DISABLE_TELEMETRY=$'1\xff'` and
/// `EXAMPLE_CLI_TELEMETRY_OFFLINE=$'\xc3'` each turn telemetry off, and the
/// status names the value (lossily). Before: recorded as if unset.
#[cfg(unix)]
#[test]
fn non_utf8_opt_out_values_turn_telemetry_off() {
    for (var, value, reason) in [
        ("DO_NOT_TRACK", &b"\xff"[..], "DO_NOT_TRACK is set to \"\u{fffd}\""),
        (
            "EXAMPLE_CLI_DISABLE_TELEMETRY",
            b"1\xff",
            "EXAMPLE_CLI_DISABLE_TELEMETRY is set to \"1\u{fffd}\", which disables telemetry",
        ),
        ("EXAMPLE_CLI_TELEMETRY_OFFLINE", b"\xc3", "EXAMPLE_CLI_TELEMETRY_OFFLINE is set to \"\u{fffd}\""),
    ] {
        let dir = temp_dir("non-utf8");
        let env = EnvSource::from_os_pairs([
            (var.to_string(), bytes(value)),
            ("EXAMPLE_CLI_TELEMETRY_DIR".to_string(), dir.clone().into_os_string()),
        ]);
        let t = build(env);
        assert_eq!((t.status().mode, t.status().reason.to_string()), (Mode::Off, reason.to_string()));
        t.record(&run(1));
        assert_eq!(t.shutdown(), Stats::default(), "{var}");
        assert!(!dir.exists(), "{var}: nothing written");
    }
}

/// A state-dir override that is not UTF-8 is used as the path it names.
/// Before: silently replaced by `~/.config/example-cli`.
#[cfg(unix)]
#[test]
fn non_utf8_state_dir_override_is_used_as_given() {
    use std::os::unix::ffi::OsStrExt;
    let base = temp_dir("non-utf8-dir");
    let mut raw = base.as_os_str().as_bytes().to_vec();
    raw.extend_from_slice(b"/st\xffte");
    let dir = PathBuf::from(bytes(&raw));
    let t = build(EnvSource::from_os_pairs([("EXAMPLE_CLI_TELEMETRY_DIR", dir.clone().into_os_string())]));
    assert_eq!(t.status().state_dir.as_deref(), Some(dir.as_path()));
    t.record(&run(1));
    assert_eq!(t.shutdown(), Stats { recorded: 1, sent: 1, ..Stats::default() });
    assert_eq!(std::fs::read_to_string(dir.join("events.jsonl")).unwrap().lines().count(), 1);
    assert!(dir.join("state.json").is_file());
    std::fs::remove_dir_all(&base).unwrap();
}

/// A relative (or blank) override cannot say where state is: off, with the
/// reason, rather than state kept somewhere the user did not choose.
#[test]
fn unusable_state_dir_override_means_off() {
    for value in ["relative/state", "  "] {
        let t = build(EnvSource::from_pairs([("EXAMPLE_CLI_TELEMETRY_DIR", value)]));
        assert_eq!(t.status().mode, Mode::Off);
        assert_eq!(
            t.status().reason.to_string(),
            format!(
                "EXAMPLE_CLI_TELEMETRY_DIR is set to {value:?}, which is not an absolute path; \
                 set it to an absolute path, or unset it"
            )
        );
        assert_eq!(t.status().state_dir, None);
        t.record(&run(1));
        assert_eq!(t.shutdown(), Stats::default());
        assert!(!std::path::Path::new("relative").exists(), "nothing written below the working dir");
    }
}

/// `CI=` (empty) says nothing; `GITHUB_ACTIONS=true` still marks a CI run.
/// Before: the empty `CI` hid it (`"ci":false`).
#[test]
fn empty_ci_does_not_hide_github_actions() {
    let dir = temp_dir("ci");
    let sink = MemorySink::new();
    let t = Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(&dir)
        .notice(false)
        .with_test_knobs()
        .env(EnvSource::from_pairs([("CI", ""), ("GITHUB_ACTIONS", "true")]))
        .memory(sink.clone())
        .build()
        .unwrap();
    t.record(&run(1));
    assert!(t.flush(Duration::from_secs(5)));
    let sent: serde_json::Value = serde_json::from_str(&sink.take()[0]).unwrap();
    assert_eq!(sent["context"]["ci"], true);
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
}
