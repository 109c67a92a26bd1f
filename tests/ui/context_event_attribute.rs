// A context struct names no event.
use telemetry_core::TelemetryContext;

#[derive(TelemetryContext)]
#[telemetry(schema = "schemas/context.yaml", event = "started")]
struct Context<'a> {
    server_version: &'a str,
}

fn main() {}
