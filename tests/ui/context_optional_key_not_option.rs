// A context key declared `required: false` is an `Option`: `None` leaves it out.
use telemetry_core::{TelemetryContext, TelemetryEnum};

#[derive(TelemetryEnum)]
enum Edition {
    Community,
    Enterprise,
}

#[derive(TelemetryContext)]
#[telemetry(schema = "schemas/context.yaml")]
struct Context<'a> {
    edition: Edition,
    server_version: &'a str,
    region: &'a str,
}

fn main() {}
