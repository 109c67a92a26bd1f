//! `my-app <count|check> PROJECT < input`
#![forbid(unsafe_code)]

use std::process::ExitCode;
use telemetry_core::Telemetry;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Fails only for a bad endpoint; without one it cannot.
    let telemetry = match Telemetry::builder(&my_app::APP).app_version(env!("CARGO_PKG_VERSION")).build() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = my_app::run(&args, std::io::stdin().lock(), &telemetry);
    match result {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
