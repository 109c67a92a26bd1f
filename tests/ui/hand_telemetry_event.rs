// Issue 15, reproduction 1c: ten lines of hand-written `TelemetryEvent` with
// the app's name, an undeclared event and a forbidden field.
use telemetry_core::meta::{EventMeta, Fingerprint};
use telemetry_core::{PropertyWriter, TelemetryEvent};

struct UserSeen;

impl TelemetryEvent for UserSeen {
    const META: &'static EventMeta =
        &EventMeta { app: "example-cli", name: "user_seen", fields: &[], fingerprint: Fingerprint::NONE, expires: None };
    fn write_properties(&self, w: &mut PropertyWriter<'_>) {
        w.str("user_name", "alice", None);
    }
}

fn main() {}
