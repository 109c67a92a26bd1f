// Hashing a bool is reversible by trying both values: the schema is refused.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/hashed_bool.yaml")]
struct Login {
    admin: bool,
}

fn main() {}
