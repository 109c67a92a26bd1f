//! Events kept on disk (bounded): what could not be sent before exit, for
//! the next run, and what overflowed a full queue, for the worker to send
//! later in this run or the next (`delivery/spooler.rs`). One file per
//! spooling, one event per line (`line.rs`: read back only if the current
//! schema would send it), its name tagged with the stored anonymous id that
//! recorded it: a run under another id (after `disable` and `enable`) never
//! resends it. Writes pass the state's write gate; the dir must be a real,
//! private directory (a link there would make the cleanup delete files
//! elsewhere).

mod line;
mod read;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::envelope::{Event, Origin};
use crate::meta::AppMeta;
use crate::state::{Gate, SPOOL_DIR, create_dir, create_private, read_bounded, real_dir};

/// Spooled events are dropped after this many spoolings (a collector that
/// keeps failing on them must not make every run resend them forever).
pub(crate) const MAX_GENERATION: u8 = 3;
/// Spool files older than this are deleted unread.
const MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

/// The spool directory (in the gate's state dir) and its bounds.
#[derive(Debug, Clone)]
pub(crate) struct Spool {
    pub gate: Gate,
    pub max_bytes: u64,
    pub max_files: usize,
    /// The current schema: only lines it would send are read back.
    pub app: &'static AppMeta,
    /// This process's origin: its own lines read back share it.
    pub origin: Option<Arc<Origin>>,
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
    fn dir(&self) -> PathBuf {
        self.gate.dir().join(SPOOL_DIR)
    }

    /// This install's tag in file names: its stored id without hyphens.
    fn tag(&self) -> String {
        // An app that keeps no id tags with a word no UUID spells.
        self.gate.owner().map_or_else(|| "noid".to_string(), |id| id.replace('-', ""))
    }

    fn files(&self) -> Vec<(PathBuf, u64)> {
        if real_dir(&self.dir()).is_err() {
            return Vec::new();
        }
        let Ok(rd) = fs::read_dir(self.dir()) else { return Vec::new() };
        let mut v: Vec<(PathBuf, u64)> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_str().is_some_and(|n| n.ends_with(".jsonl") && !n.starts_with('.')))
            .filter_map(|e| Some((e.path(), e.metadata().ok()?.len())))
            .collect();
        v.sort();
        v
    }

    /// Writes `events` (all of one generation) as one new file, atomically:
    /// as many of them, oldest first, as the spool's bounds leave room for.
    /// Returns the file and how many it holds; [`SpoolError::Full`] when
    /// not one fits.
    pub(crate) fn write(&self, events: &[&Event], generation: u8) -> Result<(PathBuf, usize), SpoolError> {
        if events.is_empty() {
            return Ok((PathBuf::new(), 0));
        }
        let dir = self.dir();
        let written = self.gate.write(|| {
            let existing = self.files();
            let mut room = self.max_bytes.saturating_sub(existing.iter().map(|(_, n)| n).sum());
            let fit =
                events.iter().take_while(|e| room.checked_sub(line::len(e) as u64 + 1).map(|r| room = r).is_some());
            let fit = fit.count();
            if existing.len() >= self.max_files || fit == 0 {
                return Ok(None);
            }
            create_dir(&dir)?;
            real_dir(&dir).map_err(io::Error::other)?;
            let ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
            let name = format!("{ms:015}-{}-{}-g{generation}.jsonl", uuid::Uuid::new_v4().simple(), self.tag());
            let tmp = dir.join(format!(".{name}.tmp"));
            let r = (|| {
                // Written line by line: an overflow batch is not copied into
                // one more buffer (memory stays bounded during a burst).
                let mut f = io::BufWriter::with_capacity(64 << 10, create_private(&tmp)?);
                let mut buf = Vec::new();
                for e in &events[..fit] {
                    buf.clear();
                    line::write(&mut buf, e);
                    buf.push(b'\n');
                    f.write_all(&buf)?;
                }
                f.into_inner().map_err(|e| e.into_error())?;
                // No fsync: exit with the collector down must stay quick, and
                // fsync costs milliseconds per file on a busy disk. The rename
                // still makes a file appear whole to other processes; after a
                // power loss a torn file's lines fail to parse and are
                // discarded, which a telemetry spool can afford.
                fs::rename(&tmp, dir.join(&name))
            })();
            if r.is_err() {
                let _ = fs::remove_file(&tmp);
            }
            r.map(|()| Some((dir.join(&name), fit)))
        });
        match written {
            Ok(Some(written)) => Ok(written),
            Ok(None) => Err(SpoolError::Full),
            Err(e) => Err(SpoolError::Io(e)),
        }
    }

    /// The spool files there are now, oldest first (names start with the
    /// time they were written). Nothing is claimed: [`Spool::take_file`]
    /// claims each one when it is read.
    pub(crate) fn list(&self) -> Vec<PathBuf> {
        self.files().into_iter().map(|(p, _)| p).collect()
    }

    /// Takes the events of one spool file: claimed by a rename before it is
    /// read, so two processes never both take it. `None`: another process
    /// (or `disable`) took it first. Otherwise the events and how many lines
    /// were discarded (too old, too often spooled, recorded under another
    /// id or another schema, or unreadable).
    pub(crate) fn take_file(&self, path: &Path) -> Option<(Vec<Event>, usize)> {
        let name = path.file_name()?.to_str()?;
        let claimed = self.dir().join(format!(".{name}.claimed-{}", std::process::id()));
        fs::rename(path, &claimed).ok()?;
        let (rest, generation) = name
            .strip_suffix(".jsonl")
            .and_then(|n| n.rsplit_once("-g"))
            .and_then(|(rest, g)| Some((rest, g.parse::<u8>().ok()?)))
            .unwrap_or(("", MAX_GENERATION));
        let ours = rest.rsplit_once('-').is_some_and(|(_, t)| t == self.tag());
        let too_old = name
            .split('-')
            .next()
            .and_then(|ms| ms.parse::<u64>().ok())
            .map(|ms| UNIX_EPOCH + Duration::from_millis(ms))
            .is_none_or(|t| SystemTime::now().duration_since(t).unwrap_or_default() > MAX_AGE);
        // Not following a link, and no larger than the spool may grow.
        let bytes = read_bounded(&claimed, self.max_bytes).map(|(bytes, _)| bytes).unwrap_or_default();
        let _ = fs::remove_file(&claimed);
        let (mut out, mut discarded) = (Vec::new(), 0);
        let mut reader = read::Reader::new(self.app, self.origin.clone());
        for line in line::split(&bytes) {
            let Some(line) = line else {
                discarded += 1;
                continue;
            };
            if line.trim().is_empty() {
                continue;
            }
            match reader.read(line, generation) {
                Some(event) if ours && !too_old && generation < MAX_GENERATION => out.push(event),
                _ => discarded += 1,
            }
        }
        Some((out, discarded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::tests::{APP, event, origin};

    fn e() -> Event {
        event(&origin("{}", "1.0", None), "ran", 1, 1_700_000_000_123, |_| {})
    }

    fn temp_dir(tag: &str) -> PathBuf {
        std::env::temp_dir().join(format!("tc-spool-{tag}-{}", uuid::Uuid::new_v4().simple()))
    }

    /// A state dir whose state file names `id`, and a spool there.
    fn spool(dir: &std::path::Path, id: &str, max_bytes: u64, max_files: usize) -> Spool {
        create_dir(dir).unwrap();
        fs::write(dir.join("state.json"), format!("{{\"anonymous_id\":\"{id}\"}}")).unwrap();
        let gate = Gate::new(dir.to_path_buf(), id.to_string());
        Spool { gate, max_bytes, max_files, app: &APP, origin: None }
    }

    /// Every spooled event, oldest first, and how many were discarded.
    fn take_all(spool: &Spool) -> (Vec<Event>, usize) {
        let mut out = (Vec::new(), 0);
        for (events, discarded) in spool.list().iter().filter_map(|p| spool.take_file(p)) {
            out.0.extend(events);
            out.1 += discarded;
        }
        out
    }

    const ID: &str = "6f1c9c3e-6c1a-4b7e-9d51-0a8d2b9f3e11";
    const OTHER: &str = "0b0e6a51-3a63-4c1f-8a55-2f6f3f3b1c00";

    #[test]
    fn roundtrip_generations_and_bounds() {
        let dir = temp_dir("rt");
        let s = spool(&dir, ID, 10_000, 2);
        let e = e();
        s.write(&[&e, &e], 1).unwrap();
        s.write(&[&e], MAX_GENERATION).unwrap();
        assert!(matches!(s.write(&[&e], 1), Err(SpoolError::Full)));
        let (events, discarded) = take_all(&s);
        assert_eq!((events.len(), discarded), (2, 1));
        assert!(events.iter().all(|b| b.generation == 1 && b.envelope() == e.envelope()));
        assert_eq!(fs::read_dir(dir.join(SPOOL_DIR)).unwrap().count(), 0);
        assert!(matches!(spool(&dir, ID, 10, 10).write(&[&e], 1), Err(SpoolError::Full)));
        // Room for two lines of three: the two oldest are written.
        let two = spool(&dir, ID, 2 * (line::len(&e) as u64 + 1) + 5, 10);
        assert_eq!(two.write(&[&e, &e, &e], 1).unwrap().1, 2);
        assert!(matches!(two.write(&[&e], 1), Err(SpoolError::Full)));
        assert_eq!(take_all(&two).0.len(), 2);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("perm");
        spool(&dir, ID, 10_000, 2).write(&[&e()], 1).unwrap();
        assert_eq!(fs::metadata(dir.join(SPOOL_DIR)).unwrap().permissions().mode() & 0o777, 0o700);
        for f in fs::read_dir(dir.join(SPOOL_DIR)).unwrap() {
            assert_eq!(f.unwrap().metadata().unwrap().permissions().mode() & 0o777, 0o600);
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Events spooled under one id are never resent under another (the id
    /// changes with `disable` + `enable`), and a state that changed since
    /// the process started refuses the write.
    #[test]
    fn spool_is_bound_to_the_id_that_recorded() {
        let dir = temp_dir("owner");
        let s = spool(&dir, ID, 10_000, 5);
        s.write(&[&e()], 1).unwrap();
        let later = spool(&dir, OTHER, 10_000, 5);
        assert!(matches!(s.write(&[&e()], 1), Err(SpoolError::Io(_))));
        let (events, discarded) = take_all(&later);
        assert_eq!((events.len(), discarded), (0, 1));
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A `spool` link to another directory: nothing there is listed or deleted.
    #[cfg(unix)]
    #[test]
    fn spool_link_is_not_followed() {
        let dir = temp_dir("link");
        let elsewhere = temp_dir("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("000000000000001-x-g1.jsonl"), e().envelope()).unwrap();
        let s = spool(&dir, ID, 10_000, 5);
        std::os::unix::fs::symlink(&elsewhere, dir.join(SPOOL_DIR)).unwrap();
        let (events, discarded) = take_all(&s);
        assert_eq!((events.len(), discarded), (0, 0));
        assert!(s.write(&[&e()], 1).is_err());
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_dir_all(&elsewhere).unwrap();
    }

    /// A file of an earlier release (bare envelopes, no fingerprint) and a
    /// torn line: discarded and counted, the good lines read back.
    #[test]
    fn earlier_release_lines_and_torn_lines_are_discarded() {
        let dir = temp_dir("release");
        let s = spool(&dir, ID, 10_000, 5);
        let (path, _) = s.write(&[&e(), &e()], 1).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let torn = &text[..text.len() / 2 + 10];
        fs::write(&path, format!("{}\n{torn}\n", e().envelope())).unwrap();
        let (events, discarded) = take_all(&s);
        assert_eq!((events.len(), discarded), (1, 2));
        fs::remove_dir_all(&dir).unwrap();
    }
}
