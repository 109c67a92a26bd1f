//! What `status` says about the id, and `enable` when telemetry is on.

mod common;

use std::path::Path;

use common::*;
use telemetry_core::{Builder, Choice, EnvSource, Mode, Reason, Telemetry};
use telemetry_testkit::*;

const OVERRIDE: &str = "0b1e2f4a-3c5d-4e6f-8a9b-0c1d2e3f4a5b";

fn builder(dir: &Path, env: &[(&str, &str)]) -> Builder {
    Telemetry::builder(&APP).state_dir(dir).env(EnvSource::from_pairs(env.iter().copied())).notice(false)
}

/// `status` shows the id that is sent, an override's when one is set, and
/// names the variable. Before: the stored id, though another one was sent.
#[test]
fn status_shows_the_id_that_is_sent_and_what_set_it() {
    let dir = temp_dir("status-id");
    let stored = builder(&dir, &[]).build().unwrap().status().anonymous_id.clone().unwrap();
    let st = builder(&dir, &[("EXAMPLE_CLI_ANONYMOUS_ID", OVERRIDE)]).status();
    assert_eq!(st.anonymous_id.as_deref(), Some(OVERRIDE));
    assert_eq!(st.anonymous_id_source.as_deref(), Some("EXAMPLE_CLI_ANONYMOUS_ID"));
    assert!(
        st.to_string()
            .contains(&format!("  Anonymous id:  {OVERRIDE} (set by EXAMPLE_CLI_ANONYMOUS_ID for this process)\n")),
        "{st}"
    );
    let built = builder(&dir, &[("EXAMPLE_CLI_ANONYMOUS_ID", OVERRIDE)]).build().unwrap();
    assert_eq!(built.status().anonymous_id_source, st.anonymous_id_source);
    drop(built);
    let st = builder(&dir, &[]).status();
    assert_eq!((st.anonymous_id.as_deref(), st.anonymous_id_source), (Some(stored.as_str()), None));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A bad override is refused with a note, in `status` and in the handle's
/// status (shown in debug output); the stored id is used.
#[test]
fn a_bad_override_is_refused_with_a_note() {
    let dir = temp_dir("bad-override");
    let stored = builder(&dir, &[]).build().unwrap().status().anonymous_id.clone().unwrap();
    let note = "EXAMPLE_CLI_ANONYMOUS_ID is set to \"alice@example.com\", which is not a UUID; ignored, \
                the stored anonymous id is used";
    let env = [("EXAMPLE_CLI_ANONYMOUS_ID", "alice@example.com"), ("EXAMPLE_CLI_TELEMETRY_DEBUG", "1")];
    let st = builder(&dir, &env).status();
    assert_eq!((st.anonymous_id.as_deref(), st.notes.clone()), (Some(stored.as_str()), vec![note.to_string()]));
    assert!(st.to_string().ends_with(&format!("  Note: {note}\n")), "{st}");
    let out = Buf::default();
    let t = builder(&dir, &env).output(out.clone()).build().unwrap();
    assert_eq!(t.status().anonymous_id.as_deref(), Some(stored.as_str()));
    assert_eq!(t.status().notes, [note]);
    assert_eq!(out.text(), format!("[example-cli telemetry] {note}\n"));
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `enable` when already enabled (saved, or by default) writes nothing and
/// reports no change, so the app's "telemetry was switched on" event is sent
/// once. Before: every `enable` rewrote the state and reported the same.
#[test]
fn enable_when_already_on_changes_nothing() {
    let dir = temp_dir("enable-twice");
    let st = builder(&dir, &[]).enable().unwrap();
    assert_eq!((st.mode, st.changed), (Mode::On, false), "on by default: nothing to enable");
    assert!(!dir.exists(), "nothing written, not even the directory");
    assert!(builder(&dir, &[]).disable().unwrap().changed);
    let st = builder(&dir, &[]).enable().unwrap();
    assert_eq!((st.mode, st.reason.clone(), st.changed), (Mode::On, Reason::Choice(Choice::Enabled), true));
    let before = std::fs::read(dir.join("state.json")).unwrap();
    let modified = std::fs::metadata(dir.join("state.json")).unwrap().modified().unwrap();
    let st = builder(&dir, &[]).enable().unwrap();
    assert_eq!((st.mode, st.changed), (Mode::On, false));
    assert_eq!(std::fs::read(dir.join("state.json")).unwrap(), before);
    assert_eq!(std::fs::metadata(dir.join("state.json")).unwrap().modified().unwrap(), modified);
    std::fs::remove_dir_all(&dir).unwrap();
}
