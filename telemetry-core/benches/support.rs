//! Shared by the benches: the example app's schema, a derived event, and
//! handles in each state the benches measure.
#![allow(dead_code, missing_docs)]

use std::path::PathBuf;
use std::time::Duration;

use telemetry_core::meta::AppMeta;
use telemetry_core::{EnvSource, Limits, Retry, Telemetry, TelemetryEnum, TelemetryEvent, WireFormat};

pub static APP: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");

#[derive(TelemetryEnum)]
pub enum Outcome {
    Success,
    #[allow(dead_code)]
    Failure,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
pub struct CommandRun<'a> {
    pub command: &'a str,
    pub duration_ms: u64,
    pub outcome: Outcome,
    pub exit_code: i32,
    pub project: &'a str,
    pub flags: Vec<&'a str>,
    pub ci: Option<bool>,
}

pub fn event() -> CommandRun<'static> {
    CommandRun {
        command: "build",
        duration_ms: 1234,
        outcome: Outcome::Success,
        exit_code: 0,
        project: "acme-website",
        flags: vec!["release", "locked"],
        ci: Some(false),
    }
}

pub fn state_dir(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("telemetry-bench-{tag}-{}", std::process::id()))
}

/// A loopback port with nothing listening: connections are refused.
pub fn down_url() -> String {
    format!("http://{}/ingest", telemetry_testkit::free_addr())
}

/// Telemetry off (DO_NOT_TRACK=1).
pub fn disabled() -> Telemetry {
    Telemetry::builder(&APP)
        .app_version("1.0.0")
        .state_dir(state_dir("off"))
        .with_test_knobs()
        .env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")]))
        .build()
        .unwrap()
}

/// Telemetry on, endpoint down, the worker backing off; the queue holds `queue` events.
pub fn enabled_collector_down(queue: usize) -> Telemetry {
    Telemetry::builder(&APP)
        .app_version("1.0.0")
        .state_dir(state_dir("on"))
        .notice(false)
        .endpoint(down_url(), WireFormat::Native)
        .limits(
            Limits::default()
                .with_queue_events(queue)
                .with_queue_bytes(usize::MAX)
                .with_spool_bytes(0)
                .with_spool_files(0),
        )
        .retry(Retry::default().with_backoff(Duration::from_secs(600), Duration::from_secs(600)))
        .shutdown_deadline(Duration::from_millis(1))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .build()
        .unwrap()
}

/// The bytes of one request as it crossed the socket (HTTP/1.1, before TLS):
/// the request line, every header and the body.
pub fn wire_bytes(r: &telemetry_testkit::Request) -> usize {
    let line = r.method.len() + 1 + r.path.len() + " HTTP/1.1\r\n".len();
    let headers: usize = r.headers.iter().map(|(k, v)| k.len() + 2 + v.len() + 2).sum();
    line + headers + 2 + r.wire_len
}

pub fn cleanup() {
    let _ = std::fs::remove_dir_all(state_dir("on"));
    let _ = std::fs::remove_dir_all(state_dir("off"));
}

/// Telemetry on, the worker draining the queue into the JSON-lines file.
pub fn enabled_file() -> Telemetry {
    Telemetry::builder(&APP)
        .app_version("1.0.0")
        .state_dir(state_dir("file"))
        .notice(false)
        .limits(Limits::default().with_file_bytes(64 << 20))
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .build()
        .unwrap()
}

pub fn cleanup_file() {
    let _ = std::fs::remove_dir_all(state_dir("file"));
}

// ---- The side-by-side event: 8 fields, 2 hashed (benches/bench.yaml) ----

pub static BENCH_APP: AppMeta = telemetry_core::app_meta!("bench.yaml");

#[derive(TelemetryEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildOutcome {
    Success,
    #[allow(dead_code)]
    Failure,
}

/// The event as an app writes it: `project` and `branch` are hashed as written.
#[derive(TelemetryEvent)]
#[telemetry(schema = "bench.yaml")]
pub struct BuildFinished<'a> {
    pub command: &'a str,
    pub duration_ms: u64,
    pub outcome: BuildOutcome,
    pub exit_code: i32,
    pub project: &'a str,
    pub branch: &'a str,
    pub flags: Vec<&'a str>,
    pub ci: bool,
}

pub fn build_finished() -> BuildFinished<'static> {
    BuildFinished {
        command: "build",
        duration_ms: 1234,
        outcome: BuildOutcome::Success,
        exit_code: 0,
        project: "acme-website",
        branch: "main",
        flags: vec!["release", "locked"],
        ci: false,
    }
}

/// The serde-only baseline: the same fields, strings already hashed.
#[derive(serde::Serialize)]
pub struct PlainBuildFinished<'a> {
    pub command: &'a str,
    pub duration_ms: u64,
    pub outcome: BuildOutcome,
    pub exit_code: i32,
    pub project: String,
    pub branch: String,
    pub flags: Vec<&'a str>,
    pub ci: bool,
}

pub fn plain_build_finished(h: &telemetry_core::Hasher) -> PlainBuildFinished<'static> {
    PlainBuildFinished {
        command: "build",
        duration_ms: 1234,
        outcome: BuildOutcome::Success,
        exit_code: 0,
        project: h.hash_hex("acme-website"),
        branch: h.hash_hex("main"),
        flags: vec!["release", "locked"],
        ci: false,
    }
}

/// Telemetry on, the worker draining into an in-process [`MemorySink`] that counts.
pub fn enabled_memory(sink: &telemetry_core::MemorySink) -> Telemetry {
    Telemetry::builder(&BENCH_APP)
        .app_version("1.0.0")
        .state_dir(state_dir("memory"))
        .notice(false)
        // Room for bursts while the worker is descheduled (2 shared cores):
        // a dropped event skips the push and would flatter the figure.
        .limits(Limits::default().with_queue_events(1 << 20).with_queue_bytes(1 << 30))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .memory(sink.clone())
        .build()
        .unwrap()
}

pub fn cleanup_memory() {
    let _ = std::fs::remove_dir_all(state_dir("memory"));
}
