//! A distant collector (issue 24): the loopback collector answers each
//! request after a delay, as one across the internet would. For each
//! system, its minimal CLI's exit time (hyperfine, as the other exit rows)
//! and, over separate runs one after another, how many of their events
//! reached the collector before the process exited and how many were left
//! on disk for the next run (telemetry-core's spool; the peers keep
//! nothing, so what did not arrive is lost).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::collector::Collector;
use crate::measure::{self, Timing};
use crate::settled_count;
use crate::systems::Sys;

/// The delays measured, in milliseconds.
pub const DELAYS: [u64; 2] = [50, 200];

/// One system against one delay.
#[derive(Debug, Clone, Copy)]
pub struct Distant {
    /// Whole-process exit time.
    pub exit: Timing,
    /// Runs counted (one event each).
    pub runs: usize,
    /// Events the collector received before the process exited.
    pub arrived: u64,
    /// Events on disk for the next run after the process exited.
    pub left: u64,
}

/// Lines in the spool files under `dir` (one event per line).
fn spooled(dir: &Path) -> u64 {
    let Ok(files) = std::fs::read_dir(dir.join("spool")) else { return 0 };
    files
        .flatten()
        .filter_map(|f| std::fs::read(f.path()).ok())
        .map(|b| b.iter().filter(|&&c| c == b'\n').count() as u64)
        .sum()
}

/// `sys` against a collector answering after `delay_ms`: `exit_runs`
/// hyperfine runs (state kept between them, as a user's is), then `runs`
/// counted runs, each starting with an empty spool.
pub fn measure(sys: &Sys, delay_ms: u64, exit_runs: usize, runs: usize, state: &Path) -> Result<Distant, String> {
    let c = Collector::distant(Duration::from_millis(delay_ms)).map_err(|e| e.to_string())?;
    let dir = state.join(format!("{}-{}-distant-{delay_ms}", sys.cli(), sys.format.unwrap_or("")));
    let env = vec![("BENCH_TELEMETRY_DIR".to_string(), dir.display().to_string())];
    let args = sys.cli_args(c.port);
    eprintln!("peers: exit, {} {:?}, collector after {delay_ms} ms", sys.cli(), sys.format);
    let exit = measure::hyperfine(&sys.cli(), &args, &env, exit_runs, 3)?;
    let (mut arrived, mut left) = (0, 0);
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(dir.join("spool"));
        // The collector's count settles before the next run starts.
        settled_count(&c);
        c.counts.reset();
        Command::new(measure::binary(&sys.cli()))
            .args(&args)
            .env_remove("DO_NOT_TRACK")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("{}: {e}", sys.cli()))?;
        // Counted on arrival: what is there now arrived before the exit.
        arrived += c.counts.events();
        left += spooled(&dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Distant { exit, runs, arrived, left })
}
