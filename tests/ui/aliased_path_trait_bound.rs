// A type the derive cannot judge by its spelling (an alias of PathBuf):
// the Carries* trait bound refuses it, naming the schema type.
use telemetry_core::{TelemetryEnum, TelemetryEvent};

#[derive(TelemetryEnum)]
enum Outcome {
    Success,
    Failure,
}

type Command = std::path::PathBuf;
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRun<'a> {
    command: Command,
    duration_ms: u64,
    outcome: Outcome,
    exit_code: i32,
    project: &'a str,
    flags: Vec<&'a str>,
}

fn main() {}
