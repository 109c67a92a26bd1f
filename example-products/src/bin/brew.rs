//! The Homebrew program, `brew`: records every event of
//! `schemas/homebrew.yaml` once, for a session of installs; `brew analytics
//! [on|off|state]` turns analytics on or off, or says whether they are on, as
//! Homebrew's page tells users.
//!
//! ```text
//! brew [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR]
//! brew analytics [on|off|state] [--state-dir DIR]
//! ```
#![forbid(unsafe_code)]

use std::process::ExitCode;

use example_products::homebrew::PRODUCT;
use example_products::{Options, Request};

/// The command only this program has, for its `--help`.
const ANALYTICS_USAGE: &str = "  \
    analytics [on|off|state]\n                    turn analytics on or off (saved for this install), or say whether they are on\n";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("analytics") {
        return example_products::main_as("brew", &PRODUCT, args, ANALYTICS_USAGE, |_| {});
    }
    args.remove(0);
    let verb = match args.first().map(String::as_str) {
        Some(v @ ("on" | "off" | "state")) => v.to_string(),
        Some(other) if !other.starts_with('-') => {
            eprintln!("brew analytics: unknown subcommand {other:?} (on, off or state)");
            return ExitCode::from(2);
        }
        _ => "state".to_string(),
    };
    if args.first() == Some(&verb) {
        args.remove(0);
    }
    let options = match Options::parse(args) {
        Ok(Request::Run(o)) => o,
        Ok(Request::Help) => {
            print!("{}", example_products::usage("brew", ANALYTICS_USAGE));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("brew analytics: {e}");
            return ExitCode::from(2);
        }
    };
    let builder = PRODUCT.builder(&options);
    let status = match verb.as_str() {
        "on" => builder.enable(),
        "off" => builder.disable(),
        _ => Ok(builder.preview_status()),
    };
    match status {
        Ok(s) => {
            print!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("brew analytics {verb}: {e}");
            ExitCode::FAILURE
        }
    }
}
