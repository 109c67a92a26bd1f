// A schema path that does not exist.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/no_such_file.yaml")]
struct Build {}

fn main() {}
