//! `cargo xtask bench --peers [--quick]`: the peer bench of issue 13.
//! It lives in `bench-peers/`, its own workspace (excluded from this one,
//! so posthog-rs, tokio and the OpenTelemetry SDK never enter the runtime's
//! dependency graph or CI); this task runs its runner and writes the
//! `## Peers` section of BENCHMARKS.md from that one run.

use std::path::Path;

use super::command::{cargo, run_capture};
use super::summary::upsert_section;

/// Runs `bench-peers`' runner and writes its section.
pub fn run(root: &Path, quick: bool) -> Result<(), String> {
    let dir = root.join("bench-peers");
    let mut cmd = cargo();
    cmd.current_dir(&dir).args(["run", "-q", "--release", "-p", "peer-runner", "--"]);
    if quick {
        cmd.arg("--quick");
    }
    let md = run_capture(&mut cmd, "the peer bench (bench-peers/)")?;
    if !md.starts_with("## Peers") {
        return Err(format!("the peer bench printed no `## Peers` section:\n{md}"));
    }
    print!("{md}");
    upsert_section(&root.join("BENCHMARKS.md"), "## Peers", &md)
}
