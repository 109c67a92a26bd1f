// The event name defaults to the struct name in snake_case.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRan {}

fn main() {}
