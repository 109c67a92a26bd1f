//! What `telemetry status` prints: whether telemetry is on, why, and where
//! events and state go.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::consent::{Mode, Reason, Words};
use crate::format::WireFormat;
use crate::meta::Identity;
use crate::state::EVENTS_FILE;

/// Whether telemetry is on, why, and where its state and events go.
///
/// Its `Display` is what `telemetry status` prints (the anonymous id only
/// while telemetry is on: while off, none is sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The app.
    pub app: &'static str,
    /// On, off or log-only.
    pub mode: Mode,
    /// What decided it.
    pub reason: Reason,
    /// Where install state lives (whether or not it exists yet).
    pub state_dir: Option<PathBuf>,
    /// The anonymous id that is sent, when one exists (status never
    /// creates one): an override's, or the stored one.
    pub anonymous_id: Option<String>,
    /// The variable that set [`Status::anonymous_id`] for this process
    /// (`<APP>_ANONYMOUS_ID`, or the schema's `app.anonymous_id_env`);
    /// `None` when it is the stored id.
    pub anonymous_id_source: Option<String>,
    /// Which id the app's events carry (the schema's `app.identity`).
    pub identity: Identity,
    /// Where events go, in words.
    pub destination: String,
    /// How to opt out, in words.
    pub opt_out: String,
    /// The "what we collect" page.
    pub docs_url: Option<&'static str>,
    /// Anything unusual: a corrupt or unwritable state file, an ignored variable.
    pub notes: Vec<String>,
    /// `enable()` / `disable()` changed the saved choice. Always false from
    /// `status()`, and from `enable()` when telemetry was already enabled.
    pub changed: bool,
    /// The product's term and opt-out command, for the printed text.
    pub(crate) words: Words,
}

impl Status {
    /// Whether events are recorded (on, or log-only).
    pub fn enabled(&self) -> bool {
        self.mode != Mode::Off
    }

    /// The status of a run that consent put on but that cannot record:
    /// off, `why`, and events going nowhere.
    pub(crate) fn unavailable(self, why: String) -> Status {
        self.off(Reason::Unavailable { why })
    }

    /// The status of a run that consent put on but that ends off for
    /// `reason`: events going nowhere, not where consent would have sent them.
    pub(crate) fn off(mut self, reason: Reason) -> Status {
        (self.mode, self.reason) = (Mode::Off, reason);
        self.destination = destination(Mode::Off, false, false, None, None);
        self
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = match self.mode {
            Mode::On => "on",
            Mode::Off => "off",
            Mode::LogOnly => "log-only",
        };
        writeln!(f, "{} is {mode}: {}.", self.words.term_capitalized(), self.reason.in_words(&self.words))?;
        writeln!(f, "  Events go to:  {}", self.destination)?;
        match &self.state_dir {
            Some(d) => writeln!(f, "  State:         {}", d.display())?,
            None => writeln!(f, "  State:         nowhere (no config directory)")?,
        }
        // While off, no id is sent: showing one would suggest otherwise.
        match (&self.anonymous_id, &self.anonymous_id_source, self.identity) {
            _ if self.mode == Mode::Off => {}
            (_, _, Identity::None) => writeln!(f, "  Anonymous id:  none: events carry no id")?,
            (Some(id), _, Identity::Run) => {
                writeln!(f, "  Anonymous id:  {id} (this run only: a new one each run, never stored)")?
            }
            (None, _, Identity::Run) => writeln!(f, "  Anonymous id:  a new one each run, never stored")?,
            (Some(id), Some(var), Identity::Install) => {
                writeln!(f, "  Anonymous id:  {id} (set by {var} for this process)")?
            }
            (Some(id), None, Identity::Install) => writeln!(f, "  Anonymous id:  {id}")?,
            (None, _, Identity::Install) => {}
        }
        if let Some(url) = self.docs_url {
            writeln!(f, "  What is sent:  {url}")?;
        }
        if self.mode != Mode::Off {
            writeln!(f, "  Opt out:       {}", self.opt_out)?;
        }
        for n in &self.notes {
            writeln!(f, "  Note: {n}")?;
        }
        Ok(())
    }
}

/// Where events go, in words, for [`Status::destination`].
pub(crate) fn destination(
    mode: Mode,
    debug: bool,
    memory: bool,
    endpoint: Option<(&str, WireFormat)>,
    dir: Option<&Path>,
) -> String {
    match mode {
        Mode::Off => "nowhere (telemetry is off)".into(),
        Mode::LogOnly => "stderr, one line per event (log only: nothing is sent or stored)".into(),
        Mode::On if debug => "stderr, as pretty JSON (debug: nothing is sent or stored)".into(),
        Mode::On if memory => "memory (in-process; nothing is sent or stored)".into(),
        Mode::On => match (endpoint, dir) {
            (Some((url, format)), _) => format!("{url} ({} format)", format.name()),
            (None, Some(d)) => format!("{} (JSON lines; nothing is sent)", d.join(EVENTS_FILE).display()),
            (None, None) => "nowhere: no config directory for the events file".into(),
        },
    }
}
