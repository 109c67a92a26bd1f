// `field = ...` on an enum must name a field declared `type: enum`.
use telemetry_core::TelemetryEnum;

#[derive(TelemetryEnum)]
#[telemetry(schema = "../../schemas/example-cli.yaml", field = "command_run.command")]
enum Command {
    Build,
}

fn main() {}
