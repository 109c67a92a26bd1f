// Events are structs with named fields.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
enum CommandRun {
    Build,
}

fn main() {}
