// A hand `TelemetryContext` that would add an undeclared key to every event.
use telemetry_core::meta::Fingerprint;
use telemetry_core::{PropertyWriter, TelemetryContext};

struct Context;

impl TelemetryContext for Context {
    const APP: &'static str = "example-cli";
    const KEYS: &'static [&'static str] = &["hostname"];
    const FINGERPRINT: Fingerprint = Fingerprint::NONE;
    fn write_fields(&self, w: &mut PropertyWriter<'_>) {
        w.str("hostname", "alices-laptop", None);
    }
}

fn main() {}
