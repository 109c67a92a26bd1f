//! The install's identity: its anonymous id and hashing key, made on the
//! first run that has telemetry on, and the "notice shown" flag beside them.

use std::io;
use std::path::Path;

use super::file::{Loaded, StateData, create, read, write};
use super::key::{new_key_hex, parse_key, valid_uuid};
use crate::env::EnvSource;

/// The id and key this process uses, and whether to show the notice now.
#[derive(Debug)]
pub(crate) struct Identity {
    pub anonymous_id: String,
    pub key: [u8; 32],
    pub show_notice: bool,
}

/// Where the identity is kept, and what may be done with it.
pub(crate) struct Install<'a> {
    /// The state dir, if there is one.
    pub dir: Option<&'a Path>,
    /// Telemetry is on: create and save what is missing. Otherwise
    /// (log-only) nothing is written and the notice is not shown.
    pub persist: bool,
    /// The app wants the first-run notice.
    pub notice: bool,
}

impl Install<'_> {
    /// The identity from `loaded` (the state file as read), creating and
    /// saving the id, key and notice flag when persisting. Falls back to
    /// process-only values, with a note, when state is corrupt or cannot be
    /// written. `None` when the system has no randomness for a key.
    pub(crate) fn identity(&self, loaded: Loaded, notes: &mut Vec<String>) -> Option<Identity> {
        let fresh_id = || uuid::Uuid::new_v4().to_string();
        let first_run = matches!(loaded, Loaded::Missing);
        let mut st = match loaded {
            Loaded::Ok(s) => s,
            Loaded::Missing => StateData { version: 1, ..StateData::default() },
            Loaded::Corrupt(why) => {
                notes.push(format!(
                    "{why}; using a process-only id and key (`telemetry enable` or `telemetry disable` rewrites it)"
                ));
                let key = parse_key(&new_key_hex()?)?;
                return Some(Identity { anonymous_id: fresh_id(), key, show_notice: self.persist && self.notice });
            }
        };
        let mut changed = false;
        if !st.anonymous_id.as_deref().is_some_and(valid_uuid) {
            st.anonymous_id = Some(fresh_id());
            changed = true;
        }
        let key = match st.key.as_deref().and_then(parse_key) {
            Some(k) => k,
            None => {
                let hex = new_key_hex()?;
                let k = parse_key(&hex)?;
                st.key = Some(hex);
                changed = true;
                k
            }
        };
        let show_notice = self.persist && self.notice && !st.notice_shown;
        if show_notice {
            st.notice_shown = true;
            changed = true;
        }
        if self.persist && changed {
            let written = match self.dir {
                // A first run creates the file only if still absent: when another
                // process starting at the same time won, use its identity.
                Some(dir) if first_run => match create(dir, &st) {
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match read(dir) {
                        won @ Loaded::Ok(_) => return self.identity(won, notes),
                        _ => write(dir, &st),
                    },
                    other => other,
                },
                Some(dir) => write(dir, &st),
                None => Err(io::Error::other("no config directory")),
            };
            let written = written.map_err(|e| match self.dir {
                Some(dir) => format!("cannot save state in {}: {e}", dir.display()),
                None => e.to_string(),
            });
            if let Err(why) = written {
                notes.push(format!("{why}; using a process-only id and key"));
            }
        }
        let anonymous_id = st.anonymous_id.unwrap_or_else(fresh_id);
        Some(Identity { anonymous_id, key, show_notice })
    }
}

impl Identity {
    /// Uses the id set in the first of `vars` that is set (for one process),
    /// if it is a UUID; notes it otherwise.
    pub(crate) fn override_from<'v>(
        &mut self,
        vars: impl IntoIterator<Item = &'v str>,
        env: &EnvSource,
        notes: &mut Vec<String>,
    ) {
        let set = vars.into_iter().filter_map(|v| Some((v, env.get(v).filter(|x| !x.is_empty())?))).next();
        if let Some((var, id)) = set {
            if valid_uuid(&id) {
                self.anonymous_id = id.to_lowercase();
            } else {
                notes.push(format!("{var} is not a UUID; ignored"));
            }
        }
    }
}
