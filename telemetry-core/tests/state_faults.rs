//! Install state under faults: a corrupt state file, a config dir that
//! cannot be written, a read-only tree, no HOME, and two starts racing on
//! a fresh state dir. None of them may crash the app, block `record()`, or
//! lose count of an event.
//!
//! Tests often run as root (containers, CI), where `chmod 0500` does not
//! stop writes. [`chmod_restricts`] detects that; those tests then use
//! paths that no user can write through: a state dir whose parent is a
//! regular file, and `events.jsonl` / `spool` replaced by a directory and
//! a file. Environment variables are injected with `EnvSource` or set on
//! child processes, never on the test process.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::*;
use telemetry_core::{EnvSource, Mode, Stats, Telemetry};
#[cfg(unix)]
use telemetry_testkit::Buf;
use telemetry_testkit::temp_dir;
#[cfg(all(unix, feature = "http"))]
use telemetry_testkit::{Collector, Reply};

fn builder(dir: &Path) -> telemetry_core::TestBuilder {
    quiet_builder(dir)
}

/// Records `n` events, each well within a hang guard (a blocked call
/// would wait on the disk or the network, not on memory).
fn record_n(t: &Telemetry, n: u64) {
    for i in 0..n {
        let start = Instant::now();
        t.record(&run(i));
        assert!(start.elapsed() < Duration::from_millis(100), "record() blocked: {:?}", start.elapsed());
    }
}

#[cfg(all(unix, feature = "http"))]
fn settled(s: Stats, recorded: u64) {
    assert_eq!(s.recorded, recorded, "{s:?}");
    assert_eq!(s.recorded, s.sent + s.spooled + s.dropped, "{s:?}");
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Whether `chmod 0500` on a directory stops this process from creating
/// files in it (false as root, or with CAP_DAC_OVERRIDE).
#[cfg(unix)]
fn chmod_restricts() -> bool {
    let d = temp_dir("probe");
    std::fs::create_dir_all(&d).unwrap();
    set_mode(&d, 0o500);
    let restricted = std::fs::write(d.join("x"), b"x").is_err();
    set_mode(&d, 0o700);
    std::fs::remove_dir_all(&d).unwrap();
    restricted
}

/// A state file that exists but cannot be read or parsed may hold an
/// opt-out: nothing is recorded this run, the file is left byte for byte,
/// `status` says why and how to fix it, and `disable` / `enable` rewrite it.
/// (Before: a process-only identity, and every event recorded.)
#[test]
fn unreadable_state_records_nothing_and_says_how_to_fix_it() {
    let variants: &[(&str, &[u8], &str)] = &[
        ("empty", b"", "is not valid state: EOF while parsing a value at line 1 column 0"),
        (
            "truncated",
            b"{\"version\":1,\"anonymous_id\":\"4f1c",
            "is not valid state: EOF while parsing a string at line 1 column 33",
        ),
        ("binary", &[0xff, 0xfe, 0x00, 0x9c, 0x80, 0x01], "is not valid state: expected value at line 1 column 1"),
        ("trailing comma", b"{\"consent\":\"disabled\",}", "is not valid state: trailing comma at line 1 column 23"),
        (
            "version as text",
            b"{\"version\":\"1\",\"consent\":\"disabled\"}",
            "is not valid state: invalid type: string \"1\", expected u32 at line 1 column 14",
        ),
        (
            "capitalised choice",
            b"{\"consent\":\"Disabled\"}",
            "is not valid state: unknown variant `Disabled`, expected `enabled` or `disabled` at line 1 column 21",
        ),
        (
            "a JSON list",
            b"[1,2,3]",
            "is not valid state: invalid type: sequence, expected struct StateData at line 1 column 1",
        ),
        ("too large", &[b' '; 70_000], "is larger than 65536 bytes"),
    ];
    for (what, bytes, why) in variants {
        let dir = temp_dir("corrupt");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("state.json"), bytes).unwrap();
        let out = Buf::default();
        let t = builder(&dir).settings(|b| b.notice(true)).output(out.clone()).build().unwrap();
        let expected = format!(
            "{} {why}; nothing is recorded until turning telemetry on or off again rewrites it",
            dir.join("state.json").display()
        );
        assert_eq!((t.status().mode, t.status().reason.to_string()), (Mode::Off, expected.clone()), "{what}");
        record_n(&t, 3);
        assert_eq!(t.shutdown(), Stats::default(), "{what}: nothing recorded");
        assert_eq!(out.text(), "", "{what}: no notice");
        assert_eq!(&std::fs::read(dir.join("state.json")).unwrap(), bytes, "{what}: left untouched");
        assert_eq!(files_in(&dir), ["state.json"], "{what}: nothing else written");
        let status = builder(&dir).preview_status();
        assert_eq!((status.mode, status.reason.to_string()), (Mode::Off, expected), "{what}");
        assert!(format!("{status}").starts_with("Telemetry is off: "), "{what}");
        // `telemetry disable` is the documented way out: it rewrites the file.
        let st = builder(&dir).disable().unwrap();
        assert_eq!(st.mode, Mode::Off);
        assert_eq!(state_of(&dir)["consent"], "disabled");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// A directory, a FIFO or a link to `/dev/zero` as `state.json`: `build()`
/// neither hangs (FIFO) nor reads forever (`/dev/zero`), and records nothing.
#[test]
fn state_file_that_is_not_a_regular_file_records_nothing() {
    type Make = Box<dyn Fn(&Path)>;
    let mut cases: Vec<(&str, Make, String)> = vec![(
        "a directory",
        Box::new(|p: &Path| std::fs::create_dir_all(p).unwrap()),
        "is not a regular file (a directory, FIFO, device or socket)".into(),
    )];
    #[cfg(unix)]
    {
        cases.push((
            "a FIFO",
            Box::new(|p: &Path| {
                let ok = std::process::Command::new("mkfifo").arg(p).status().unwrap().success();
                assert!(ok, "mkfifo");
            }),
            "is not a regular file (a directory, FIFO, device or socket)".into(),
        ));
        cases.push((
            "a link to /dev/zero",
            Box::new(|p: &Path| std::os::unix::fs::symlink("/dev/zero", p).unwrap()),
            "is a symbolic link, which telemetry does not follow".into(),
        ));
    }
    for (what, make, why) in cases {
        let dir = temp_dir("special");
        std::fs::create_dir_all(&dir).unwrap();
        make(&dir.join("state.json"));
        let start = Instant::now();
        let t = builder(&dir).build().unwrap();
        assert!(start.elapsed() < Duration::from_secs(2), "{what}: build() took {:?}", start.elapsed());
        let reason = t.status().reason.to_string();
        assert_eq!(t.status().mode, Mode::Off, "{what}: {reason}");
        assert!(reason.starts_with(&format!("{} {why}", dir.join("state.json").display())), "{what}: {reason}");
        record_n(&t, 2);
        assert_eq!(t.shutdown(), Stats::default(), "{what}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// A state dir nothing can be written in: `chmod 0500` when that restricts
/// this process, else a path below a regular file (ENOTDIR, even for root).
/// Returns the state dir and what to delete afterwards.
#[cfg(unix)]
fn unwritable_dir() -> (PathBuf, PathBuf, &'static str) {
    let base = temp_dir("unwritable");
    std::fs::create_dir_all(&base).unwrap();
    if chmod_restricts() {
        let dir = base.join("state");
        std::fs::create_dir_all(&dir).unwrap();
        set_mode(&dir, 0o500);
        (dir, base, "chmod 0500")
    } else {
        std::fs::write(base.join("file"), b"not a dir").unwrap();
        (base.join("file").join("state"), base, "parent is a regular file")
    }
}

#[cfg(unix)]
#[test]
fn unwritable_config_dir_file_transport_drops_and_counts() {
    let (dir, base, how) = unwritable_dir();
    let out = Buf::default();
    let t = builder(&dir).settings(|b| b.notice(true)).output(out.clone()).build().unwrap();
    assert_eq!(t.status().mode, Mode::On, "{how}");
    let note = t.status().notes.join("\n");
    assert!(
        note.starts_with(&format!("cannot save state in {}: ", dir.display()))
            && note.ends_with("; using a process-only id and key"),
        "{how}: {note}"
    );
    assert!(out.text().contains("collects anonymous usage data"), "the notice is still shown");
    record_n(&t, 5);
    let s = t.shutdown();
    // The JSON-lines file cannot be written: dropped, and counted.
    assert_eq!(s, Stats { recorded: 5, dropped: 5, ..Stats::default() }, "{how}");
    assert!(builder(&dir).disable().is_err(), "{how}: disable reports the error, no panic");
    assert!(!dir.join("state.json").exists());
    set_mode_all(&base);
    std::fs::remove_dir_all(&base).unwrap();
}

#[cfg(all(unix, feature = "http"))]
#[test]
fn unwritable_config_dir_http_sends_and_drops_what_it_cannot_spool() {
    use telemetry_core::WireFormat;
    let (dir, base, how) = unwritable_dir();
    let up = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(up.url(), WireFormat::Native)).build().unwrap();
    record_n(&t, 4);
    assert_eq!(t.shutdown(), Stats { recorded: 4, sent: 4, ..Stats::default() }, "{how}");
    assert_eq!(up.requests().len(), 1);
    // Collector down at exit: the spool cannot be written, so the events are dropped (counted).
    let down = Collector::start(Vec::new(), Reply::Status(503, vec![]));
    let t = giving_up_at_exit(builder(&dir), &down.url()).build().unwrap();
    record_n(&t, 4);
    let s = t.shutdown();
    settled(s, 4);
    assert_eq!((s.sent, s.spooled, s.dropped), (0, 0, 4), "{how}: {s:?}");
    set_mode_all(&base);
    std::fs::remove_dir_all(&base).unwrap();
}

#[cfg(unix)]
fn set_mode_all(base: &Path) {
    for e in walk(base) {
        if e.is_dir() {
            set_mode(&e, 0o700);
        }
    }
}

fn walk(p: &Path) -> Vec<PathBuf> {
    let mut v = vec![p.to_path_buf()];
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap() {
            v.extend(walk(&e.unwrap().path()));
        }
    }
    v
}

/// An install whose state was written, then its tree became read-only:
/// the identity is read and used; nothing that needs writing crashes.
#[cfg(all(unix, feature = "http"))]
#[test]
fn read_only_tree_keeps_identity_and_counts_what_it_cannot_write() {
    let dir = temp_dir("readonly");
    let t = builder(&dir).build().unwrap();
    let id = t.status().anonymous_id.clone().unwrap();
    drop(t);
    std::fs::remove_file(dir.join("events.jsonl")).ok();
    let stored = std::fs::read(dir.join("state.json")).unwrap();
    let how = if chmod_restricts() {
        set_mode(&dir.join("state.json"), 0o400);
        set_mode(&dir, 0o500);
        "chmod 0500"
    } else {
        // Root ignores permissions: put a directory where the events file
        // goes and a file where the spool dir goes, so every write fails.
        std::fs::create_dir(dir.join("events.jsonl")).unwrap();
        std::fs::write(dir.join("spool"), b"").unwrap();
        "paths blocked by a directory and a file"
    };
    let t = builder(&dir).build().unwrap();
    assert_eq!(t.status().anonymous_id.as_ref(), Some(&id), "{how}");
    assert!(t.status().notes.is_empty(), "{how}: nothing needed writing: {:?}", t.status().notes);
    record_n(&t, 3);
    assert_eq!(t.shutdown(), Stats { recorded: 3, dropped: 3, ..Stats::default() }, "{how}");

    let down = Collector::start(Vec::new(), Reply::Status(503, vec![]));
    let t = giving_up_at_exit(builder(&dir), &down.url()).build().unwrap();
    record_n(&t, 3);
    let s = t.shutdown();
    assert_eq!((s.recorded, s.sent, s.spooled, s.dropped), (3, 0, 0, 3), "{how}: {s:?}");
    assert_eq!(std::fs::read(dir.join("state.json")).unwrap(), stored, "{how}");
    set_mode_all(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// HOME is not needed when the state dir comes from `<APP>_TELEMETRY_DIR`
/// in the injected environment (which has no HOME at all).
#[test]
fn no_home_in_the_injected_environment() {
    let dir = temp_dir("nohome");
    let env = EnvSource::from_pairs([("EXAMPLE_CLI_TELEMETRY_DIR", dir.to_str().unwrap())]);
    assert_eq!(env.get("HOME"), None);
    let t = Telemetry::builder(&APP).app_version("1.2.3").notice(false).with_test_knobs().env(env).build().unwrap();
    assert_eq!(t.status().state_dir.as_deref(), Some(dir.as_path()));
    record_n(&t, 2);
    assert_eq!(t.shutdown(), Stats { recorded: 2, sent: 2, ..Stats::default() });
    assert!(dir.join("state.json").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two handles built at the same instant on a fresh state dir: one
/// identity wins, both use it, and the file on disk is whole.
#[test]
fn two_starts_on_a_fresh_dir_agree_on_one_identity() {
    for round in 0..40 {
        let dir = temp_dir("race");
        let gate = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (dir, gate) = (dir.clone(), gate.clone());
                std::thread::spawn(move || {
                    let b = builder(&dir);
                    gate.wait();
                    let t = b.build().unwrap();
                    let id = t.status().anonymous_id.clone().unwrap();
                    t.record(&run(round));
                    let notes = t.status().notes.clone();
                    drop(t);
                    (id, notes)
                })
            })
            .collect();
        let got: Vec<(String, Vec<String>)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let disk = state_of(&dir);
        assert_eq!(got[0].0, got[1].0, "round {round}: both use one id ({:?})", got);
        assert_eq!(disk["anonymous_id"], got[0].0.as_str(), "round {round}: the id on disk is the one used");
        assert!(got.iter().all(|(_, n)| n.is_empty()), "round {round}: {got:?}");
        // Both events hashed with the same key: same properties.
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(dir.join("events.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["properties"], lines[1]["properties"], "round {round}: one key");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: temp files left: {leftovers:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
