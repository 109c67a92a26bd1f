// A list whose items must be enum values, given plain strings.
use telemetry_core::{TelemetryEnum, TelemetryEvent};

#[derive(TelemetryEnum)]
enum Kind {
    Profile,
    Dashboard,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/nested.yaml")]
struct Report {
    kind: Kind,
    parts: Vec<String>,
    tags: Vec<String>,
    r#type: String,
}

fn main() {}
