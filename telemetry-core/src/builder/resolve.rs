//! The consent side of the builder: what applies here and why, without
//! starting anything (`status`), and saving the user's choice.

use std::io;
use std::path::PathBuf;

use super::{Builder, TEST_ANONYMOUS_ID};
use crate::consent::{self, Choice, Mode, Reason, Words};
use crate::env::EnvNames;
use crate::meta::{FirstRun, Identity, Trigger};
use crate::notice::{notice_text, opt_out_text};
use crate::state::{self, Loaded, StateDir, id_override};
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
        if self.test.fixed_key.is_some() {
            return Resolved { mode: Mode::On, reason: Reason::ForTests, dir: None, loaded: None, debug: false, names };
        }
        let (dir, unusable) =
            match state::resolve_dir(self.meta.name, self.state_dir.as_deref(), self.test.env.get_os(&names.dir)) {
                StateDir::At(d) => (Some(d), None),
                StateDir::Nowhere => (None, None),
                StateDir::Unusable(why) => (None, Some(why)),
            };
        let mut loaded = None;
        let (mut mode, mut reason) = consent::resolve(self.meta, &self.test.env, || {
            let l = dir.as_deref().map(state::read).unwrap_or(Loaded::Missing);
            let c = l.choice();
            loaded = Some(l);
            c
        });
        // State kept anywhere but where the user pointed it would be state
        // they cannot find, inspect or erase: off instead.
        if let Some(why) = unusable
            && mode != Mode::Off
        {
            (mode, reason) = (Mode::Off, Reason::StateDirUnusable { variable: names.dir.clone(), why });
        }
        let debug = self.test.env.get(&names.debug).is_some_and(|v| Trigger::Truthy.fires(&v));
        Resolved { mode, reason, dir, loaded, debug, names }
    }

    /// The variables that may override the anonymous id, in order: the
    /// schema's own (the product's documented one), then ours.
    pub(super) fn id_vars<'a>(&'a self, names: &'a EnvNames) -> impl Iterator<Item = &'a str> {
        let install = self.meta.identity == Identity::Install;
        self.meta.anonymous_id_env.into_iter().chain([names.anonymous_id.as_str()]).filter(move |_| install)
    }

    pub(super) fn status_from(&self, r: &Resolved, id: Option<(String, Option<String>)>, notes: Vec<String>) -> Status {
        let endpoint = self.endpoint.as_deref().map(|url| (url, self.format));
        let (anonymous_id, anonymous_id_source) = id.map_or((None, None), |(id, source)| (Some(id), source));
        Status {
            app: self.meta.name,
            mode: r.mode,
            reason: r.reason.clone(),
            state_dir: r.dir.clone(),
            anonymous_id,
            anonymous_id_source,
            identity: self.meta.identity,
            destination: destination(r.mode, r.debug, self.test.memory.is_some(), endpoint, r.dir.as_deref()),
            opt_out: opt_out_text(self.meta, self.opt_out_cmd()),
            docs_url: self.meta.docs_url,
            notes,
            changed: false,
            words: self.words(),
        }
    }

    /// Whether telemetry would be on, and why, without starting anything or
    /// writing any file. The id shown is the one that would be sent: an
    /// override (named in [`Status::anonymous_id_source`]) or the stored one.
    ///
    /// A preview: [`crate::Telemetry::status`] says what `build()` decided
    /// for the handle it made (this process's notes included).
    ///
    /// ```
    /// use telemetry_core::{EnvSource, Mode, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let dir = std::env::temp_dir().join(format!("preview-status-doc-{}", std::process::id()));
    /// let builder = Telemetry::builder(&APP).state_dir(&dir);
    /// # let builder = builder.with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]));
    /// let preview = builder.preview_status();
    /// assert_eq!((preview.mode, preview.anonymous_id), (Mode::On, None)); // no id made yet
    /// assert!(!dir.exists(), "nothing written");
    /// ```
    pub fn preview_status(&self) -> Status {
        let r = self.resolve();
        if self.test.fixed_key.is_some() {
            let id = (self.meta.identity != Identity::None).then(|| (TEST_ANONYMOUS_ID.into(), None));
            return self.status_from(&r, id, Vec::new());
        }
        let mut notes = Vec::new();
        let mut notice_shown = false;
        let stored = match r.state() {
            Loaded::Ok(s) => {
                notice_shown = s.notice_shown;
                s.anonymous_id
            }
            Loaded::Untrusted(_, why) => {
                notes.push(format!("{why}; its id and key are not used ({})", self.words().rewrite_hint()));
                None
            }
            // Already the reason when consent needed the file; a note when a variable decided.
            Loaded::Corrupt(why) if !matches!(r.reason, Reason::StateUnreadable { .. }) => {
                notes.push(format!("{why}; {}", self.words().rewrite_hint()));
                None
            }
            Loaded::Corrupt(_) | Loaded::Missing => None,
        };
        // An app that keeps no id reads none: a stored one (an earlier
        // version's) is erased by the next run, and no variable sets one.
        let id = match id_override(self.id_vars(&r.names), &self.test.env, &mut notes) {
            _ if self.meta.identity != Identity::Install => None,
            Some((var, id)) => Some((id, Some(var.to_string()))),
            None => stored.map(|id| (id, None)),
        };
        if r.mode == Mode::On && self.meta.first_run == FirstRun::NoticeFirst && self.notice && !notice_shown {
            notes.push(
                "nothing is sent until the first-run notice has been shown: the next run shows it and sends nothing; \
                 the runs after it send"
                    .into(),
            );
        }
        self.status_from(&r, id, notes)
    }

    /// `status` after saving `choice`, with a note when a variable that
    /// comes first keeps the choice from applying (`DO_NOT_TRACK=1` and
    /// `enable`): the user learns the choice was kept, and why it does not show.
    fn after_choice(&self, choice: Choice, changed: bool) -> Status {
        let mut status = self.preview_status();
        let applies = match choice {
            Choice::Enabled => status.mode == Mode::On,
            Choice::Disabled => status.mode == Mode::Off,
        };
        if !applies {
            let what = if choice == Choice::Enabled { "enabled" } else { "disabled" };
            let saved = if changed {
                format!("your choice is saved (telemetry {what}), but it")
            } else {
                format!("telemetry was already {what}, but that")
            };
            status.notes.push(format!("{saved} does not apply while {}: that comes first", status.reason));
        }
        Status { changed, ..status }
    }

    /// Persists "enabled" (for `telemetry enable`). Variables such as
    /// `DO_NOT_TRACK` still win: the returned status says what applies.
    /// When telemetry is already enabled (saved, or on by default with no
    /// saved choice) nothing is written and [`Status::changed`] is false.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, Mode, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let dir = std::env::temp_dir().join(format!("enable-doc-{}", std::process::id()));
    /// let builder = Telemetry::builder(&APP).state_dir(&dir);
    /// # let builder = builder.with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]));
    /// let status = builder.enable().unwrap();
    /// assert_eq!((status.mode, status.changed), (Mode::On, false)); // on by default already
    /// ```
    pub fn enable(&self) -> io::Result<Status> {
        let changed = state::save_choice(&self.require_dir()?, Choice::Enabled, self.meta.enabled_by_default)?;
        Ok(self.after_choice(Choice::Enabled, changed))
    }

    /// Persists "disabled" (for `telemetry disable`), and deletes the
    /// anonymous id, the hashing key, any spooled events and the local
    /// events file with its rotations. A process already running can write
    /// none of them again: its writes check the state first.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, Mode, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let dir = std::env::temp_dir().join(format!("disable-doc-{}", std::process::id()));
    /// let builder = Telemetry::builder(&APP).state_dir(&dir);
    /// # let builder = builder.with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]));
    /// let status = builder.disable().unwrap();
    /// assert_eq!((status.mode, status.changed), (Mode::Off, true));
    /// assert_eq!(builder.preview_status().mode, Mode::Off);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn disable(&self) -> io::Result<Status> {
        let changed = state::save_choice(&self.require_dir()?, Choice::Disabled, self.meta.enabled_by_default)?;
        Ok(self.after_choice(Choice::Disabled, changed))
    }

    fn require_dir(&self) -> io::Result<PathBuf> {
        let r = self.resolve();
        if let Reason::StateDirUnusable { .. } = r.reason {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, r.reason.to_string()));
        }
        r.dir.ok_or_else(|| {
            let hint = if self.test.fixed_key.is_some() {
                "a `for_tests` handle has no state".to_string()
            } else {
                format!("set {}", EnvNames::for_app(self.meta.name).dir)
            };
            io::Error::new(io::ErrorKind::NotFound, format!("no config directory: {hint}"))
        })
    }

    /// The opt-out command: the builder's, else the schema's.
    /// The product's words for `status`: its term, its opt-out command.
    fn words(&self) -> Words {
        Words { term: self.meta.term, disable_command: self.opt_out_cmd().map(str::to_string) }
    }

    fn opt_out_cmd(&self) -> Option<&str> {
        self.opt_out_command.as_deref().or(self.meta.opt_out_command)
    }

    /// The first-run notice, as printed.
    ///
    /// ```
    /// use telemetry_core::Telemetry;
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// assert!(Telemetry::builder(&APP).notice_text().contains("https://example.org/example-cli/telemetry"));
    /// ```
    pub fn notice_text(&self) -> String {
        notice_text(self.meta, self.opt_out_cmd())
    }
}
