// An attribute value that is not a string.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml", event = telemetry_changed)]
struct TelemetryChanged {}

fn main() {}
