//! Example CLI: a toy build tool instrumented with `telemetry-core` against
//! `schemas/example-cli.yaml`.
//!
//! ```text
//! example-cli build [--release]          # records command_run
//! example-cli test [--fail]              # records command_run, exits 1 with --fail
//! example-cli telemetry status|enable|disable
//! example-cli --endpoint URL --format native|segment|posthog|otlp|otlp-protobuf [--api-key KEY] build
//! ```
//!
//! Without `--endpoint`, events go to `events.jsonl` in the state dir.
#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use telemetry_core::cli::{TelemetryArgs, TelemetryCommand};
use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryEnum, TelemetryEvent, WireFormat};

/// The schema's app, consent rules and context, checked at compile time.
static APP: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
// Commands counted and build times bucketed on the device, sent once a day (`metrics:`).
telemetry_core::generate_metrics!("../../schemas/example-cli.yaml");

#[derive(TelemetryEnum)]
enum Outcome {
    Success,
    Failure,
}

/// A command finished.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRun<'a> {
    command: &'a str,
    duration_ms: u64,
    outcome: Outcome,
    exit_code: i32,
    project: &'a str,
    flags: Vec<&'a str>,
    ci: Option<bool>,
}

#[derive(TelemetryEnum)]
enum Source {
    Command,
    // Declared by the schema; this app is never switched on by a variable.
    #[allow(dead_code)]
    Env,
}

/// Telemetry was switched on.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct TelemetryChanged {
    source: Source,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The toolkit's own batch, as docs/example-cli.events.schema.json describes it.
    Native,
    /// Segment's (and RudderStack's) /v1/batch; needs --api-key (the write key).
    Segment,
    /// PostHog's /batch/; needs --api-key (the project's API key).
    Posthog,
    /// OpenTelemetry logs, OTLP/HTTP JSON, /v1/logs.
    Otlp,
    /// OpenTelemetry logs, OTLP/HTTP protobuf (OpenTelemetry's default encoding), /v1/logs.
    OtlpProtobuf,
}

impl From<Format> for WireFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Native => WireFormat::Native,
            Format::Segment => WireFormat::Segment,
            Format::Posthog => WireFormat::PostHog,
            Format::Otlp => WireFormat::Otlp,
            Format::OtlpProtobuf => WireFormat::OtlpProtobuf,
        }
    }
}

/// A toy build tool that reports anonymous usage telemetry.
#[derive(Parser)]
#[command(name = "example-cli", version)]
struct Cli {
    /// Send telemetry to this endpoint (https, or http to loopback) instead of the local file.
    #[arg(long, global = true)]
    endpoint: Option<String>,
    /// Wire format for --endpoint.
    #[arg(long, global = true, value_enum, default_value = "native")]
    format: Format,
    /// Segment write key or PostHog project key (required by --format segment and posthog).
    #[arg(long, global = true, required_if_eq_any([("format", "segment"), ("format", "posthog")]))]
    api_key: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the project.
    Build {
        /// Optimized build.
        #[arg(long)]
        release: bool,
    },
    /// Run the project's tests.
    Test {
        /// Make the tests fail (exit status 1).
        #[arg(long)]
        fail: bool,
    },
    /// Show or change whether anonymous usage data is sent.
    Telemetry(TelemetryArgs),
}

/// The current directory's name: sent only as a keyed hash.
fn project_name() -> String {
    std::env::current_dir()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut builder = Telemetry::builder(&APP)
        .app_version(env!("CARGO_PKG_VERSION"))
        .opt_out_command("example-cli telemetry disable");
    if let Some(url) = &cli.endpoint {
        builder = builder.endpoint(url, cli.format.into());
    }
    if let Some(key) = &cli.api_key {
        builder = builder.api_key(key);
    }

    if let Command::Telemetry(args) = &cli.command {
        let status = match args.run_to(&builder, &mut std::io::stdout().lock()) {
            Ok(status) => status,
            Err(e) => {
                eprintln!("error: cannot change telemetry settings: {e}");
                return ExitCode::FAILURE;
            }
        };
        // The schema's `telemetry_changed`: sent once, when enabling changed
        // something (not again when it was already on).
        if args.command == TelemetryCommand::Enable
            && status.changed
            && let Ok(t) = builder.build()
        {
            t.record(&TelemetryChanged { source: Source::Command });
        }
        return ExitCode::SUCCESS;
    }

    let telemetry = match builder.build() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let metrics: Metrics = telemetry.metrics();
    let start = Instant::now();
    let (command, flags, exit_code) = match cli.command {
        Command::Build { release } => {
            std::thread::sleep(Duration::from_millis(5));
            println!("built the project{}", if release { " (release)" } else { "" });
            ("build", if release { vec!["release"] } else { vec![] }, 0)
        }
        Command::Test { fail } => {
            std::thread::sleep(Duration::from_millis(8));
            println!("{}", if fail { "1 test failed" } else { "all tests passed" });
            ("test", if fail { vec!["fail"] } else { vec![] }, i32::from(fail))
        }
        Command::Telemetry(_) => unreachable!("handled above"),
    };
    let duration_ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    match command {
        "build" => {
            metrics.commands.add(CommandsLabel::Build, 1);
            metrics.build_duration.record_ms(duration_ms);
        }
        _ => metrics.commands.add(CommandsLabel::Test, 1),
    }
    let project = project_name();
    telemetry.record(&CommandRun {
        command,
        duration_ms,
        outcome: if exit_code == 0 { Outcome::Success } else { Outcome::Failure },
        exit_code,
        project: &project,
        flags,
        ci: None,
    });
    // Dropping the handle flushes within its deadline (100 ms) and spools the rest.
    drop(telemetry);
    ExitCode::from(u8::try_from(exit_code).unwrap_or(1))
}
