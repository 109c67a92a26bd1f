// Issue 15, reproduction 1b: a hand `TelemetryEnum` with the schema's
// `VALUES` whose `telemetry_str` returns anything. Only the derive may
// implement it (it must name the private `__private::Derived`).
use telemetry_core::TelemetryEnum;

struct Outcome(&'static str);

impl TelemetryEnum for Outcome {
    const VALUES: &'static [&'static str] = &["success", "failure"];
    fn telemetry_str(&self) -> &'static str {
        self.0
    }
}

fn main() {}
