// A context enum must have exactly the schema's values.
use telemetry_core::{TelemetryContext, TelemetryEnum};

#[derive(TelemetryEnum)]
enum Edition {
    Community,
    Free,
}

#[derive(TelemetryContext)]
#[telemetry(schema = "schemas/context.yaml")]
struct Context<'a> {
    edition: Edition,
    server_version: &'a str,
}

fn main() {}
