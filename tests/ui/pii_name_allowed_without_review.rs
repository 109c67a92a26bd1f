// A personal-looking name cannot be allowed without a reviewed note.
use telemetry_core::TelemetryEvent;
#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/pii_allowed.yaml")]
struct Signup {
    user_email: String,
}

fn main() {}
