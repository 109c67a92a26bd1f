// A schema value that is not snake_case (`custom-prefix`) is reached by a
// rename: a variant without one is sent as `custom_prefix`, and the error is
// at the variant, saying which rename to add.
use telemetry_core::TelemetryEnum;

#[derive(TelemetryEnum)]
#[telemetry(schema = "../schemas/wire-values.yaml", field = "install.prefix")]
enum Prefix {
    #[telemetry(rename = "/opt/homebrew")]
    OptHomebrew,
    #[telemetry(rename = "/usr/local")]
    UsrLocal,
    CustomPrefix,
}

fn main() {}
