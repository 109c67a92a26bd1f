// Issue 15, reproduction 2 at compile time: the event is derived from the
// real schema, its nested object from a copy (same `app.name`, same object
// path) in which the forbidden `home_dir` was made allowed.
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
#[telemetry(schema = "schemas/nested.yaml", event = "report", object = "environment")]
struct Environment {
    os: String,
    python: Python,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/nested_copy.yaml", event = "report", object = "environment.python")]
struct Python {
    version: String,
    venv: bool,
    home_dir: String,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/nested.yaml")]
struct Report {
    kind: Kind,
    environment: Option<Environment>,
    parts: Vec<Part>,
    tags: Vec<String>,
    r#type: String,
}

fn main() {}
