//! What a caller may choose about the generated files.

use crate::date::Date;

/// The command a generated file tells its readers to run after changing the
/// schema, unless [`Options::command`] says otherwise: the installable
/// `cargo-telemetry` binary.
pub const DEFAULT_COMMAND: &str = "cargo telemetry docs";

/// Options of the renderers.
///
/// ```
/// let options = telemetry_schema::render::Options::default().command("cargo xtask docs");
/// assert_eq!(options.command, "cargo xtask docs");
/// assert_eq!(telemetry_schema::render::Options::default().command, "cargo telemetry docs");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The command that regenerates the files, named in each file's header
    /// (the page's "Do not edit" comment, the payload schema's description).
    /// Readers of a project's docs run this, so it should be the project's own
    /// (say `cargo xtask docs` when a project wraps the library in its xtask).
    pub command: String,
    /// The day the page is judged on: events whose `expires` date is this day
    /// or earlier are marked expired. Default: today ([`Date::today`]).
    pub today: Date,
}

impl Default for Options {
    fn default() -> Self {
        Options { command: DEFAULT_COMMAND.to_string(), today: Date::today() }
    }
}

impl Options {
    /// These options with `command` as the regeneration command.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// These options judging expiry as of `today` (tests, reproducible builds).
    pub fn today(mut self, today: Date) -> Self {
        self.today = today;
        self
    }
}
