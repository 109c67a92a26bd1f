// A variant that is a near miss of a value is one mistake: one error with
// the did-you-mean at the variant, and no second "no variant for `failure`".
use telemetry_core::TelemetryEnum;

#[derive(TelemetryEnum)]
#[telemetry(schema = "../../schemas/example-cli.yaml", field = "command_run.outcome")]
enum Outcome {
    Success,
    Failed,
    Skipped,
}

fn main() {}
