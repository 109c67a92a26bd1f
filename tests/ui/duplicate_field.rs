// A field declared twice in the schema.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/duplicate_field.yaml")]
struct Build {}

fn main() {}
