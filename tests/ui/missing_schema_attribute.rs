// No schema named at all.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
struct TelemetryChanged {}

fn main() {}
