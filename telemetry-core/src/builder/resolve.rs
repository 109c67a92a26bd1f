//! The consent side of the builder: what applies here and why, without
//! starting anything (`status`), and saving the user's choice.

use std::io;
use std::path::PathBuf;

use super::Builder;
use crate::consent::{self, Choice, Mode, Reason};
use crate::env::EnvNames;
use crate::meta::Trigger;
use crate::notice::{notice_text, opt_out_text};
use crate::state::{self, Loaded};
use crate::status::{Status, destination};

/// Consent as resolved for this process, and what was read on the way.
pub(super) struct Resolved {
    pub mode: Mode,
    pub reason: Reason,
    pub dir: Option<PathBuf>,
    /// The state file, when consent needed the saved choice.
    pub loaded: Option<Loaded>,
    /// `<APP>_TELEMETRY_DEBUG` is on.
    pub debug: bool,
    pub names: EnvNames,
}

impl Resolved {
    /// The state file: as read for consent, or read now.
    pub(super) fn state(&self) -> Loaded {
        match &self.loaded {
            Some(l) => l.clone(),
            None => self.dir.as_deref().map(state::read).unwrap_or(Loaded::Missing),
        }
    }
}

impl Builder {
    pub(super) fn resolve(&self) -> Resolved {
        let names = EnvNames::for_app(self.meta.name);
        let dir = state::resolve_dir(self.meta.name, self.state_dir.as_deref(), self.env.get(&names.dir));
        let mut loaded = None;
        let (mode, reason) = consent::resolve(self.meta, &self.env, || {
            let l = dir.as_deref().map(state::read).unwrap_or(Loaded::Missing);
            let c = l.choice();
            loaded = Some(l);
            c
        });
        let debug = self.env.get(&names.debug).is_some_and(|v| Trigger::Truthy.fires(&v));
        Resolved { mode, reason, dir, loaded, debug, names }
    }

    pub(super) fn status_from(&self, r: &Resolved, anonymous_id: Option<String>, notes: Vec<String>) -> Status {
        let endpoint = self.endpoint.as_deref().map(|url| (url, self.format));
        Status {
            app: self.meta.name,
            mode: r.mode,
            reason: r.reason.clone(),
            state_dir: r.dir.clone(),
            anonymous_id,
            destination: destination(r.mode, r.debug, self.memory.is_some(), endpoint, r.dir.as_deref()),
            opt_out: opt_out_text(self.meta, self.opt_out_command.as_deref()),
            docs_url: self.meta.docs_url,
            notes,
        }
    }

    /// Whether telemetry would be on, and why, without starting anything or
    /// writing any file.
    pub fn status(&self) -> Status {
        let r = self.resolve();
        let mut notes = Vec::new();
        let id = match r.state() {
            Loaded::Ok(s) => s.anonymous_id,
            Loaded::Corrupt(why) => {
                notes.push(format!("{why}; `telemetry enable` or `telemetry disable` rewrites it"));
                None
            }
            Loaded::Missing => None,
        };
        self.status_from(&r, id, notes)
    }

    /// Persists "enabled" (for `telemetry enable`). Variables such as
    /// `DO_NOT_TRACK` still win: the returned status says what applies.
    pub fn enable(&self) -> io::Result<Status> {
        state::save_choice(&self.require_dir()?, Choice::Enabled)?;
        Ok(self.status())
    }

    /// Persists "disabled" (for `telemetry disable`), and deletes the
    /// anonymous id, the hashing key and any spooled events.
    pub fn disable(&self) -> io::Result<Status> {
        state::save_choice(&self.require_dir()?, Choice::Disabled)?;
        Ok(self.status())
    }

    fn require_dir(&self) -> io::Result<PathBuf> {
        self.resolve().dir.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("no config directory: set {}", EnvNames::for_app(self.meta.name).dir),
            )
        })
    }

    /// The first-run notice, as printed.
    pub fn notice_text(&self) -> String {
        notice_text(self.meta, self.opt_out_command.as_deref())
    }
}
