// A misspelt attribute key.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(shema = "../../schemas/example-cli.yaml")]
struct TelemetryChanged {}

fn main() {}
