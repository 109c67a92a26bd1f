// Fields are matched by name, so tuple structs are refused.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct TelemetryChanged(u32);

fn main() {}
