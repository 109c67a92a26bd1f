//! telemetry-core sending the peer bench's event (`build_finished` of
//! telemetry-core/benches/bench.yaml) to a collector.
#![forbid(unsafe_code)]

use std::time::Duration;

use peer_event as ev;
use telemetry_core::meta::AppMeta;
use telemetry_core::{Builder, Telemetry, TelemetryEnum, TelemetryEvent, WireFormat};

/// The bench schema's app.
pub static APP: AppMeta = telemetry_core::app_meta!("../../../telemetry-core/benches/bench.yaml");

/// `outcome`.
#[derive(TelemetryEnum)]
pub enum BuildOutcome {
    /// The build succeeded.
    Success,
    /// The build failed.
    #[allow(dead_code)]
    Failure,
}

/// The event; `project` and `branch` are hashed by `record()`.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../telemetry-core/benches/bench.yaml")]
pub struct BuildFinished<'a> {
    /// Subcommand.
    pub command: &'a str,
    /// Wall time.
    pub duration_ms: u64,
    /// Outcome.
    pub outcome: BuildOutcome,
    /// Exit status.
    pub exit_code: i32,
    /// Project (hashed).
    pub project: &'a str,
    /// Branch (hashed).
    pub branch: &'a str,
    /// Flags.
    pub flags: &'a [&'a str],
    /// In CI.
    pub ci: bool,
}

/// The bench's event, with the values every system sends.
pub fn event() -> BuildFinished<'static> {
    BuildFinished {
        command: ev::COMMAND,
        duration_ms: ev::DURATION_MS,
        outcome: BuildOutcome::Success,
        exit_code: ev::EXIT_CODE,
        project: ev::PROJECT,
        branch: ev::BRANCH,
        flags: &ev::FLAGS,
        ci: ev::CI,
    }
}

/// A wire format by [`WireFormat::parse`]'s name (`posthog`, `otlp`, `otlp-protobuf`).
pub fn format(name: &str) -> WireFormat {
    WireFormat::parse(name).unwrap_or_else(|| {
        eprintln!("error: unknown wire format `{name}`: posthog, otlp or otlp-protobuf");
        std::process::exit(2)
    })
}

/// A builder at telemetry-core's defaults, sending to `url` in `format`.
pub fn builder(url: &str, format: WireFormat) -> Builder {
    let b = Telemetry::builder(&APP).app_version("1.0.0").endpoint(url, format);
    if format.needs_api_key() { b.api_key(ev::POSTHOG_KEY) } else { b }
}

/// How long the bench waits for a flush before calling the rest lost.
pub const FLUSH: Duration = Duration::from_secs(300);
