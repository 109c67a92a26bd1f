//! A ready `telemetry status|enable|disable` subcommand for clap CLIs
//! (cargo feature `clap`).
//!
//! ```
//! use clap::{Parser, Subcommand};
//! use telemetry_core::cli::TelemetryArgs;
//!
//! #[derive(Parser)]
//! struct Cli {
//!     #[command(subcommand)]
//!     command: Command,
//! }
//!
//! #[derive(Subcommand)]
//! enum Command {
//!     /// Show or change whether anonymous usage data is sent.
//!     Telemetry(TelemetryArgs),
//! }
//!
//! let cli = Cli::parse_from(["demo", "telemetry", "status"]);
//! let Command::Telemetry(args) = cli.command;
//! assert!(matches!(args.command, telemetry_core::cli::TelemetryCommand::Status));
//! ```

use std::io::{self, Write};
use std::process::ExitCode;

use crate::{Builder, Status};

/// `telemetry <status|enable|disable>`.
#[derive(Debug, Clone, clap::Args)]
pub struct TelemetryArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: TelemetryCommand,
}

/// The telemetry subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Subcommand)]
pub enum TelemetryCommand {
    /// Show whether telemetry is on, why, and where its state lives.
    Status,
    /// Turn telemetry on (environment variables such as DO_NOT_TRACK still win).
    Enable,
    /// Turn telemetry off and delete the anonymous id and anything not yet sent.
    Disable,
}

impl TelemetryArgs {
    /// Runs the subcommand, printing the resulting status to `out`.
    pub fn run_to(&self, builder: &Builder, out: &mut dyn Write) -> io::Result<Status> {
        let status = match self.command {
            TelemetryCommand::Status => builder.status(),
            TelemetryCommand::Enable => builder.enable()?,
            TelemetryCommand::Disable => builder.disable()?,
        };
        write!(out, "{status}")?;
        Ok(status)
    }

    /// Runs the subcommand, printing to stdout (errors to stderr).
    pub fn run(&self, builder: &Builder) -> ExitCode {
        match self.run_to(builder, &mut io::stdout().lock()) {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot change telemetry settings: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
