//! `cargo xtask bench [--quick]`: runs every benchmark side by side with its
//! baseline and writes the `## Summary` table at the top of BENCHMARKS.md
//! (and the `## Compile time` section). Medians; ratios are between figures
//! of the same run; the machine and its load are noted.
//!
//! What it runs (all from this workspace, nothing downloaded), one module each:
//! - [`runtime`]: `cargo bench -p telemetry-core --bench record` and
//!   `--bench hash` (divan, read by [`divan`]), several times: the median of
//!   the run medians, and their range;
//! - [`delivery`]: `--bench delivery` (loopback collector in process, events per second);
//! - [`exit`]: the release `example-cli` with a collector up, down, hanging,
//!   and with telemetry off: `hyperfine` when on PATH, otherwise timed child runs;
//! - [`compile`]: `bench-compile`; [`docs`]: `bench-docs` (release and debug);
//! - [`callgrind`]: `--bench profile_record` under `valgrind --tool=callgrind`
//!   when valgrind is installed (instructions per `record()`, repeatable where time is not).
//!
//! [`summary`] writes the table; [`machine`] says what it ran on. [`peers`]
//! (`--peers`) runs the peer bench of `bench-peers/` instead.

mod callgrind;
mod command;
pub mod compile;
mod delivery;
mod divan;
pub mod docs;
mod exit;
mod machine;
pub mod peers;
mod runtime;
mod stats;
mod summary;

use std::path::Path;
use std::time::Instant;

/// `cargo xtask bench [--quick]`: fewer repetitions and events when `quick`.
pub fn run(root: &Path, quick: bool) -> Result<(), String> {
    let repeats = if quick { 1 } else { 3 };
    let started = Instant::now();
    let load_before = machine::load_average();
    let (mut rows, mut notes) = (Vec::new(), Vec::new());
    runtime::rows(repeats, &mut rows, &mut notes)?;
    delivery::rows(quick, &mut rows)?;
    exit::rows(quick, root, &mut rows, &mut notes)?;
    compile::rows(quick, root, &mut rows)?;
    docs::rows(quick, &mut rows)?;
    if let Err(e) = callgrind::note(&mut notes) {
        notes.push(format!("callgrind failed: {e}"));
    }
    let run = summary::Run {
        quick,
        seconds: started.elapsed().as_secs_f64(),
        machine: machine::machine(),
        rustc: machine::rustc_version(),
        load_before,
        load_after: machine::load_average(),
        repeats,
    };
    let md = summary::render(&run, &rows, &notes);
    print!("{md}");
    summary::write(&root.join("BENCHMARKS.md"), &md)
}
