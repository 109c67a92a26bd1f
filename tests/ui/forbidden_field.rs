// A field the schema marks forbidden: the message quotes the schema's reason and line.
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
    duration_ms: u64,
    outcome: Outcome,
    exit_code: i32,
    project: &'a str,
    flags: Vec<&'a str>,
    user_name: &'a str,
}

fn main() {}
