//! The JSON-lines file transport: appends, rotates past a size.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::state::create_dir;

/// Appends `events`, one per line, to `path`; first renames a file that
/// would grow past `max_bytes` to `<file>.1`.
pub(super) fn append(path: &Path, max_bytes: u64, events: &[&str]) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(events.iter().map(|e| e.len() + 1).sum());
    for e in events {
        bytes.extend_from_slice(e.as_bytes());
        bytes.push(b'\n');
    }
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > 0 && size + bytes.len() as u64 > max_bytes {
        let mut rotated = path.as_os_str().to_owned();
        rotated.push(".1");
        fs::rename(path, PathBuf::from(rotated))?;
    }
    // One open that creates the file if needed: two writers finding it
    // missing at once must both append, not race on creating it (the loser
    // of a create-then-open would lose its batch). The mode applies only
    // when the file is created.
    let mut o = fs::OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)?.write_all(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_rotates() {
        let dir = std::env::temp_dir().join(format!("tc-file-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("events.jsonl");
        append(&path, 10, &["{\"a\":1}"]).unwrap();
        append(&path, 10, &["{\"b\":2}"]).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"b\":2}\n");
        assert_eq!(fs::read_to_string(dir.join("events.jsonl.1")).unwrap(), "{\"a\":1}\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
