//! The state lock: one exclusive lock per state dir, held while the state
//! file is read and rewritten (identity, choice, notice) and while events
//! are appended or spooled. It is what makes "one identity" and "opt-out
//! erases" hold across processes: a `disable` that holds it cannot
//! interleave with a writer's check-then-write.
//!
//! Unix: `flock` on `<dir>/.lock` (the standard library's `File::try_lock`;
//! released when the file closes, so a crashed holder never leaves it
//! stuck). Elsewhere the file is opened but not locked (documented in
//! RELIABILITY.md).

use std::fs::File;
use std::io;
use std::path::Path;
use std::time::Duration;

use super::private::create_dir;
use super::safe::open_lock_file;

/// File name of the lock inside the state dir.
pub(crate) const LOCK_FILE: &str = ".lock";

/// How long to wait for another process's lock. The lock is held for one
/// file read and write; a holder stuck longer (stopped, or hostile) must not
/// hang `build()` or the worker: the caller then fails closed.
const WAIT: Duration = Duration::from_secs(2);

/// Holds the state lock until dropped.
#[derive(Debug)]
pub(crate) struct StateLock {
    _file: File,
}

/// Takes the state lock of `dir` (creating the dir, owner-only, if missing).
pub(crate) fn lock(dir: &Path) -> io::Result<StateLock> {
    create_dir(dir)?;
    let path = dir.join(LOCK_FILE);
    let file = open_lock_file(&path)?;
    #[cfg(unix)]
    {
        use std::fs::TryLockError;
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("{} is held by another process for more than {WAIT:?}", path.display()),
                    ));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(io::Error::other(format!("cannot lock {}: {e}", path.display())));
                }
            }
        }
    }
    Ok(StateLock { _file: file })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A second lock on the same dir (another open file, as another process
    /// would hold) waits, then gives up; once the first is dropped it is taken.
    #[test]
    fn a_held_lock_times_out_then_is_taken_once_released() {
        let dir = std::env::temp_dir().join(format!("tc-lock-{}", std::process::id()));
        let first = lock(&dir).unwrap();
        let err = lock(&dir).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "{err}");
        assert!(err.to_string().ends_with(&format!("is held by another process for more than {WAIT:?}")), "{err}");
        drop(first);
        drop(lock(&dir).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
