// A required field of the event that the struct lacks.
use telemetry_core::{TelemetryEnum, TelemetryEvent};

#[derive(TelemetryEnum)]
enum Outcome {
    Success,
    Failure,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRun<'a> {
    command: &'a str,
    outcome: Outcome,
    exit_code: i32,
    project: &'a str,
    flags: Vec<&'a str>,
}

fn main() {}
