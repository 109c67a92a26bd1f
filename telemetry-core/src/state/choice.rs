//! Saving the user's choice (`telemetry enable` / `telemetry disable`).
//! Disabling erases what the install kept: the id, the key, the spool and
//! the local events file with its rotations. All of it happens under the
//! state lock, so a writer that started before cannot slip in between; the
//! write gate stops it afterwards.

use std::fs;
use std::io;
use std::path::Path;

use super::file::{EVENTS_FILE, Loaded, METRICS_FILE, SPOOL_DIR, StateData, read, write};
use super::lock::lock;
use crate::consent::Choice;

/// Saves `choice` in `dir`; returns whether anything changed. Enabling when
/// already enabled (saved, or by default with no saved choice) writes
/// nothing. Disabling always erases (again, if need be).
pub(crate) fn save_choice(dir: &Path, choice: Choice, enabled_by_default: bool) -> io::Result<bool> {
    let enabled_already = |loaded: &Loaded| match loaded {
        Loaded::Ok(s) => s.consent.map_or(enabled_by_default, |c| Choice::from(c) == Choice::Enabled),
        Loaded::Missing => enabled_by_default,
        _ => false,
    };
    // Checked before locking too: enabling what is on creates not even the lock file.
    if choice == Choice::Enabled && enabled_already(&read(dir)) {
        return Ok(false);
    }
    let _lock = lock(dir)?;
    let loaded = read(dir);
    if choice == Choice::Enabled && enabled_already(&loaded) {
        return Ok(false);
    }
    let saved = match &loaded {
        Loaded::Ok(s) => s.consent.map(Choice::from),
        _ => None,
    };
    // An untrusted or corrupt file is replaced whole: nothing of it is kept.
    let mut st = match loaded {
        Loaded::Ok(s) => s,
        _ => StateData::default(),
    };
    st.version = 1;
    st.consent = Some(choice.into());
    if choice == Choice::Disabled {
        st.anonymous_id = None;
        st.key = None;
    }
    write(dir, &st)?;
    if choice == Choice::Disabled {
        erase(dir)?;
    }
    Ok(saved != Some(choice))
}

/// Deletes the spool, the metrics aggregate and the events file with its rotations. Only names
/// inside `dir` are removed: a link is removed, never what it points to
/// (`remove_file` and `remove_dir_all` do not follow a link they are given).
fn erase(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir.join(SPOOL_DIR)) {
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => fs::remove_file(dir.join(SPOOL_DIR))?,
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    match fs::remove_file(dir.join(METRICS_FILE)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let rotation =
        |name: &str| name.strip_prefix(EVENTS_FILE).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'));
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_str().is_some_and(rotation) {
            match fs::remove_file(entry.path()) {
                // A directory planted at the name is not ours to empty.
                Err(e) if e.kind() != io::ErrorKind::NotFound && !entry.path().is_dir() => return Err(e),
                _ => {}
            }
        }
    }
    Ok(())
}
