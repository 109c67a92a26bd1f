// A value of the schema field that no variant carries: an error at the
// enum's name, saying which variant to add.
use telemetry_core::TelemetryEnum;

#[derive(TelemetryEnum)]
#[telemetry(schema = "../../schemas/example-cli.yaml", field = "command_run.outcome")]
enum Outcome {
    Success,
}

fn main() {}
