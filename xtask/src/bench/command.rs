//! Running the tools a benchmark needs: cargo, and whether an optional
//! tool (hyperfine, valgrind) is installed.

use std::process::{Command, Stdio};

/// The cargo that runs this task (`$CARGO`), so that benchmarks build with
/// the same toolchain.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs `cmd`, passing its stderr through; returns its stdout, or an error
/// naming `what` with the exit status and the output.
pub fn run_capture(cmd: &mut Command, what: &str) -> Result<String, String> {
    eprintln!("bench: {what}");
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({})\n{}", out.status, String::from_utf8_lossy(&out.stdout)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether `tool --version` runs and succeeds.
pub fn installed(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}
