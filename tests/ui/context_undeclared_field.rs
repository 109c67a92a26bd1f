// A context key the schema does not declare (here a typo) does not compile.
use telemetry_core::TelemetryContext;

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
struct Context<'a> {
    pyairbyte_version: &'a str,
    python_versoin: &'a str,
    application_hash: &'a str,
    notebook: bool,
    colab: bool,
}

fn main() {}
