//! Install state: one small JSON file in the app's config dir (anonymous
//! id, hashing key, choice, notice shown), written atomically with
//! owner-only permissions, beside the spool and the events file.

mod choice;
mod file;
mod identity;
mod key;
mod private;

use std::path::{Path, PathBuf};

pub(crate) use choice::save_choice;
pub(crate) use file::{EVENTS_FILE, Loaded, SPOOL_DIR, read};
pub(crate) use identity::{Identity, Install};
pub(crate) use private::{create_dir, create_private};

/// The state dir: the builder's override, else `<APP>_TELEMETRY_DIR`, else
/// the platform config dir for the app name.
pub(crate) fn resolve_dir(app: &str, override_dir: Option<&Path>, env_dir: Option<String>) -> Option<PathBuf> {
    if let Some(d) = override_dir {
        return Some(d.to_path_buf());
    }
    if let Some(d) = env_dir.filter(|d| !d.trim().is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", app).map(|p| p.config_dir().to_path_buf())
}
