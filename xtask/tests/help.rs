//! `--help` is an answer, not an error: usage on stdout, exit code 0.

use std::process::Command;

fn xtask(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn help_prints_every_task_and_exits_0() {
    let (code, stdout, stderr) = xtask(&["--help"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert!(stdout.starts_with("usage: cargo xtask <task>\n\ntasks:\n  docs [--check] [--schemas DIR] [--out DIR] | --diff BASE | --base-dir DIR [--json] [--schemas DIR]\n"));
    assert!(stdout.ends_with("\n  help\n      This text.\n"), "{stdout}");
}

#[test]
fn task_help_prints_its_usage_and_exits_0() {
    let (code, stdout, stderr) = xtask(&["docs", "--help"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(
        stdout,
        "usage: cargo xtask docs [--check] [--schemas DIR] [--out DIR] | --diff BASE | --base-dir DIR [--json] [--schemas DIR]\n\n  \
         Render every schema in DIR (default: schemas/) to the out directory\n  \
         (default: docs/): <app>.md, <app>.events.schema.json, telemetry-schema.json.\n  \
         --check writes nothing and fails when a file is stale, missing or extra.\n  \
         With --diff BASE (a git revision, e.g. HEAD~1) or --base-dir DIR (a\n  \
         directory of schemas): list each schema change and its class (widens /\n  \
         narrows collection, breaks collectors, wording only), and fail unless the\n  \
         versions, data_review entries and history the changes need are there.\n  \
         --json prints that report as JSON.\n"
    );
}

#[test]
fn unknown_option_is_still_an_error() {
    let (code, stdout, stderr) = xtask(&["docs", "--bogus"]);
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert!(
        stderr.starts_with("error: unknown option `--bogus` for `docs`\n\nusage: cargo xtask <task>\n"),
        "{stderr}"
    );
}
