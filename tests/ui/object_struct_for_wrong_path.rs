// The struct given for an object field must be checked against that object,
// not another one of the same event.
use telemetry_core::{TelemetryEnum, TelemetryEvent};

#[derive(TelemetryEnum)]
enum Kind {
    Profile,
    Dashboard,
}

#[derive(TelemetryEnum)]
enum Part {
    DataDrift,
    TargetDrift,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/nested.yaml", event = "report", object = "environment.python")]
struct Python {
    version: String,
    venv: bool,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/nested.yaml")]
struct Report {
    kind: Kind,
    environment: Option<Python>,
    parts: Vec<Part>,
    tags: Vec<String>,
    r#type: String,
}

fn main() {}
