// A required context key that the runtime cannot fill must be in the struct;
// the well-known ones (`os`, `ci`) may be left out.
use telemetry_core::TelemetryContext;

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
struct Context<'a> {
    python_version: &'a str,
    application_hash: &'a str,
    notebook: bool,
    colab: bool,
}

fn main() {}
