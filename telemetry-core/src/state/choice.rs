//! Saving the user's choice (`telemetry enable` / `telemetry disable`).

use std::io;
use std::path::Path;

use super::file::{Loaded, SPOOL_DIR, StateData, read, write};
use crate::consent::Choice;

/// Saves `choice` in `dir`. Disabling also forgets the anonymous id and the
/// hashing key, and deletes any spooled events.
pub(crate) fn save_choice(dir: &Path, choice: Choice) -> io::Result<()> {
    let mut st = match read(dir) {
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
        match std::fs::remove_dir_all(dir.join(SPOOL_DIR)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}
