//! My App: counts the lines of its input, and reports anonymous usage
//! telemetry against `telemetry/app.yaml`.
#![forbid(unsafe_code)]

use std::io::BufRead;
use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryEnum, TelemetryEvent};

/// The schema's app, consent rules and context, checked at compile time.
pub static APP: AppMeta = telemetry_core::app_meta!("../telemetry/app.yaml");

/// The commands of My App.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum Command {
    /// Count the lines of standard input.
    Count,
    /// Check that standard input is readable text.
    Check,
}

/// A command started.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../telemetry/app.yaml")]
pub struct CommandStarted {
    /// Which command.
    pub command: Command,
}

/// The `count` command read its input. The schema forbids `input_text`: adding
/// it to this struct would not compile.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../telemetry/app.yaml")]
pub struct InputCounted<'a> {
    /// Lines read.
    pub lines: u64,
    /// Only its keyed hash leaves the machine.
    pub project: &'a str,
}

/// What went wrong.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum Kind {
    /// Bad arguments.
    Usage,
    /// The input could not be read.
    Io,
}

/// A command stopped with an error.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../telemetry/app.yaml")]
pub struct CommandFailed {
    /// What went wrong; the message itself is forbidden by the schema.
    pub kind: Kind,
}

/// Runs `my-app <count|check> PROJECT` over `input`, recording what the
/// schema allows. Returns the text to print, or the error message.
pub fn run(args: &[String], input: impl BufRead, telemetry: &Telemetry) -> Result<String, String> {
    let (command, project) = match args {
        [c, p] if c == "count" => (Command::Count, p),
        [c, p] if c == "check" => (Command::Check, p),
        _ => {
            telemetry.record(&CommandFailed { kind: Kind::Usage });
            return Err("usage: my-app <count|check> PROJECT < input".to_string());
        }
    };
    telemetry.record(&CommandStarted { command });
    let mut lines = 0u64;
    for line in input.lines() {
        if let Err(e) = line {
            telemetry.record(&CommandFailed { kind: Kind::Io });
            return Err(format!("error: cannot read the input: {e}"));
        }
        lines += 1;
    }
    match command {
        Command::Count => {
            telemetry.record(&InputCounted { lines, project });
            Ok(format!("{project}: {lines} lines"))
        }
        Command::Check => Ok(format!("{project}: readable")),
    }
}
