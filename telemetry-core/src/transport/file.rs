//! The JSON-lines file transport: appends, rotates past a size, safely
//! across processes.
//!
//! Several processes of one app share `events.jsonl`. Each batch is written
//! under an exclusive lock on `events.jsonl.lock` (advisory, released when
//! the lock file is closed, so a crashed writer never holds it): the size
//! check, the rotation and the append are one step for all of them. Without
//! it two writers could both find the file full and both rotate, the second
//! renaming a fresh file over the first's `.1` (4 processes × 3000 events
//! lost 20 that way).

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::state::create_dir;

/// What an append did besides writing.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Appended {
    /// Lines of the previous `<file>.1` that the rotation replaced: they
    /// were written (and counted sent) before and are now gone.
    pub rotated_away: u64,
}

/// Appends `events`, one per line, to `path` in one write; first renames a
/// file that would grow past `max_bytes` to `<file>.1`.
pub(super) fn append(path: &Path, max_bytes: u64, events: &[&str]) -> io::Result<Appended> {
    let mut bytes = Vec::with_capacity(events.iter().map(|e| e.len() + 1).sum());
    for e in events {
        bytes.extend_from_slice(e.as_bytes());
        bytes.push(b'\n');
    }
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    let lock = open_private(&sibling(path, ".lock"), false)?;
    lock.lock()?;
    let mut done = Appended::default();
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > 0 && size + bytes.len() as u64 > max_bytes {
        let rotated = sibling(path, ".1");
        done.rotated_away = count_lines(&rotated);
        fs::rename(path, rotated)?;
    }
    // `append`: every write lands at the end even if a writer that does not
    // take the lock (an older version) appends at the same time.
    open_private(path, true)?.write_all(&bytes)?;
    // Dropping `lock` closes it, which releases the lock.
    Ok(done)
}

/// `<path><suffix>`, e.g. `events.jsonl.1`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Opens (creating, owner-only) for appending, or for locking only. One
/// open that creates the file if needed: two writers finding it missing at
/// once must both succeed. The mode applies only when the file is created.
fn open_private(path: &Path, append: bool) -> io::Result<File> {
    let mut o = fs::OpenOptions::new();
    if append {
        o.append(true);
    } else {
        o.write(true);
    }
    o.create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Lines in `path`; 0 when it cannot be read.
fn count_lines(path: &Path) -> u64 {
    let Ok(f) = File::open(path) else { return 0 };
    let mut r = BufReader::new(f);
    let mut n = 0;
    loop {
        let buf = match r.fill_buf() {
            Ok([]) | Err(_) => return n,
            Ok(b) => b,
        };
        n += buf.iter().filter(|&&b| b == b'\n').count() as u64;
        let len = buf.len();
        r.consume(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_rotates_and_counts_what_rotation_discards() {
        let dir = std::env::temp_dir().join(format!("tc-file-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("events.jsonl");
        assert_eq!(append(&path, 10, &["{\"a\":1}"]).unwrap(), Appended { rotated_away: 0 });
        assert_eq!(append(&path, 10, &["{\"b\":2}"]).unwrap(), Appended { rotated_away: 0 });
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"b\":2}\n");
        assert_eq!(fs::read_to_string(dir.join("events.jsonl.1")).unwrap(), "{\"a\":1}\n");
        // The third batch rotates again: the one line of `.1` is gone.
        assert_eq!(append(&path, 10, &["{\"c\":3}"]).unwrap(), Appended { rotated_away: 1 });
        assert_eq!(fs::read_to_string(dir.join("events.jsonl.1")).unwrap(), "{\"b\":2}\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
