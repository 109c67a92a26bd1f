// An enum whose variants differ from the schema's values.
use telemetry_core::{TelemetryEnum, TelemetryEvent};

#[derive(TelemetryEnum)]
enum Outcome {
    Success,
    Crashed,
}
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRun<'a> {
    command: &'a str,
    duration_ms: u64,
    outcome: Outcome,
    exit_code: i32,
    project: &'a str,
    flags: Vec<&'a str>,
}

fn main() {}
