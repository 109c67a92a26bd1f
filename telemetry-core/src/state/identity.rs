//! The install's identity: its anonymous id and hashing key, made on the
//! first run that has telemetry on, and the "notice shown" flag beside them.
//! Read and rewritten under the state lock, so processes starting together
//! agree on one identity in every state (first run, after `enable`, after a
//! corrupt file was rewritten). Consent read from the file before the lock
//! is checked again under it: a `disable` in between ends the run off.

use std::io;
use std::path::Path;

use super::file::{Loaded, StateData, create, read, write};
use super::gate::Gate;
use super::key::{new_key_hex, parse_key, valid_uuid};
use super::lock::{StateLock, lock};
use crate::consent::Choice;
use crate::env::EnvSource;

/// The id and key this process uses, and whether to show the notice now.
#[derive(Debug)]
pub(crate) struct Identity {
    /// The id that is sent: the stored one, or an override.
    pub anonymous_id: String,
    pub key: [u8; 32],
    pub show_notice: bool,
    /// Where this process may write, under the stored id; `None` for a
    /// process-only identity, which never writes into the state dir.
    pub gate: Option<Gate>,
    /// The variable that overrode the stored id, if one did.
    pub id_source: Option<String>,
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
    /// Consent came from the state file, read before the lock: under the
    /// lock a "disabled" found there (a `disable` ran in between) ends the
    /// run off instead.
    pub consent_read: bool,
}

/// Why no identity was made: the run stays off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoIdentity {
    /// The system has no randomness to make a key.
    NoRandomness,
    /// Consent, read as on before the lock, says "disabled" under it:
    /// nothing was written.
    Disabled,
}

impl Install<'_> {
    /// The identity: when persisting, read and completed under the state
    /// lock (`loaded`, read earlier for consent, is re-read there);
    /// otherwise from `loaded`. Falls back to process-only values, with a
    /// note, when state cannot be trusted or written.
    pub(crate) fn identity(&self, loaded: Loaded, notes: &mut Vec<String>) -> Result<Identity, NoIdentity> {
        let Some(dir) = self.dir.filter(|_| self.persist) else {
            return self.read_only(loaded, notes).ok_or(NoIdentity::NoRandomness);
        };
        // What this path uses instead, in its notes.
        const INSTEAD: &str = "; using a process-only id and key";
        let identity = match Locked::take(dir, INSTEAD, self.consent_read, notes)? {
            Some(locked) => self.stored(dir, locked, INSTEAD, notes),
            None => process_only(self.notice),
        };
        identity.ok_or(NoIdentity::NoRandomness)
    }

    /// The stored id and key, completed (and saved) under the lock.
    fn stored(&self, dir: &Path, mut locked: Locked, instead: &str, notes: &mut Vec<String>) -> Option<Identity> {
        let st = &mut locked.state;
        let changed = complete(st)?;
        // Claimed now, under the lock, so that two first runs do not both
        // show it; given back by `unmark_notice` if it could not be written.
        let show_notice = self.notice && !st.notice_shown;
        st.notice_shown |= show_notice;
        let saved = !(changed || show_notice) || locked.save(dir, instead, notes);
        let st = locked.state;
        let key = parse_key(st.key.as_deref()?)?;
        let id = st.anonymous_id?;
        if !saved {
            return Some(Identity { key, ..fresh(id, show_notice) });
        }
        let gate = Some(Gate::new(dir.to_path_buf(), id.clone()));
        Some(Identity { anonymous_id: id, key, show_notice, gate, id_source: None })
    }

    /// Log-only, or no state dir: what is stored, or process-only values; nothing written.
    fn read_only(&self, loaded: Loaded, notes: &mut Vec<String>) -> Option<Identity> {
        match loaded {
            Loaded::Ok(mut st) => {
                complete(&mut st)?;
                let key = parse_key(st.key.as_deref()?)?;
                Some(Identity { key, ..fresh(st.anonymous_id?, false) })
            }
            Loaded::Untrusted(_, why) | Loaded::Corrupt(why) => {
                notes.push(format!("{why}; using a process-only id and key"));
                process_only(false)
            }
            Loaded::Missing => {
                if self.persist && self.dir.is_none() {
                    notes.push("no config directory; using a process-only id and key".into());
                }
                process_only(self.persist && self.notice)
            }
        }
    }
}

impl Install<'_> {
    /// For an app that keeps no id (`identity: run` or `none`): an id and
    /// key for this process only, never stored. When persisting, under the
    /// lock, the notice is claimed and an id or key an earlier version of
    /// the app stored is erased, so the state dir holds nothing that
    /// identifies the install: only the choice and the notice flag. `None`
    /// when the system has no randomness for a key.
    pub(crate) fn unstored(&self, loaded: Loaded, notes: &mut Vec<String>) -> Result<Identity, NoIdentity> {
        let Some(dir) = self.dir.filter(|_| self.persist) else {
            if let Loaded::Untrusted(_, why) | Loaded::Corrupt(why) = loaded {
                notes.push(why);
            }
            if self.persist && self.dir.is_none() {
                notes.push("no config directory; the notice cannot be marked shown".into());
            }
            return process_only(self.persist && self.notice).ok_or(NoIdentity::NoRandomness);
        };
        let Some(mut locked) = Locked::take(dir, "", self.consent_read, notes)? else {
            return process_only(self.notice).ok_or(NoIdentity::NoRandomness);
        };
        let st = &mut locked.state;
        let show_notice = self.notice && !st.notice_shown;
        st.notice_shown |= show_notice;
        let erased = st.anonymous_id.take().is_some() | st.key.take().is_some();
        if (erased || show_notice) && !locked.save(dir, "", notes) {
            return process_only(show_notice).ok_or(NoIdentity::NoRandomness);
        }
        let gate = Some(Gate::unstored(dir.to_path_buf()));
        Ok(Identity { gate, ..process_only(show_notice).ok_or(NoIdentity::NoRandomness)? })
    }
}

/// The state file read under the state lock, for one read-modify-write.
struct Locked {
    _lock: StateLock,
    state: StateData,
    /// There was no state file: it is created, never replaced, so that two
    /// first runs cannot each keep an identity of their own.
    first_run: bool,
}

impl Locked {
    /// Takes `dir`'s lock and reads its state. `Ok(None)`, with a note,
    /// when the lock cannot be taken or the file cannot be used (left as
    /// it is); `instead` ends the note with what the caller uses instead.
    /// `Err`: `consent_read` (consent came from this file, read before the
    /// lock) and the file now says "disabled": nothing is written.
    fn take(
        dir: &Path,
        instead: &str,
        consent_read: bool,
        notes: &mut Vec<String>,
    ) -> Result<Option<Locked>, NoIdentity> {
        let lock = match lock(dir) {
            Ok(l) => l,
            Err(e) => {
                notes.push(format!("cannot save state in {}: {e}{instead}", dir.display()));
                return Ok(None);
            }
        };
        let loaded = read(dir);
        if consent_read && matches!(loaded.choice(), Ok(Some(Choice::Disabled))) {
            return Err(NoIdentity::Disabled);
        }
        let (state, first_run) = match loaded {
            Loaded::Ok(s) => (s, false),
            Loaded::Missing => (StateData { version: 1, ..StateData::default() }, true),
            Loaded::Untrusted(_, why) | Loaded::Corrupt(why) => {
                notes.push(format!("{why}{instead} (`telemetry enable` or `telemetry disable` rewrites it)"));
                return Ok(None);
            }
        };
        Ok(Some(Locked { _lock: lock, state, first_run }))
    }

    /// Writes the state back; `false`, with a note, when it cannot be.
    fn save(&self, dir: &Path, instead: &str, notes: &mut Vec<String>) -> bool {
        let written = if self.first_run { create(dir, &self.state) } else { write(dir, &self.state) };
        if let Err(e) = &written {
            notes.push(format!("cannot save state in {}: {e}{instead}", dir.display()));
        }
        written.is_ok()
    }
}

/// Gives back the notice claimed by [`Install::identity`]: it could not be
/// written (stderr closed), so the next run shows it.
pub(crate) fn unmark_notice(gate: &Gate) -> io::Result<()> {
    gate.write(|| match read(gate.dir()) {
        Loaded::Ok(mut st) => {
            st.notice_shown = false;
            write(gate.dir(), &st)
        }
        _ => Ok(()),
    })
}

/// Fills in a missing or invalid id or key; whether anything changed.
/// `None` when there is no randomness for a key.
fn complete(st: &mut StateData) -> Option<bool> {
    let mut changed = false;
    if !st.anonymous_id.as_deref().is_some_and(valid_uuid) {
        st.anonymous_id = Some(uuid::Uuid::new_v4().to_string());
        changed = true;
    }
    if st.key.as_deref().and_then(parse_key).is_none() {
        st.key = Some(new_key_hex()?);
        changed = true;
    }
    Some(changed)
}

/// An identity that is not written anywhere, with a zero key (replaced by the caller).
fn fresh(anonymous_id: String, show_notice: bool) -> Identity {
    Identity { anonymous_id, key: [0; 32], show_notice, gate: None, id_source: None }
}

/// A new id and key for this process only.
fn process_only(show_notice: bool) -> Option<Identity> {
    let key = parse_key(&new_key_hex()?)?;
    Some(Identity { key, ..fresh(uuid::Uuid::new_v4().to_string(), show_notice) })
}

impl Identity {
    /// Uses the id set in the first of `vars` that is set (for one process),
    /// if it is a UUID; otherwise keeps the stored id and notes why.
    pub(crate) fn override_from<'v>(
        &mut self,
        vars: impl IntoIterator<Item = &'v str>,
        env: &EnvSource,
        notes: &mut Vec<String>,
    ) {
        if let Some((var, id)) = id_override(vars, env, notes) {
            self.anonymous_id = id;
            self.id_source = Some(var.to_string());
        }
    }
}

/// The first of `vars` that is set and non-empty, if it holds a UUID
/// (lowercased); a value that is not one is noted and ignored.
pub(crate) fn id_override<'v>(
    vars: impl IntoIterator<Item = &'v str>,
    env: &EnvSource,
    notes: &mut Vec<String>,
) -> Option<(&'v str, String)> {
    let (var, value) = vars.into_iter().find_map(|v| Some((v, env.get_os(v).filter(|x| !x.is_empty())?)))?;
    match value.to_str().filter(|id| valid_uuid(id)) {
        Some(id) => Some((var, id.to_lowercase())),
        None => {
            notes.push(format!(
                "{var} is set to {:?}, which is not a UUID; ignored, the stored anonymous id is used",
                value.to_string_lossy()
            ));
            None
        }
    }
}
