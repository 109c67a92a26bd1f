// A misspelt collect value, with a did-you-mean.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/unknown_collect.yaml")]
struct Build {}

fn main() {}
