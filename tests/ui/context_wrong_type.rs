// A Rust type that cannot carry the schema type of a context key does not compile.
use telemetry_core::TelemetryContext;

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
struct Context<'a> {
    pyairbyte_version: &'a str,
    python_version: &'a str,
    application_hash: &'a str,
    notebook: &'a str,
    colab: bool,
}

fn main() {}
