// The context is a struct with named fields.
use telemetry_core::TelemetryContext;

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
enum Context {
    Notebook,
    Script,
}

fn main() {}
