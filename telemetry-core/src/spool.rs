//! Events kept on disk (bounded): what could not be sent before exit, for
//! the next run, and what overflowed a full queue, for the worker to send
//! later in this run or the next (`delivery/spooler.rs`). One file per spooling, one envelope per line, its name
//! tagged with the stored anonymous id that recorded it: a run under another
//! id (after `disable` and `enable`) never resends it. Writes pass the
//! state's write gate; the dir must be a real, private directory (a link
//! there would make the cleanup delete files elsewhere).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::envelope::{Envelope, Parts};
use crate::state::{Gate, SPOOL_DIR, create_dir, create_private, read_lines_bounded, real_dir};

/// An envelope waiting for delivery.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// The envelope JSON.
    pub json: String,
    /// 0 for an event recorded by this process; otherwise how many times it was spooled.
    pub generation: u8,
    /// Where its parts lie, for an envelope this process wrote (not kept on
    /// disk). Only the HTTP wire formats read them.
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub parts: Option<Parts>,
}

impl Event {
    /// An envelope read back (from the spool, or given as text): no parts known.
    pub(crate) fn read_back(json: String, generation: u8) -> Self {
        Event { json, generation, parts: None }
    }
}

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
    /// This process's envelope template stretches (`Template::stretches`):
    /// its own envelopes read back are located, not parsed (`Parts::locate`).
    pub template: Option<Arc<(String, String)>>,
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
        self.gate.owner().replace('-', "")
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
                events.iter().take_while(|e| room.checked_sub(e.json.len() as u64 + 1).map(|r| room = r).is_some());
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
                for e in &events[..fit] {
                    f.write_all(e.json.as_bytes())?;
                    f.write_all(b"\n")?;
                }
                f.into_inner().map_err(|e| e.into_error())?;
                // No fsync: it ran on the exit path and cost 3 ms or more per
                // file on a busy disk (issue 13: exit with the collector down
                // must be steady). The rename still makes a file appear whole
                // to other processes; after a power loss a torn file's lines
                // fail to parse and are discarded, which a telemetry spool can
                // afford.
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

    /// The parts of one of this process's envelopes (its template's
    /// stretches in place, its properties a JSON object): checked without
    /// parsing the whole line again, which cost the worker ~0.5 us per
    /// spooled event while a burst's overflow went to disk and back.
    fn own(&self, line: &str) -> Option<Parts> {
        let (middle, tail) = self.template.as_deref()?;
        let parts = Parts::locate(line, middle, tail)?;
        let properties = parts.properties(line)?;
        (properties.starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(properties).is_ok())
            .then_some(parts)
    }

    /// Takes the events of one spool file: claimed by a rename before it is
    /// read, so two processes never both take it. `None`: another process
    /// (or `disable`) took it first. Otherwise the events and how many lines
    /// were discarded (too old, too often spooled, recorded under another
    /// id, or unreadable).
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
        let lines = read_lines_bounded(&claimed, self.max_bytes).unwrap_or_default();
        let _ = fs::remove_file(&claimed);
        let (mut out, mut discarded) = (Vec::with_capacity(lines.len()), 0);
        for line in lines {
            let Some(line) = line else {
                discarded += 1;
                continue;
            };
            if line.trim().is_empty() {
                continue;
            }
            if !ours || too_old || generation >= MAX_GENERATION {
                discarded += 1;
            } else if let Some(parts) = self.own(&line) {
                out.push(Event { json: line, generation, parts: Some(parts) });
            } else if Envelope::parse(&line).is_some() {
                out.push(Event::read_back(line, generation));
            } else {
                discarded += 1;
            }
        }
        Some((out, discarded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const E: &str = r#"{"event":"ran","properties":{},"context":{},"anonymous_id":"A","session_id":"S","message_id":"M","timestamp":"2023-11-14T22:13:20.123Z","app":"demo","app_version":"1.0"}"#;

    fn temp_dir(tag: &str) -> PathBuf {
        std::env::temp_dir().join(format!("tc-spool-{tag}-{}", uuid::Uuid::new_v4().simple()))
    }

    /// A state dir whose state file names `id`, and a gate for it.
    fn install(dir: &std::path::Path, id: &str) -> Gate {
        create_dir(dir).unwrap();
        fs::write(dir.join("state.json"), format!("{{\"anonymous_id\":\"{id}\"}}")).unwrap();
        Gate::new(dir.to_path_buf(), id.to_string())
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
        let spool = Spool { gate: install(&dir, ID), max_bytes: 10_000, max_files: 2, template: None };
        let e = Event::read_back(E.into(), 0);
        spool.write(&[&e, &e], 1).unwrap();
        spool.write(&[&e], MAX_GENERATION).unwrap();
        assert!(matches!(spool.write(&[&e], 1), Err(SpoolError::Full)));
        let (events, discarded) = take_all(&spool);
        assert_eq!((events.len(), discarded), (2, 1));
        assert!(events.iter().all(|e| e.generation == 1 && e.json == E));
        assert_eq!(fs::read_dir(dir.join(SPOOL_DIR)).unwrap().count(), 0);
        let tiny = Spool { gate: install(&dir, ID), max_bytes: 10, max_files: 10, template: None };
        assert!(matches!(tiny.write(&[&e], 1), Err(SpoolError::Full)));
        // Room for two lines of three: the two oldest are written.
        let two =
            Spool { gate: install(&dir, ID), max_bytes: 2 * (E.len() as u64 + 1) + 5, max_files: 10, template: None };
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
        let spool = Spool { gate: install(&dir, ID), max_bytes: 10_000, max_files: 2, template: None };
        spool.write(&[&Event::read_back(E.into(), 0)], 1).unwrap();
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
        let spool = Spool { gate: install(&dir, ID), max_bytes: 10_000, max_files: 5, template: None };
        spool.write(&[&Event::read_back(E.into(), 0)], 1).unwrap();
        let later = Spool { gate: install(&dir, OTHER), max_bytes: 10_000, max_files: 5, template: None };
        assert!(matches!(spool.write(&[&Event::read_back(E.into(), 0)], 1), Err(SpoolError::Io(_))));
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
        fs::write(elsewhere.join("000000000000001-x-g1.jsonl"), E).unwrap();
        let spool = Spool { gate: install(&dir, ID), max_bytes: 10_000, max_files: 5, template: None };
        std::os::unix::fs::symlink(&elsewhere, dir.join(SPOOL_DIR)).unwrap();
        let (events, discarded) = take_all(&spool);
        assert_eq!((events.len(), discarded), (0, 0));
        assert!(spool.write(&[&Event::read_back(E.into(), 0)], 1).is_err());
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_dir_all(&elsewhere).unwrap();
    }

    #[test]
    fn own_envelopes_come_back_with_their_parts() {
        use crate::Hasher;
        use crate::envelope::Template;
        let dir = temp_dir("own");
        let t = Template::new(br#"{"os":"linux"}"#, ID, "S", "demo", "1.0", None);
        let mut buf = Vec::new();
        let parts =
            t.write(&mut buf, "ran", &Hasher::new(b"k"), uuid::Uuid::nil(), SystemTime::now(), &mut |w| w.u64("n", 1));
        let own = String::from_utf8(buf).unwrap();
        // The template's stretches in place, but properties that are no JSON object.
        let torn = own.replace(r#""properties":{"n":1}"#, r#""properties":{"n":1,}"#);
        let template = t.stretches().map(Arc::new);
        let spool = Spool { gate: install(&dir, ID), max_bytes: 10_000, max_files: 5, template };
        let events = [&Event::read_back(own.clone(), 0), &Event::read_back(E.into(), 0), &Event::read_back(torn, 0)];
        spool.write(&events, 1).unwrap();
        let (back, discarded) = take_all(&spool);
        assert_eq!(discarded, 1, "the torn line");
        assert_eq!(back.len(), 2);
        assert_eq!((back[0].json.as_str(), back[0].parts), (own.as_str(), Some(parts)));
        assert_eq!((back[1].json.as_str(), back[1].parts), (E, None), "another template's: parsed, no parts");
        fs::remove_dir_all(&dir).unwrap();
    }
}
