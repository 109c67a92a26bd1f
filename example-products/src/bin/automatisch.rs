//! The Automatisch program: a server. Records every event of
//! `schemas/automatisch.yaml` once, then, with `--run-for SECS`, keeps
//! running and sends its diagnostics every six hours (`--every SECS` to
//! shorten the period), as Automatisch does.
//!
//! ```text
//! automatisch [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR] [--run-for SECS] [--every SECS]
//! ```
#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::Duration;

use example_products::automatisch::{self, DIAGNOSTICS_EVERY, PRODUCT, ServiceType};

/// The options only this program has, for its `--help`.
const SERVICE_USAGE: &str = "  \
    --run-for SECS    keep running SECS seconds after recording, as a service\n  \
    --every SECS      send the diagnostics every SECS seconds (default: every six hours)\n";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let (run_for, every) = match (take_secs(&mut args, "--run-for"), take_secs(&mut args, "--every")) {
        (Ok(r), Ok(e)) => (r.unwrap_or_default(), e.unwrap_or(DIAGNOSTICS_EVERY)),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("automatisch: {e}");
            return ExitCode::from(2);
        }
    };
    example_products::main_with(&PRODUCT, args, SERVICE_USAGE, |telemetry| {
        let diagnostics = automatisch::serve(telemetry, ServiceType::Main, every);
        std::thread::sleep(run_for);
        drop(diagnostics);
    })
}

/// Removes `flag SECS` from `args`; its value in seconds, if given.
fn take_secs(args: &mut Vec<String>, flag: &str) -> Result<Option<Duration>, String> {
    let Some(i) = args.iter().position(|a| a == flag) else { return Ok(None) };
    let value = args.get(i + 1).cloned().ok_or_else(|| format!("{flag} needs a number of seconds"))?;
    let secs: f64 = value.parse().map_err(|_| format!("{flag}: {value:?} is not a number of seconds"))?;
    args.drain(i..i + 2);
    Duration::try_from_secs_f64(secs).map(Some).map_err(|e| format!("{flag}: {e}"))
}
