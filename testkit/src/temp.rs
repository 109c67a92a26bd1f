//! Temp dirs, unique per call so that parallel tests never share state.

use std::path::{Path, PathBuf};
use std::time::Instant;

/// A fresh path under the system temp dir (not created):
/// `telemetry-test-<tag>-<pid>-<random>`.
///
/// ```
/// let (a, b) = (telemetry_testkit::temp_dir("x"), telemetry_testkit::temp_dir("x"));
/// assert_ne!(a, b);
/// assert!(!a.exists());
/// assert!(a.file_name().unwrap().to_str().unwrap().starts_with("telemetry-test-x-"));
/// ```
pub fn temp_dir(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("telemetry-test-{tag}-{}-{}", std::process::id(), unique()))
}

/// A number no other call in this process returns (in practice): every
/// `RandomState` gets new keys, so equal instants still hash apart.
fn unique() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(Instant::now())
}

/// A created [`temp_dir`], removed with everything in it when dropped
/// (also when the test or task fails half-way).
///
/// ```
/// let dir = telemetry_testkit::TempDir::new("guard").unwrap();
/// std::fs::write(dir.path().join("f"), "x").unwrap();
/// let path = dir.path().to_path_buf();
/// drop(dir);
/// assert!(!path.exists());
/// ```
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates the directory; the error names the path that could not be created.
    pub fn new(tag: &str) -> Result<TempDir, String> {
        let path = temp_dir(tag);
        std::fs::create_dir_all(&path).map_err(|e| format!("{}: cannot create a temp dir: {e}", path.display()))?;
        Ok(TempDir(path))
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
