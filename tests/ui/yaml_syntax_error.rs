// A YAML syntax error is reported with its line and column.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/syntax_error.yaml")]
struct Build {}

fn main() {}
