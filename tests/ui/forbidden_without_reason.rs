// A forbidden field must say why.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/forbidden_without_reason.yaml")]
struct Build {}

fn main() {}
