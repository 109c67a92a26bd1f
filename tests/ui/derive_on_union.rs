// Events are structs with named fields.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
union CommandRun {
    exit_code: i32,
}

fn main() {}
