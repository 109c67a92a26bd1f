//! What the metrics wire tests share: a day of example-cli's `build`s, then
//! the first run of the next day, which sends the day's metrics, through
//! the real runtime to a loopback collector.
#![allow(dead_code)] // each test file uses its own part

use std::path::Path;
use std::time::Duration;

use telemetry_core::{EnvSource, Telemetry, WireFormat};
use telemetry_testkit::{Collector, Request, temp_dir};

pub static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/example-cli.yaml");
telemetry_core::generate_metrics!("../schemas/example-cli.yaml");

/// The metrics the day's three `build`s (90, 2100 and 2100 ms) add up to.
pub fn the_days_metrics() -> serde_json::Value {
    serde_json::json!({"commands": {"build": 3, "test": 0}, "build_duration": {"unit": "ms", "count": 3, "sum": 4290,
        "bounds": [100, 500, 1000, 5000, 30000], "counts": [1, 0, 0, 2, 0, 0]}})
}

/// Moves the period stored in `dir` back one day, as the clock would move on.
pub fn end_the_day(dir: &Path) {
    let file = dir.join("metrics.json");
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).expect("metrics.json")).unwrap();
    s["start_ms"] = (s["start_ms"].as_u64().unwrap() - 86_400_000).into();
    std::fs::write(&file, s.to_string()).unwrap();
}

/// Every request made to `collector` by three `build`s of a day and the
/// first run of the next day, with `endpoint` (the collector's URL, with
/// or without a path) as the endpoint of `format`.
pub fn a_day(collector: &Collector, endpoint: &str, format: WireFormat) -> Vec<Request> {
    let dir = temp_dir(&format!("metrics-day-{}", format.name()));
    let run = || {
        Telemetry::builder(&APP)
            .app_version("1.2.3")
            .state_dir(&dir)
            .notice(false)
            .endpoint(endpoint, format)
            .api_key("phc_test_key")
            .with_test_knobs()
            .env(EnvSource::from_pairs::<&str, &str>([]))
            .build()
            .unwrap()
    };
    for ms in [90, 2100, 2100] {
        let t = run();
        let m: Metrics = t.metrics();
        m.commands.add(CommandsLabel::Build, 1);
        m.build_duration.record_ms(ms);
    }
    end_the_day(&dir);
    let t = run();
    let _m: Metrics = t.metrics();
    assert!(t.flush(Duration::from_secs(10)));
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
    collector.requests()
}
