// A path where the schema says string: paths carry user names.
use telemetry_core::{TelemetryEnum, TelemetryEvent};

#[derive(TelemetryEnum)]
enum Outcome {
    Success,
    Failure,
}

use std::path::PathBuf;
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRun<'a> {
    command: PathBuf,
    duration_ms: u64,
    outcome: Outcome,
    exit_code: i32,
    project: &'a str,
    flags: Vec<&'a str>,
}

fn main() {}
