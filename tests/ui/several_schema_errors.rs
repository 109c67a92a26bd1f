// Every problem in the schema is reported in one build.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/several_errors.yaml")]
struct Build {}

fn main() {}
