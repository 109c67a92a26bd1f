// A typo of a required field is one mistake: one error with the
// did-you-mean, and no second "lacks field `exit_code`".
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
    exit_cod: i32,
    project: &'a str,
    flags: Vec<&'a str>,
}

fn main() {}
