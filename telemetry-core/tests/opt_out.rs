//! Opting out erases: `disable` deletes the events file and its rotations,
//! the spool, the id and the key, and a process that is running at that
//! moment cannot write any of them again; spooled events are never resent
//! under another id.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use telemetry_core::{Batching, Limits, Stats, TestBuilder};
use telemetry_testkit::*;

fn builder(dir: &Path) -> TestBuilder {
    quiet_builder(dir)
}

/// The events file with two rotations, then `disable`: only the state file
/// (consent disabled, no id, no key) and the lock remain. Before: every
/// `events.jsonl*` kept the deleted id and its hashes.
#[test]
fn disable_deletes_the_events_file_and_its_rotations() {
    let dir = temp_dir("erase");
    let t = builder(&dir)
        .settings(|b| {
            b.limits(Limits::default().with_file_bytes(600)).batching(
                Batching::default().with_max_events(1).with_max_bytes(1 << 20).with_max_latency(Duration::ZERO),
            )
        })
        .build()
        .unwrap();
    for i in 0..6 {
        t.record(&run(i));
        assert!(t.flush(Duration::from_secs(5)));
    }
    drop(t);
    std::fs::write(dir.join("events.jsonl.2"), "an older rotation\n").unwrap();
    assert_eq!(files_in(&dir), [".lock", "events.jsonl", "events.jsonl.1", "events.jsonl.2", "state.json"]);
    let status = builder(&dir).disable().unwrap();
    assert!(status.changed);
    assert_eq!(files_in(&dir), [".lock", "state.json"]);
    assert_eq!(state_of(&dir), serde_json::json!({"version": 1, "consent": "disabled", "notice_shown": false}));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A handle built before `disable` keeps running: its later events are
/// not written (dropped and counted), and the events file stays deleted.
#[test]
fn a_process_running_during_disable_cannot_write_afterwards() {
    let dir = temp_dir("running");
    let t = builder(&dir)
        .settings(|b| {
            b.batching(Batching::default().with_max_events(1).with_max_bytes(1 << 20).with_max_latency(Duration::ZERO))
        })
        .build()
        .unwrap();
    t.record(&run(1));
    assert!(t.flush(Duration::from_secs(5)));
    assert!(dir.join("events.jsonl").is_file());
    builder(&dir).disable().unwrap();
    t.record(&run(2));
    t.record(&run(3));
    assert_eq!(t.shutdown(), Stats { recorded: 3, sent: 1, dropped: 2, ..Stats::default() });
    assert_eq!(files_in(&dir), [".lock", "state.json"]);
    // Enabling again makes a new id; the old handle's id can never write again.
    builder(&dir).enable().unwrap();
    assert_eq!(files_in(&dir), [".lock", "state.json"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A process running during `disable` whose collector is down at exit
/// does not spool (the spool stays deleted); after `enable`, the next run
/// sends only its own events, under its new id. Before: the old events
/// were spooled after `disable` and resent with the pre-disable id.
#[cfg(feature = "http")]
#[test]
fn events_of_a_withdrawn_consent_are_never_spooled_or_resent() {
    use telemetry_core::WireFormat;
    let dir = temp_dir("respool");
    let down = Collector::start(Vec::new(), Reply::Status(503, vec![]));
    let t = giving_up_at_exit(builder(&dir), &down.url()).build().unwrap();
    let old_id = t.status().anonymous_id.clone().unwrap();
    t.record(&run(1));
    builder(&dir).disable().unwrap();
    builder(&dir).enable().unwrap();
    let s = t.shutdown();
    assert_eq!((s.recorded, s.spooled, s.dropped), (1, 0, 1), "{s:?}");
    assert!(!dir.join("spool").exists() || files_in(&dir.join("spool")).is_empty());

    let up = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(up.url(), WireFormat::Native)).build().unwrap();
    let new_id = t.status().anonymous_id.clone().unwrap();
    assert_ne!(new_id, old_id);
    t.record(&run(2));
    assert_eq!(t.shutdown().sent, 1);
    let sent: Vec<String> = up
        .requests()
        .iter()
        .flat_map(|r| r.json()["batch"].as_array().cloned().unwrap_or_default())
        .map(|e| e["anonymous_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sent, [new_id]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `disable` runs in another process after a starting run read consent
/// (on) and before it took the state lock for its identity: under the lock
/// the run finds "disabled", ends off, and writes nothing. Before, it made
/// a new id and key and saved them beside "disabled", where a later
/// `enable` kept them. The test holds the lock as `disable` would, waits
/// until the run has opened the lock (it reads consent first), writes what
/// `disable` writes, then lets go.
#[cfg(target_os = "linux")]
#[test]
fn a_disable_while_a_run_starts_leaves_no_new_id_and_the_run_off() {
    use telemetry_core::__private::{AppParts, app_meta};
    use telemetry_core::{Choice, Reason};
    static DR: telemetry_core::meta::AppMeta = app_meta(AppParts { name: "dr", ..PARTS });
    let dir = temp_dir("disableRace");
    let builder = |dir: &Path| {
        telemetry_core::Telemetry::builder(&DR)
            .app_version("1.2.3")
            .state_dir(dir)
            .notice(false)
            .with_test_knobs()
            .env(telemetry_core::EnvSource::from_pairs::<&str, &str>([]))
    };
    // How many files of this process are open on the state lock: the
    // run has read consent once it opens the lock (this test holds the other).
    let lock_path = dir.join(".lock");
    let opened = || {
        std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .flatten()
            .filter(|fd| std::fs::read_link(fd.path()).is_ok_and(|p| p == lock_path))
            .count()
    };
    drop(builder(&dir).build().unwrap());
    assert!(state_of(&dir)["anonymous_id"].is_string(), "the first run saved an id");
    let lock = std::fs::File::options().read(true).write(true).open(&lock_path).unwrap();
    lock.lock().unwrap();
    let run = std::thread::spawn({
        let b = builder(&dir);
        move || b.build().unwrap()
    });
    let t0 = std::time::Instant::now();
    while opened() < 2 {
        assert!(t0.elapsed() < Duration::from_secs(30), "waited 30 s for the run to reach the state lock");
        std::thread::sleep(Duration::from_millis(1));
    }
    let disabled = serde_json::json!({ "version": 1, "consent": "disabled" });
    std::fs::write(dir.join("state.json"), disabled.to_string()).unwrap();
    drop(lock);
    let t = run.join().unwrap();
    assert_eq!((t.is_enabled(), t.status().reason.clone()), (false, Reason::Choice(Choice::Disabled)));
    // Where events go is where an off run's go, not where consent would have sent them.
    let text = t.status().to_string();
    assert_eq!(text.lines().nth(1), Some("  Events go to:  nowhere (telemetry is off)"), "{text}");
    assert_eq!(state_of(&dir), disabled, "no id or key written beside \"disabled\"");
    std::fs::remove_dir_all(&dir).unwrap();
}
