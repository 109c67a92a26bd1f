//! Install state: one small JSON file in the app's config dir (anonymous
//! id, hashing key, choice, notice shown), written atomically with
//! owner-only permissions, beside the spool and the events file. Files are
//! opened without following links and trusted only when ours (`safe`);
//! one lock per dir (`lock`) orders identity, choice and event writes, and
//! writes pass the `gate`, which refuses them once consent is withdrawn.

mod choice;
mod file;
mod gate;
mod identity;
mod key;
mod lock;
mod private;
mod safe;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub(crate) use choice::save_choice;
pub(crate) use file::{EVENTS_FILE, Loaded, METRICS_FILE, SPOOL_DIR, read};
pub(crate) use gate::Gate;
pub(crate) use identity::{Identity, Install, NoIdentity, id_override, unmark_notice};
pub(crate) use private::{create_dir, create_private, write_atomic};
pub(crate) use safe::{open_append, read_bounded, real_dir};

/// Where state lives, or why the configured place cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StateDir {
    /// This dir (whether or not it exists yet).
    At(PathBuf),
    /// No config dir on this system.
    Nowhere,
    /// `<APP>_TELEMETRY_DIR` is set to something that cannot be used: why.
    Unusable(String),
}

/// The state dir: the builder's override, else `<APP>_TELEMETRY_DIR`, else
/// the platform config dir for the app name. The variable's value is used
/// as given (not valid UTF-8 is fine); a relative path is refused rather
/// than replaced by another place.
pub(crate) fn resolve_dir(app: &str, override_dir: Option<&Path>, env_dir: Option<OsString>) -> StateDir {
    if let Some(d) = override_dir {
        return StateDir::At(d.to_path_buf());
    }
    if let Some(d) = env_dir.filter(|d| !d.is_empty()) {
        let path = PathBuf::from(d);
        return if path.is_absolute() {
            StateDir::At(path)
        } else {
            StateDir::Unusable(format!("is set to {:?}, which is not an absolute path", path.to_string_lossy()))
        };
    }
    match directories::ProjectDirs::from("", "", app) {
        Some(p) => StateDir::At(p.config_dir().to_path_buf()),
        None => StateDir::Nowhere,
    }
}
