// Automatisch forbids `email` in its context: a context struct carrying it does not compile.
use telemetry_core::TelemetryContext;

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/automatisch.yaml")]
struct Context<'a> {
    organization_id: &'a str,
    email: &'a str,
}

fn main() {}
