// Issue 15, reproduction 1d: a hand `TelemetryObject` with a declared
// `SCHEMA_PATH` that writes a field the schema forbids inside that object.
use telemetry_core::meta::Fingerprint;
use telemetry_core::{PropertyWriter, TelemetryObject};

struct Python;

impl TelemetryObject for Python {
    const SCHEMA_PATH: &'static str = "report.environment.python";
    const FINGERPRINT: Fingerprint = Fingerprint::NONE;
    fn write_fields(&self, w: &mut PropertyWriter<'_>) {
        w.str("home_dir", "/home/alice", None);
    }
}

fn main() {}
