//! The JSON-lines file transport: appends, rotates past a size. Every
//! append passes the state's write gate (under the state lock, so rotation
//! and append are one step across processes too) and opens the file
//! without following a link.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::state::{EVENTS_FILE, Gate, open_append};

/// Appends `events`, one per line, to the events file in the gate's dir;
/// first renames a file that would grow past `max_bytes` to `<file>.1`.
pub(super) fn append(gate: &Gate, max_bytes: u64, events: &[&str]) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(events.iter().map(|e| e.len() + 1).sum());
    for e in events {
        bytes.extend_from_slice(e.as_bytes());
        bytes.push(b'\n');
    }
    let path = gate.dir().join(EVENTS_FILE);
    gate.write(|| {
        // `symlink_metadata`: the size of a link, not of what it points to.
        let size = fs::symlink_metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > 0 && size + bytes.len() as u64 > max_bytes {
            let mut rotated = path.as_os_str().to_owned();
            rotated.push(".1");
            fs::rename(&path, PathBuf::from(rotated))?;
        }
        // One open that creates the file if needed: two writers finding it
        // missing at once must both append (the mode applies only on create).
        open_append(&path)?.write_all(&bytes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_rotates() {
        const ID: &str = "6f1c9c3e-6c1a-4b7e-9d51-0a8d2b9f3e11";
        let dir = std::env::temp_dir().join(format!("tc-file-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("events.jsonl");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("state.json"), format!("{{\"anonymous_id\":\"{ID}\"}}")).unwrap();
        let gate = Gate::new(dir.clone(), ID.into());
        append(&gate, 10, &["{\"a\":1}"]).unwrap();
        append(&gate, 10, &["{\"b\":2}"]).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"b\":2}\n");
        assert_eq!(fs::read_to_string(dir.join("events.jsonl.1")).unwrap(), "{\"a\":1}\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
