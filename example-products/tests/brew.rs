//! The opt-out command Homebrew's page prints, run as the page gives it
//! against the port's `brew` program, turns analytics off for the next run;
//! `brew analytics on` turns them back on. Every run's state lives in a
//! temp dir named by `HOMEBREW_TELEMETRY_DIR`, and the environment holds no
//! switch of the product's.

use std::path::Path;
use std::process::{Command, Output};

const BREW: &str = env!("CARGO_BIN_EXE_brew");

fn brew(state: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(BREW);
    for var in ["DO_NOT_TRACK", "HOMEBREW_NO_ANALYTICS", "HOMEBREW_ANALYTICS_DEBUG", "HOMEBREW_TELEMETRY_OFFLINE"] {
        cmd.env_remove(var);
    }
    let out = cmd.args(args).env("HOMEBREW_TELEMETRY_DIR", state).output().expect("brew runs");
    assert_eq!(out.status.code(), Some(0), "brew {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// The envelopes a `brew --memory` run printed.
fn sent(state: &Path) -> usize {
    String::from_utf8(brew(state, &["--memory"]).stdout).expect("UTF-8").lines().count()
}

/// The shell block under the page's "The command" heading.
fn page_opt_out_command() -> String {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/homebrew.md")).expect("page");
    let section = page.split_once("### The command\n").expect("the page has an opt-out command").1;
    let block = section.split_once("```sh\n").expect("in a shell block").1;
    block.split_once("\n```").expect("closed").0.to_string()
}

#[test]
fn the_pages_opt_out_command_turns_analytics_off() {
    let state = std::env::temp_dir().join(format!("brew-opt-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    assert_eq!(sent(&state), 0, "the first run only shows the notice (first_run: notice_first)");
    assert_eq!(sent(&state), 8, "the next run sends");

    let command = page_opt_out_command();
    assert_eq!(command, "brew analytics off");
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let status = String::from_utf8(brew(&state, &args).stdout).expect("UTF-8");
    assert!(status.starts_with("Analytics is off: you disabled it (`brew analytics off`).\n"), "{status}");
    assert_eq!(sent(&state), 0, "`{command}` left analytics on");
    let state_now = String::from_utf8(brew(&state, &["analytics", "state"]).stdout).expect("UTF-8");
    assert!(state_now.starts_with("Analytics is off: you disabled it (`brew analytics off`).\n"), "{state_now}");
    assert!(!state.join("events.jsonl").exists());

    brew(&state, &["analytics", "on"]);
    assert_eq!(sent(&state), 8, "`brew analytics on` turns them back on");
    std::fs::remove_dir_all(&state).expect("temp dir removed");
}

#[test]
fn an_unknown_analytics_subcommand_is_an_error() {
    let out = Command::new(BREW).args(["analytics", "of"]).env("DO_NOT_TRACK", "1").output().expect("brew runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "brew analytics: unknown subcommand \"of\" (on, off or state)\n");
}
