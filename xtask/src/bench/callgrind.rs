//! A note with the instructions per `record()` counted by callgrind
//! (telemetry-core's `profile_record` bench), repeatable where time is not.

use super::command::{cargo, installed};

/// Adds the note, or one saying why there is none.
pub fn note(notes: &mut Vec<String>) -> Result<(), String> {
    if !installed("valgrind") {
        notes.push("valgrind is not installed: no instruction counts this run.".into());
        return Ok(());
    }
    let out = cargo()
        .args(["bench", "-p", "telemetry-core", "--bench", "profile_record", "--no-run"])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stderr);
    let exe = text
        .lines()
        .find_map(|l| l.split_once("profile_record.rs (").map(|(_, p)| p.trim_end_matches(')').to_string()))
        .ok_or("no profile_record executable in cargo's output")?;
    let count = |n: u64| -> Result<u64, String> {
        let o = std::process::Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null", &exe, &n.to_string()])
            .output()
            .map_err(|e| e.to_string())?;
        let err = String::from_utf8_lossy(&o.stderr);
        err.lines()
            .find_map(|l| l.split_once("Collected :").map(|(_, v)| v.trim().replace(',', "")))
            .and_then(|v| v.parse().ok())
            .ok_or("no callgrind total".into())
    };
    eprintln!("bench: callgrind, instructions per record()");
    let (a, b) = (count(10_000)?, count(20_000)?);
    notes.push(format!(
        "callgrind (`benches/profile_record.rs`, 20,000 minus 10,000 events, worker included): {} instructions per \
         `record()`. Under valgrind SHA-256 runs its portable code (no SHA extensions), so hashing weighs more \
         there than on the CPU.",
        (b - a) / 10_000
    ));
    Ok(())
}
