// An event the schema does not declare, with a did-you-mean.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml", event = "telemetry_change")]
struct Changed {}

fn main() {}
