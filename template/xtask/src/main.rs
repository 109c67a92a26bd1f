//! `cargo xtask docs [--check]`: this project's telemetry pages, from the
//! telemetry-schema library (`cargo install cargo-telemetry` gives the same
//! as `cargo telemetry docs`).

use std::path::Path;
use std::process::ExitCode;
use telemetry_schema::docs::{self, Options};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["docs"] => false,
        ["docs", "--check"] => true,
        _ => {
            eprintln!("usage: cargo xtask docs [--check]");
            return ExitCode::from(2);
        }
    };
    // This crate sits in xtask/ of the project.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.parent().unwrap_or(here);
    let options = Options::new(root.join("telemetry"), root.join("docs")).command("cargo xtask docs");
    match if check { docs::check(&options) } else { docs::write(&options) } {
        Ok(report) => println!("{report}"),
        Err(failure) => {
            eprintln!("{failure}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
