//! Files in the state dir are not followed and not trusted blindly: a
//! symlinked events file or spool is refused (nothing outside the state dir
//! is written or deleted), and a state file another user could have written
//! is not used for the id or the key. Unix only: links and modes.
#![cfg(unix)]

mod common;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::time::Duration;

use common::*;
use telemetry_core::{EnvSource, Mode, Stats, Telemetry, TestBuilder};
use telemetry_testkit::*;

fn builder(dir: &Path) -> TestBuilder {
    quiet_builder(dir)
}

/// `events.jsonl` is a link to a file elsewhere: the target is left as it
/// was and the events are dropped, counted. Before: appended to the target.
#[test]
fn symlinked_events_file_is_not_appended_to() {
    let dir = temp_dir("link-events");
    let elsewhere = temp_dir("link-target");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("notes.txt"), "mine\n").unwrap();
    drop(builder(&dir).build().unwrap());
    symlink(elsewhere.join("notes.txt"), dir.join("events.jsonl")).unwrap();
    let t = builder(&dir).build().unwrap();
    t.record(&run(1));
    assert_eq!(t.shutdown(), Stats { recorded: 1, dropped: 1, ..Stats::default() });
    assert_eq!(std::fs::read_to_string(elsewhere.join("notes.txt")).unwrap(), "mine\n");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&elsewhere).unwrap();
}

/// `spool` is a link to another directory holding `*.jsonl` files: a run
/// that loads the spool, one that spools, and `disable` leave them all.
/// Before: the runtime deleted `*.jsonl` in the other directory.
#[cfg(feature = "http")]
#[test]
fn symlinked_spool_never_deletes_outside_the_state_dir() {
    use telemetry_core::WireFormat;
    let dir = temp_dir("link-spool");
    let elsewhere = temp_dir("link-spool-target");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let theirs = "000000000000001-aaaa-g1.jsonl";
    std::fs::write(elsewhere.join(theirs), "{}\n").unwrap();
    drop(builder(&dir).build().unwrap());
    symlink(&elsewhere, dir.join("spool")).unwrap();
    let up = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(up.url(), WireFormat::Native)).build().unwrap();
    t.record(&run(1));
    assert_eq!(t.shutdown(), Stats { recorded: 1, sent: 1, ..Stats::default() });
    let down = Collector::start(Vec::new(), Reply::Status(503, vec![]));
    let t = giving_up_at_exit(builder(&dir), &down.url()).build().unwrap();
    t.record(&run(2));
    let s = t.shutdown();
    assert_eq!((s.spooled, s.dropped), (0, 1), "{s:?}");
    builder(&dir).disable().unwrap();
    let left: Vec<_> = std::fs::read_dir(&elsewhere).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, [theirs]);
    assert!(!dir.join("spool").exists(), "the link itself is removed by disable");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&elsewhere).unwrap();
}

/// A planted `state.json` that others can write (0666), with a known key:
/// telemetry stays on, but with a fresh id and key for this run and a note;
/// the planted key does not hash anything. Before: the key was used, and
/// whoever planted it could reverse every hash.
#[test]
fn group_or_world_writable_state_is_not_trusted() {
    let dir = temp_dir("planted");
    std::fs::create_dir_all(&dir).unwrap();
    let planted_id = "11111111-2222-4333-8444-555555555555";
    let key = "00".repeat(32);
    let path = dir.join("state.json");
    std::fs::write(&path, format!(r#"{{"version":1,"anonymous_id":"{planted_id}","key":"{key}"}}"#)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    let sink = telemetry_core::MemorySink::new();
    let t = builder(&dir).memory(sink.clone()).build().unwrap();
    assert_eq!(t.status().mode, Mode::On);
    assert_ne!(t.status().anonymous_id.as_deref(), Some(planted_id));
    assert_eq!(
        t.status().notes,
        [format!(
            "{} can be changed by other users (mode 666; expected 0600); using a process-only id and key \
             (`telemetry enable` or `telemetry disable` rewrites it)",
            path.display()
        )]
    );
    t.record(&run(1));
    assert!(t.flush(Duration::from_secs(5)));
    let sent: serde_json::Value = serde_json::from_str(&sink.take()[0]).unwrap();
    let planted: serde_json::Value = serde_json::from_str(&run_properties(1, &key)).unwrap();
    assert_ne!(sent["properties"]["project"], planted["project"]);
    drop(t);
    // `status` says the same; `disable` replaces the file with one of ours.
    assert!(builder(&dir).preview_status().notes[0].contains("its id and key are not used"));
    builder(&dir).disable().unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A planted, untrusted state saying "enabled" does not switch on an
/// opt-in app; one saying "disabled" is still honoured (failing closed).
#[test]
fn untrusted_state_can_only_opt_out() {
    static OPT_IN: telemetry_core::meta::AppMeta =
        telemetry_core::__private::app_meta(telemetry_core::__private::AppParts { enabled_by_default: false, ..PARTS });
    for (consent, mode) in [("enabled", Mode::Off), ("disabled", Mode::Off)] {
        let dir = temp_dir("planted-choice");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        std::fs::write(&path, format!(r#"{{"consent":"{consent}"}}"#)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o622)).unwrap();
        let b =
            Telemetry::builder(&OPT_IN).state_dir(&dir).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]));
        assert_eq!(b.preview_status().mode, mode, "{consent}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let dir = temp_dir("planted-off");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    std::fs::write(&path, r#"{"consent":"disabled"}"#).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    assert_eq!(builder(&dir).preview_status().mode, Mode::Off, "an opt-out in an untrusted file still counts");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A state file owned by another user is not trusted either. Needs root to
/// give a file away; as another user this says so and checks nothing more
/// (the mode check above runs everywhere).
#[test]
fn state_owned_by_another_user_is_not_trusted() {
    let dir = temp_dir("foreign-owner");
    let id = builder(&dir).build().unwrap().status().anonymous_id.clone().unwrap();
    let path = dir.join("state.json");
    if std::os::unix::fs::chown(&path, Some(4242), None).is_err() {
        eprintln!("not root: cannot give a file to another user; owner check not exercised");
        std::fs::remove_dir_all(&dir).unwrap();
        return;
    }
    let t = builder(&dir).build().unwrap();
    assert_ne!(t.status().anonymous_id.as_ref(), Some(&id));
    assert!(
        t.status().notes[0].starts_with(&format!("{} is owned by another user (uid 4242, not ", path.display())),
        "{:?}",
        t.status().notes
    );
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
}
