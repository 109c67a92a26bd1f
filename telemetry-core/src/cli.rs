//! A ready `telemetry status|enable|disable` subcommand for clap CLIs
//! (cargo feature `clap`), in the product's own words if it has them.
//!
//! The subcommand is named by the variant that holds it (`Telemetry` ->
//! `telemetry`, `Analytics` -> `analytics`); its three verbs are a
//! [`Verbs`] type's, [`Standard`] (`status`, `enable`, `disable`) unless
//! the product names its own. The schema's `consent.opt_out_command` is
//! the command the page, the notice and `status` tell users to run, so it
//! must be the subcommand and the `DISABLE` verb (`brew analytics off`).
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
use std::marker::PhantomData;
use std::process::ExitCode;

use crate::{Builder, Status};

/// The words of the three subcommands. Implement it on a type of your own
/// to take the product's verbs:
///
/// ```
/// use clap::{Parser, Subcommand};
/// use telemetry_core::cli::{TelemetryArgs, TelemetryCommand, Verbs};
///
/// /// `brew analytics on|off|state`.
/// struct OnOff;
/// impl Verbs for OnOff {
///     const STATUS: &'static str = "state";
///     const ENABLE: &'static str = "on";
///     const DISABLE: &'static str = "off";
/// }
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(subcommand)]
///     command: Command,
/// }
///
/// #[derive(Subcommand)]
/// enum Command {
///     /// Show or change whether anonymous analytics are sent.
///     Analytics(TelemetryArgs<OnOff>),
/// }
///
/// let Command::Analytics(args) = Cli::parse_from(["brew", "analytics", "off"]).command;
/// assert_eq!(args.command, TelemetryCommand::Disable);
/// assert!(Cli::try_parse_from(["brew", "analytics", "disable"]).is_err(), "only the product's verbs");
/// ```
pub trait Verbs {
    /// Shows whether telemetry is on, why, and where its state lives.
    const STATUS: &'static str;
    /// Turns it on.
    const ENABLE: &'static str;
    /// Turns it off (the last word of the schema's `consent.opt_out_command`).
    const DISABLE: &'static str;
}

/// `status`, `enable`, `disable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standard;

impl Verbs for Standard {
    const STATUS: &'static str = "status";
    const ENABLE: &'static str = "enable";
    const DISABLE: &'static str = "disable";
}

/// The subcommand: `<name> <status|enable|disable>`, in `V`'s words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TelemetryArgs<V: Verbs = Standard> {
    /// What to do.
    pub command: TelemetryCommand,
    verbs: PhantomData<fn() -> V>,
}

/// What the subcommand does, whatever its verbs are called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TelemetryCommand {
    /// Show whether telemetry is on, why, and where its state lives.
    Status,
    /// Turn telemetry on (environment variables such as DO_NOT_TRACK still win).
    Enable,
    /// Turn telemetry off and delete the anonymous id and anything not yet sent.
    Disable,
}

impl<V: Verbs> clap::FromArgMatches for TelemetryArgs<V> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let command = match matches.subcommand_name() {
            Some(v) if v == V::STATUS => TelemetryCommand::Status,
            Some(v) if v == V::ENABLE => TelemetryCommand::Enable,
            Some(v) if v == V::DISABLE => TelemetryCommand::Disable,
            _ => return Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand)),
        };
        Ok(TelemetryArgs { command, verbs: PhantomData })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<V: Verbs> clap::Args for TelemetryArgs<V> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.subcommand_required(true)
            .subcommand(
                clap::Command::new(V::STATUS)
                    .about("Show whether anonymous usage data is sent, why, and where its state lives"),
            )
            .subcommand(
                clap::Command::new(V::ENABLE)
                    .about("Send anonymous usage data (environment variables such as DO_NOT_TRACK still win)"),
            )
            .subcommand(
                clap::Command::new(V::DISABLE)
                    .about("Stop sending anonymous usage data and delete the anonymous id and anything not yet sent"),
            )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl<V: Verbs> TelemetryArgs<V> {
    /// Runs the subcommand, printing the resulting status to `out`.
    pub fn run_to(&self, builder: &Builder, out: &mut dyn Write) -> io::Result<Status> {
        let status = match self.command {
            TelemetryCommand::Status => builder.preview_status(),
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
