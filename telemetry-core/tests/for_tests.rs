//! `Builder::for_tests`: an app's own tests record exactly, whatever the
//! developer's environment says, and write nothing anywhere.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;
use telemetry_core::{Hasher, MemorySink, Mode, Reason, Stats, TEST_ANONYMOUS_ID, Telemetry};
use telemetry_testkit::*;

/// The envelope a test sees: the fixed id, and the project hashed with the
/// key the test chose, so the exact properties can be asserted.
#[test]
fn for_tests_records_exact_bytes_with_a_fixed_key() {
    let sink = MemorySink::new();
    let key = [9u8; 32];
    let t = Telemetry::builder(&APP).for_tests(sink.clone()).hashing_key(key).build().unwrap();
    assert_eq!((t.status().mode, t.status().reason.clone()), (Mode::On, Reason::ForTests));
    assert_eq!((t.status().state_dir.as_deref(), t.status().notes.len()), (None, 0));
    t.record(&run(7));
    assert!(t.flush(Duration::from_secs(5)));
    let raw = sink.take().remove(0);
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let head = format!("{{\"event\":\"command_run\",\"properties\":{},", run_properties(7, &hex));
    assert!(raw.starts_with(&head), "{raw}");
    let sent: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(sent["anonymous_id"], TEST_ANONYMOUS_ID);
    assert_eq!(sent["properties"]["project"], Hasher::new(&key).hash_hex("acme-website"));
    assert_eq!(t.shutdown(), Stats { recorded: 1, sent: 1, ..Stats::default() });
}

/// Without `hashing_key_for_tests` the key is 32 zero bytes; on a builder
/// that is not for tests the setter does nothing (the install key is used).
#[test]
fn default_test_key_is_zero_and_the_setter_is_inert_elsewhere() {
    let sink = MemorySink::new();
    let t = Telemetry::builder(&APP).for_tests(sink.clone()).build().unwrap();
    t.record(&run(1));
    assert!(t.flush(Duration::from_secs(5)));
    assert!(sink.take()[0].contains(&run_properties(1, &"00".repeat(32))));
    drop(t);
    let dir = temp_dir("inert-key");
    let t = Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(&dir)
        .notice(false)
        .with_test_knobs()
        .env(telemetry_core::EnvSource::from_pairs::<&str, &str>([]))
        .memory(sink.clone())
        .hashing_key([0; 32])
        .build()
        .unwrap();
    t.record(&run(1));
    assert!(t.flush(Duration::from_secs(5)));
    assert!(sink.take()[0].contains(&run_properties(1, state_of(&dir)["key"].as_str().unwrap())));
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Product settings made after the test knobs (`TestBuilder::settings`)
/// apply, and leave the test knobs as they were: the sink, the fixed key
/// and id, no environment read. Product settings made before `for_tests`
/// apply too.
#[test]
fn settings_after_the_test_knobs_keep_them() {
    let sink = MemorySink::new();
    let t = Telemetry::builder(&APP)
        .app_version("9.9.9")
        .for_tests(sink.clone())
        .hashing_key([9; 32])
        .settings(|b| b.opt_out_command("example-cli off"))
        .build()
        .unwrap();
    assert_eq!((t.status().mode, t.status().reason.clone()), (Mode::On, Reason::ForTests));
    assert_eq!(t.status().opt_out, "run `example-cli off`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1");
    t.record(&run(1));
    assert!(t.flush(Duration::from_secs(5)));
    let sent: serde_json::Value = serde_json::from_str(&sink.take()[0]).unwrap();
    assert_eq!((sent["anonymous_id"].as_str(), sent["app_version"].as_str()), (Some(TEST_ANONYMOUS_ID), Some("9.9.9")));
    assert_eq!(sent["properties"]["project"].as_str(), Some(Hasher::new(&[9; 32]).hash_hex("acme-website").as_str()));
}

/// Run by `for_tests_ignores_the_environment_and_writes_nothing` in a child
/// process whose environment opts out and points HOME, XDG_CONFIG_HOME and
/// TMPDIR at empty directories.
#[test]
#[ignore = "run in a child process by for_tests_ignores_the_environment_and_writes_nothing"]
fn child_records_under_a_hostile_environment() {
    assert_eq!(std::env::var("DO_NOT_TRACK").as_deref(), Ok("1"), "run only as a child");
    let sink = MemorySink::new();
    let t = Telemetry::builder(&APP).for_tests(sink.clone()).build().unwrap();
    t.record(&run(1));
    assert_eq!(t.shutdown(), Stats { recorded: 1, sent: 1, ..Stats::default() });
    assert_eq!(sink.delivered(), 1);
}

/// Under `DO_NOT_TRACK=1` (and the app's own opt-out variables), a
/// `for_tests` handle still records, prints nothing, and leaves HOME,
/// XDG_CONFIG_HOME and TMPDIR empty. Before: the README's MemorySink test
/// recorded nothing here, or wrote the developer's real state file.
#[test]
fn for_tests_ignores_the_environment_and_writes_nothing() {
    let home = temp_dir("for-tests-home");
    let tmp = temp_dir("for-tests-tmp");
    std::fs::create_dir_all(home.join(".config")).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_records_under_a_hostile_environment", "--nocapture"])
        .env("DO_NOT_TRACK", "1")
        .env("EXAMPLE_CLI_TELEMETRY_OFFLINE", "1")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("test child_records_under_a_hostile_environment ... ok"), "{stdout}");
    assert!(!stdout.contains("collects anonymous usage data"), "no notice: {stdout}");
    assert_eq!(std::fs::read_dir(home.join(".config")).unwrap().count(), 0, "nothing under XDG_CONFIG_HOME");
    assert_eq!(std::fs::read_dir(&home).unwrap().count(), 1, "nothing under HOME but the empty .config");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "nothing under TMPDIR");
    std::fs::remove_dir_all(&home).unwrap();
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// The README's test recipe is this crate's `for_tests` doctest, line for
/// line, so the README cannot drift from code that compiles and passes.
#[test]
fn readme_recipe_is_the_for_tests_doctest() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/builder/testing.rs")).unwrap();
    let start = readme.find("<!-- for_tests recipe -->").expect("README marks the recipe");
    let block = &readme[start..];
    let body = &block[block.find("```rust\n").unwrap() + 8..];
    let body = &body[..body.find("```").unwrap()];
    let doc: String = src
        .lines()
        .skip_while(|l| !l.contains("A handle for an app's own tests"))
        .skip_while(|l| l.trim() != "/// ```")
        .skip(1)
        .take_while(|l| l.trim() != "/// ```")
        .map(|l| format!("{}\n", l.trim_start().strip_prefix("///").unwrap().strip_prefix(' ').unwrap_or("")))
        .collect();
    assert_eq!(body, doc);
}
