// `object = ...` must name an object field of the context.
use telemetry_core::TelemetryContext;

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml", object = "environment.pyton")]
struct Python {
    version: String,
}

fn main() {}
