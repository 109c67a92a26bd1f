//! An event past its `expires` date still compiles, with a warning at the
//! struct that names the event and the date (issue 12: builds never break
//! on a date). trybuild has no warnings mode, so this builds a probe crate
//! with the real cargo and reads its stderr.

mod probe;

use probe::Probe;

const SCHEMA: &str = "version: 1\napp: { name: probe-app, title: Probe, description: Exercises expiry warnings. }\nevents:\n  legacy_ping:\n    description: Old ping.\n    expires: 2001-01-01\n    fields:\n      uptime_s: { collect: allowed, type: u64, description: Seconds since start. }\n  ping:\n    description: Ping.\n    expires: never\n    expires_reason: \"Liveness is the only signal and has no natural end.\"\n    fields:\n      uptime_s: { collect: allowed, type: u64, description: Seconds since start. }\n";

#[test]
fn an_expired_event_compiles_with_a_warning_at_its_struct() {
    let p = Probe::new("expiry-probe");
    std::fs::write(p.dir.join("schema.yaml"), SCHEMA).unwrap();
    p.write_lib(
        "#[derive(telemetry_core::TelemetryEvent)]\n#[telemetry(schema = \"../schema.yaml\")]\npub struct LegacyPing { pub uptime_s: u64 }\n\n\
         #[derive(telemetry_core::TelemetryEvent)]\n#[telemetry(schema = \"../schema.yaml\")]\npub struct Ping { pub uptime_s: u64 }\n",
    );
    let out = p.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "an expired event must not break the build:\n{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(
        warnings,
        [
            "warning: use of deprecated constant `_::TELEMETRY_EVENT_EXPIRED`: event `legacy_ping` expired on 2001-01-01: it still compiles, but nothing is recorded for it; remove the event and the code that records it, or move `expires` to a later date after a new review",
            "warning: `expiry-probe` (lib) generated 1 warning",
        ],
        "{stderr}"
    );
    assert!(stderr.contains(" --> src/lib.rs:3:12\n"), "the warning points at the struct's name:\n{stderr}");
}
