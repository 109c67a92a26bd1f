//! Events that could not be sent before exit, kept on disk (bounded) for
//! the next run. One file per spooling, one envelope per line.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::envelope::Envelope;
use crate::state::{create_dir, create_private};

/// An envelope waiting for delivery.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// The envelope JSON.
    pub json: String,
    /// 0 for an event recorded by this process; otherwise how many times it was spooled.
    pub generation: u8,
}

/// Spooled events are dropped after this many spoolings (a collector that
/// keeps failing on them must not make every run resend them forever).
pub(crate) const MAX_GENERATION: u8 = 3;
/// Spool files older than this are deleted unread.
const MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

/// The spool directory and its bounds.
#[derive(Debug, Clone)]
pub(crate) struct Spool {
    pub dir: PathBuf,
    pub max_bytes: u64,
    pub max_files: usize,
}

/// Why events could not be spooled.
#[derive(Debug)]
pub(crate) enum SpoolError {
    Full,
    Io(io::Error),
}

impl std::fmt::Display for SpoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpoolError::Full => f.write_str("the spool is full"),
            SpoolError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl Spool {
    fn files(&self) -> Vec<(PathBuf, u64)> {
        let Ok(rd) = fs::read_dir(&self.dir) else { return Vec::new() };
        let mut v: Vec<(PathBuf, u64)> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_str().is_some_and(|n| n.ends_with(".jsonl") && !n.starts_with('.')))
            .filter_map(|e| Some((e.path(), e.metadata().ok()?.len())))
            .collect();
        v.sort();
        v
    }

    /// Writes `events` (all of one generation) as one new file, atomically.
    pub(crate) fn write(&self, events: &[&Event], generation: u8) -> Result<(), SpoolError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut bytes = Vec::with_capacity(events.iter().map(|e| e.json.len() + 1).sum());
        for e in events {
            bytes.extend_from_slice(e.json.as_bytes());
            bytes.push(b'\n');
        }
        let existing = self.files();
        let used: u64 = existing.iter().map(|(_, n)| n).sum();
        if existing.len() >= self.max_files || used + bytes.len() as u64 > self.max_bytes {
            return Err(SpoolError::Full);
        }
        create_dir(&self.dir).map_err(SpoolError::Io)?;
        let ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
        let name = format!("{ms:015}-{}-g{generation}.jsonl", uuid::Uuid::new_v4().simple());
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let r = (|| {
            let mut f = create_private(&tmp)?;
            f.write_all(&bytes)?;
            // No fsync: it ran on the exit path and cost 3 ms or more per
            // file on a busy disk (issue 13: exit with the collector down must
            // be steady). The rename still makes a file appear whole to other
            // processes; after a power loss a torn file's lines fail to parse
            // and are discarded, which a telemetry spool can afford.
            fs::rename(&tmp, self.dir.join(&name))
        })();
        if r.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        r.map_err(SpoolError::Io)
    }

    /// Takes every spooled event, oldest first. Each file is claimed by a
    /// rename before it is read, so two processes never both take it.
    /// Returns the events and how many were discarded (too old, too often
    /// spooled, or unreadable).
    pub(crate) fn take_all(&self) -> (Vec<Event>, usize) {
        let mut out = Vec::new();
        let mut discarded = 0;
        for (path, _) in self.files() {
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
            let claimed = self.dir.join(format!(".{name}.claimed-{}", std::process::id()));
            if fs::rename(&path, &claimed).is_err() {
                continue;
            }
            let generation = name
                .strip_suffix(".jsonl")
                .and_then(|n| n.rsplit_once("-g"))
                .and_then(|(_, g)| g.parse::<u8>().ok())
                .unwrap_or(MAX_GENERATION);
            let too_old = name
                .split('-')
                .next()
                .and_then(|ms| ms.parse::<u64>().ok())
                .map(|ms| UNIX_EPOCH + Duration::from_millis(ms))
                .is_none_or(|t| SystemTime::now().duration_since(t).unwrap_or_default() > MAX_AGE);
            let text = fs::read_to_string(&claimed).unwrap_or_default();
            let _ = fs::remove_file(&claimed);
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                if too_old || generation >= MAX_GENERATION || Envelope::parse(line).is_none() {
                    discarded += 1;
                } else {
                    out.push(Event { json: line.to_string(), generation });
                }
            }
        }
        (out, discarded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const E: &str = r#"{"event":"ran","properties":{},"context":{},"anonymous_id":"A","session_id":"S","message_id":"M","timestamp":"2023-11-14T22:13:20.123Z","app":"demo","app_version":"1.0"}"#;

    fn temp_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tc-spool-{tag}-{}", uuid::Uuid::new_v4().simple()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn roundtrip_generations_and_bounds() {
        let dir = temp_dir("rt");
        let spool = Spool { dir: dir.clone(), max_bytes: 10_000, max_files: 2 };
        let e = Event { json: E.into(), generation: 0 };
        spool.write(&[&e, &e], 1).unwrap();
        spool.write(&[&e], MAX_GENERATION).unwrap();
        assert!(matches!(spool.write(&[&e], 1), Err(SpoolError::Full)));
        let (events, discarded) = spool.take_all();
        assert_eq!((events.len(), discarded), (2, 1));
        assert!(events.iter().all(|e| e.generation == 1 && e.json == E));
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
        let tiny = Spool { dir: dir.clone(), max_bytes: 10, max_files: 10 };
        assert!(matches!(tiny.write(&[&e], 1), Err(SpoolError::Full)));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("perm");
        let spool = Spool { dir: dir.clone(), max_bytes: 10_000, max_files: 2 };
        spool.write(&[&Event { json: E.into(), generation: 0 }], 1).unwrap();
        assert_eq!(fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        for f in fs::read_dir(&dir).unwrap() {
            assert_eq!(f.unwrap().metadata().unwrap().permissions().mode() & 0o777, 0o600);
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
