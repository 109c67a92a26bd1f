//! The write gate: every append to the events file and every spool write
//! goes through it. Under the state lock it re-reads the state file and
//! lets the write happen only if the install is still the one that started
//! this process: consent not withdrawn, and the same anonymous id. So once
//! `disable` (or a later `enable`, which makes a new id) has run, no process
//! that started before it can write the old id's events again.

use std::io;
use std::path::{Path, PathBuf};

use super::file::{Loaded, read};
use super::lock::lock;
use crate::consent::Choice;

/// Where this process may write, and under which install id.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    dir: PathBuf,
    owner: String,
}

impl Gate {
    /// A gate for writes in `dir` by the install whose stored id is `owner`.
    pub(crate) fn new(dir: PathBuf, owner: String) -> Self {
        Gate { dir, owner }
    }

    /// The state dir.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The stored anonymous id this process writes under.
    pub(crate) fn owner(&self) -> &str {
        &self.owner
    }

    /// Runs `write` under the state lock if the install is unchanged;
    /// otherwise writes nothing and says why.
    pub(crate) fn write<T>(&self, write: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
        let _lock = lock(&self.dir)?;
        match read(&self.dir) {
            Loaded::Ok(s) if s.consent.map(Choice::from) == Some(Choice::Disabled) => Err(refused("was disabled")),
            Loaded::Ok(s) if s.anonymous_id.as_deref() == Some(self.owner.as_str()) => write(),
            _ => Err(refused("state changed (a new anonymous id, or the state file was replaced)")),
        }
    }
}

fn refused(why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("telemetry {why} since this process started; nothing written"),
    )
}
