//! The write gate: every append to the events file and every spool write
//! goes through it. Under the state lock it re-reads the state file and
//! lets the write happen only if the install is still the one that started
//! this process: consent not withdrawn, and the same anonymous id. So once
//! `disable` (or a later `enable`, which makes a new id) has run, no process
//! that started before it can write the old id's events again. An app that
//! keeps no id (`identity: run` or `none`) has only the first check.

use std::io;
use std::path::{Path, PathBuf};

use super::file::{Loaded, read};
use super::lock::lock;
use crate::consent::Choice;

/// Where this process may write, and under which install id.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    dir: PathBuf,
    /// `None` for an app that keeps no id.
    owner: Option<String>,
}

impl Gate {
    /// A gate for writes in `dir` by the install whose stored id is `owner`.
    pub(crate) fn new(dir: PathBuf, owner: String) -> Self {
        Gate { dir, owner: Some(owner) }
    }

    /// A gate for writes in `dir` by an app that keeps no id: refused once
    /// telemetry is disabled.
    pub(crate) fn unstored(dir: PathBuf) -> Self {
        Gate { dir, owner: None }
    }

    /// The state dir.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The stored anonymous id this process writes under, if the app keeps one.
    pub(crate) fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }

    /// Runs `write` under the state lock if the install is unchanged;
    /// otherwise writes nothing and says why.
    pub(crate) fn write<T>(&self, write: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
        let _lock = lock(&self.dir)?;
        match read(&self.dir) {
            Loaded::Ok(s) if s.consent.map(Choice::from) == Some(Choice::Disabled) => Err(refused("was disabled")),
            Loaded::Ok(s) if self.owner.is_none() || s.anonymous_id == self.owner => write(),
            // Never disabled (`disable` writes the file), and no id to compare.
            Loaded::Missing if self.owner.is_none() => write(),
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
