//! What `status` says about the id, and `enable` when telemetry is on.

mod common;

use std::path::Path;

use common::*;
use telemetry_core::{Choice, EnvSource, Mode, Reason, Telemetry, TestBuilder};
use telemetry_testkit::*;

const OVERRIDE: &str = "0b1e2f4a-3c5d-4e6f-8a9b-0c1d2e3f4a5b";

fn builder(dir: &Path, env: &[(&str, &str)]) -> TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .notice(false)
        .with_test_knobs()
        .env(EnvSource::from_pairs(env.iter().copied()))
}

/// `status` shows the id that is sent, an override's when one is set, and
/// names the variable. Before: the stored id, though another one was sent.
#[test]
fn status_shows_the_id_that_is_sent_and_what_set_it() {
    let dir = temp_dir("status-id");
    let stored = builder(&dir, &[]).build().unwrap().status().anonymous_id.clone().unwrap();
    let st = builder(&dir, &[("EXAMPLE_CLI_ANONYMOUS_ID", OVERRIDE)]).preview_status();
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
    let st = builder(&dir, &[]).preview_status();
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
    let st = builder(&dir, &env).preview_status();
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

/// `DO_NOT_TRACK=1 ... telemetry enable` says that the choice was saved and
/// why it does not apply. Before: "Telemetry is off: DO_NOT_TRACK is set"
/// and nothing about the choice. And while off, no anonymous id is printed.
#[test]
fn enable_under_do_not_track_says_the_choice_is_saved_but_overridden() {
    let dir = temp_dir("enable-dnt");
    builder(&dir, &[]).build().unwrap().shutdown(); // an install, with an id
    assert!(builder(&dir, &[]).disable().unwrap().changed);
    let tail = format!(
        "  Events go to:  nowhere (telemetry is off)\n  State:         {}\n  What is sent:  https://example.org/example-cli/telemetry\n",
        dir.display()
    );
    let st = builder(&dir, &[("DO_NOT_TRACK", "1")]).enable().unwrap();
    assert_eq!((st.mode, st.changed), (Mode::Off, true));
    assert_eq!(
        st.to_string(),
        format!(
            "Telemetry is off: DO_NOT_TRACK is set to \"1\".\n{tail}  \
             Note: your choice is saved (telemetry enabled), but it does not apply while DO_NOT_TRACK is set to \"1\": that comes first\n"
        )
    );
    let st = builder(&dir, &[("EXAMPLE_CLI_DISABLE_TELEMETRY", "yes")]).enable().unwrap();
    assert_eq!(
        st.to_string(),
        format!(
            "Telemetry is off: EXAMPLE_CLI_DISABLE_TELEMETRY is set to \"yes\", which disables telemetry.\n{tail}  \
             Note: telemetry was already enabled, but that does not apply while EXAMPLE_CLI_DISABLE_TELEMETRY is set to \"yes\", which disables telemetry: that comes first\n"
        )
    );
    let st = builder(&dir, &[]).preview_status();
    assert_eq!(
        (st.mode, st.reason),
        (Mode::On, Reason::Choice(Choice::Enabled)),
        "the saved choice applies once the variable is gone"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// While telemetry is off, `status` prints no anonymous id: none is sent.
/// Before: the stored id was printed under "Telemetry is off".
#[test]
fn status_prints_no_id_while_off() {
    let dir = temp_dir("status-off-id");
    let on = builder(&dir, &[]).build().unwrap();
    let id = on.status().anonymous_id.clone().unwrap();
    drop(on);
    assert!(builder(&dir, &[]).preview_status().to_string().contains(&format!("  Anonymous id:  {id}\n")));
    let off = builder(&dir, &[("DO_NOT_TRACK", "1")]).preview_status();
    assert_eq!(off.anonymous_id.as_deref(), Some(id.as_str()), "still known to the program");
    assert!(!off.to_string().contains(&id), "{off}");
    assert!(!off.to_string().contains("Anonymous id"), "{off}");
    std::fs::remove_dir_all(&dir).unwrap();
}
