// A forbidden field inside a nested object.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/nested.yaml", event = "report", object = "environment.python")]
struct Python {
    version: String,
    venv: bool,
    home_dir: String,
}

fn main() {}
