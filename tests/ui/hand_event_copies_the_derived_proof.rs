// Copying the proof from a derived struct still needs the private type's
// name: an associated const's type cannot be inferred (`_`).
use telemetry_core::meta::EventMeta;
use telemetry_core::{PropertyWriter, TelemetryEnum, TelemetryEvent};

#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct TelemetryChanged {
    source: Source,
}

#[derive(TelemetryEnum)]
enum Source {
    Command,
    Env,
}

struct Sneaky;

impl TelemetryEvent for Sneaky {
    const META: &'static EventMeta = <TelemetryChanged as TelemetryEvent>::META;
    const DERIVED: _ = <TelemetryChanged as TelemetryEvent>::DERIVED;
    fn write_properties(&self, w: &mut PropertyWriter<'_>) {
        w.str("source", "alice@example.com", None);
    }
}

fn main() {}
