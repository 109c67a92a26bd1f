//! The JSON-lines file transport: appends, rotates past a size, safely
//! across processes.
//!
//! Several processes of one app share `events.jsonl`. Every append passes
//! the state's write gate, which holds the state dir's lock and re-reads the
//! consent: the size check, the rotation and the append are one step for all
//! of them (without it two writers could both find the file full and both
//! rotate, the second renaming a fresh file over the first's `.1`), and
//! nothing is written after
//! `telemetry disable`. The file is opened without following a link.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::envelope::Event;
use crate::state::{EVENTS_FILE, Gate, open_append};

/// What an append did besides writing.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Appended {
    /// Lines of the previous `<file>.1` that the rotation replaced: they
    /// were written (and counted sent) before and are now gone.
    pub rotated_away: u64,
}

/// Appends `events`, one per line, to the events file in the gate's dir in
/// one write; first renames a file that would grow past `max_bytes` to
/// `<file>.1`.
pub(super) fn append(gate: &Gate, max_bytes: u64, events: &[Event]) -> io::Result<Appended> {
    let mut bytes = Vec::with_capacity(events.iter().map(|e| e.size() + 1).sum());
    for e in events {
        e.write_envelope(&mut bytes);
        bytes.push(b'\n');
    }
    append_lines(gate, max_bytes, &bytes)
}

/// Appends `bytes` (whole lines), rotating first as [`append`] says.
fn append_lines(gate: &Gate, max_bytes: u64, bytes: &[u8]) -> io::Result<Appended> {
    let path = gate.dir().join(EVENTS_FILE);
    gate.write(|| {
        let mut done = Appended::default();
        // `symlink_metadata`: the size of a link, not of what it points to.
        let size = fs::symlink_metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > 0 && size + bytes.len() as u64 > max_bytes {
            let mut rotated = path.as_os_str().to_owned();
            rotated.push(".1");
            let rotated = PathBuf::from(rotated);
            done.rotated_away = count_lines(&rotated);
            fs::rename(&path, rotated)?;
        }
        // One open that creates the file if needed: two writers finding it
        // missing at once must both append (the mode applies only on create).
        open_append(&path)?.write_all(bytes)?;
        Ok(done)
    })
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
        const ID: &str = "6f1c9c3e-6c1a-4b7e-9d51-0a8d2b9f3e11";
        let dir = std::env::temp_dir().join(format!("tc-file-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("events.jsonl");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("state.json"), format!("{{\"anonymous_id\":\"{ID}\"}}")).unwrap();
        let gate = Gate::new(dir.clone(), ID.into());
        let append = |line: &str| append_lines(&gate, 10, format!("{line}\n").as_bytes()).unwrap();
        assert_eq!(append("{\"a\":1}"), Appended { rotated_away: 0 });
        assert_eq!(append("{\"b\":2}"), Appended { rotated_away: 0 });
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"b\":2}\n");
        assert_eq!(fs::read_to_string(dir.join("events.jsonl.1")).unwrap(), "{\"a\":1}\n");
        // The third batch rotates again: the one line of `.1` is gone.
        assert_eq!(append("{\"c\":3}"), Appended { rotated_away: 1 });
        assert_eq!(fs::read_to_string(dir.join("events.jsonl.1")).unwrap(), "{\"b\":2}\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
