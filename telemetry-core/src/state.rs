//! Install state: one small JSON file in the app's config dir, written
//! atomically with owner-only permissions.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::consent::Choice;

/// File name of the state file inside the state dir.
pub(crate) const STATE_FILE: &str = "state.json";
/// Spooled batches live in this subdirectory.
pub(crate) const SPOOL_DIR: &str = "spool";
/// The JSON-lines transport's file.
pub(crate) const EVENTS_FILE: &str = "events.jsonl";

/// What `state.json` holds. Unknown keys are ignored, missing ones default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StateData {
    /// Format version.
    #[serde(default = "one")]
    pub version: u32,
    /// Random UUID v4, sent with every event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous_id: Option<String>,
    /// 32 random bytes as 64 hex digits: the HMAC key. Never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `enabled` / `disabled`, when the user chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<ChoiceJson>,
    /// The first-run notice was shown.
    #[serde(default)]
    pub notice_shown: bool,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ChoiceJson {
    Enabled,
    Disabled,
}

impl From<ChoiceJson> for Choice {
    fn from(c: ChoiceJson) -> Self {
        match c {
            ChoiceJson::Enabled => Choice::Enabled,
            ChoiceJson::Disabled => Choice::Disabled,
        }
    }
}

impl From<Choice> for ChoiceJson {
    fn from(c: Choice) -> Self {
        match c {
            Choice::Enabled => ChoiceJson::Enabled,
            Choice::Disabled => ChoiceJson::Disabled,
        }
    }
}

/// Result of reading the state file.
#[derive(Debug, Clone)]
pub(crate) enum Loaded {
    /// No file (or no state dir): a first run.
    Missing,
    /// Parsed.
    Ok(StateData),
    /// Present but unreadable or not valid state: left untouched.
    Corrupt(String),
}

impl Loaded {
    pub(crate) fn choice(&self) -> Option<Choice> {
        match self {
            Loaded::Ok(s) => s.consent.map(Choice::from),
            _ => None,
        }
    }
}

/// Reads `dir/state.json`. Never fails: problems become [`Loaded::Corrupt`].
pub(crate) fn read(dir: &Path) -> Loaded {
    let path = dir.join(STATE_FILE);
    match fs::read(&path) {
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => Loaded::Missing,
        Err(e) => Loaded::Corrupt(format!("cannot read {}: {e}", path.display())),
        Ok(bytes) => match serde_json::from_slice::<StateData>(&bytes) {
            Ok(s) => Loaded::Ok(s),
            Err(e) => Loaded::Corrupt(format!("{} is not valid state: {e}", path.display())),
        },
    }
}

/// Creates `dir` (owner-only on unix) if missing.
pub(crate) fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    match b.create(dir) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        r => r,
    }
}

/// Opens a new file that only its owner can read (0600 on unix).
pub(crate) fn create_private(path: &Path) -> io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Writes `bytes` to `dir/name` atomically: a private temp file in the same
/// dir, synced, then renamed over the target.
pub(crate) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    create_dir(dir)?;
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut f = create_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, dir.join(name))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn state_bytes(state: &StateData) -> io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(state).map_err(io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes the state file.
pub(crate) fn write(dir: &Path, state: &StateData) -> io::Result<()> {
    write_atomic(dir, STATE_FILE, &state_bytes(state)?)
}

/// Creates the state file, atomically, only if there is none: fails with
/// `AlreadyExists` when another process created it first. Two first runs
/// starting together must not both mint an identity and each keep its own
/// (the loser re-reads the winner's). A private temp file is written and
/// synced, then hard-linked to the target, which never replaces a file; a
/// file system without hard links falls back to the replacing rename.
pub(crate) fn create(dir: &Path, state: &StateData) -> io::Result<()> {
    create_dir(dir)?;
    let tmp = dir.join(format!(".{STATE_FILE}.{}.{}.tmp", std::process::id(), uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut f = create_private(&tmp)?;
        f.write_all(&state_bytes(state)?)?;
        f.sync_all()?;
        match fs::hard_link(&tmp, dir.join(STATE_FILE)) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => fs::rename(&tmp, dir.join(STATE_FILE)),
            r => r,
        }
    })();
    let _ = fs::remove_file(&tmp);
    result
}

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

/// A new random 32-byte key, as 64 hex digits; `None` if the OS has no randomness to give.
pub(crate) fn new_key_hex() -> Option<String> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).ok()?;
    Some(hex(&key))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

/// Parses 64 hex digits into a key.
pub(crate) fn parse_key(s: &str) -> Option<[u8; 32]> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut key = [0u8; 32];
    for (i, k) in key.iter_mut().enumerate() {
        *k = nibble(s[2 * i])? << 4 | nibble(s[2 * i + 1])?;
    }
    Some(key)
}

/// Whether `s` is a UUID (any version), in the hyphenated form.
pub(crate) fn valid_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_roundtrip() {
        let k = new_key_hex().unwrap();
        assert_eq!(k.len(), 64);
        assert_eq!(hex(&parse_key(&k).unwrap()), k);
        assert!(parse_key("zz").is_none());
    }

    #[test]
    fn create_never_replaces_an_existing_state_file() {
        let dir = std::env::temp_dir().join(format!("tc-state-{}", uuid::Uuid::new_v4().simple()));
        let first = StateData { version: 1, anonymous_id: Some("first".into()), ..StateData::default() };
        let second = StateData { version: 1, anonymous_id: Some("second".into()), ..StateData::default() };
        create(&dir, &first).unwrap();
        assert_eq!(create(&dir, &second).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert!(matches!(read(&dir), Loaded::Ok(s) if s == first));
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "no temp file left");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unknown_keys_ignored_missing_default() {
        let s: StateData = serde_json::from_str(r#"{"consent":"disabled","future":1}"#).unwrap();
        assert_eq!(s.consent, Some(ChoiceJson::Disabled));
        assert_eq!(s.version, 1);
        assert!(!s.notice_shown);
    }
}
