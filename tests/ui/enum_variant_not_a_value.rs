// An enum that names its schema field: a variant the field lacks is one
// error at that variant, naming the field's values; the struct that
// carries the enum gets no second error.
use telemetry_core::{TelemetryEnum, TelemetryEvent};

#[derive(TelemetryEnum)]
#[telemetry(schema = "../../schemas/example-cli.yaml", field = "command_run.outcome")]
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
