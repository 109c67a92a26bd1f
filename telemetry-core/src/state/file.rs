//! The state dir's files: `state.json` (its format, read and written
//! atomically, created race-free on a first run) and the names of the others.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use std::fmt;

use serde_core::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_core::ser::{Serialize, SerializeStruct, Serializer};

use super::private::{create_dir, create_private, temp_path, write_atomic};
use super::safe::{read_bounded, trusted};
use crate::consent::{Choice, Reason};
use crate::members::{Field, Unknown, read_fields};

/// File name of the state file inside the state dir.
pub(crate) const STATE_FILE: &str = "state.json";
/// Spooled batches live in this subdirectory.
pub(crate) const SPOOL_DIR: &str = "spool";
/// The JSON-lines transport's file.
pub(crate) const EVENTS_FILE: &str = "events.jsonl";
/// The metrics aggregate of the current period (written by `metrics/store.rs`).
pub(crate) const METRICS_FILE: &str = "metrics.json";
/// A state file larger than this is not read (a link to `/dev/zero`, or a
/// planted giant, must not exhaust memory); real ones are about 300 bytes.
pub(crate) const MAX_STATE_BYTES: u64 = 64 * 1024;
/// The only format version this runtime understands.
const VERSION: u32 = 1;

/// What `state.json` holds. Unknown keys are ignored, missing ones default
/// (`version` to 1); written in this order, `None`s left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StateData {
    /// Format version.
    pub version: u32,
    /// Random UUID v4, sent with every event.
    pub anonymous_id: Option<String>,
    /// 32 random bytes as 64 hex digits: the HMAC key. Never sent.
    pub key: Option<String>,
    /// `enabled` / `disabled`, when the user chose.
    pub consent: Option<ChoiceJson>,
    /// The first-run notice was shown.
    pub notice_shown: bool,
}

/// `enabled` / `disabled` in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Parsed, and ours.
    Ok(StateData),
    /// Parsed, but another user could have written it (not ours, or
    /// group/world-writable): its id and key are never used, and of its
    /// choice only an opt-out is honoured.
    Untrusted(StateData, String),
    /// Present but unreadable or not valid state: left untouched, and
    /// nothing is recorded (it may hold an opt-out).
    Corrupt(String),
}

impl Loaded {
    /// The saved choice, for consent: `Err` when the file cannot be read.
    pub(crate) fn choice(&self) -> Result<Option<Choice>, Reason> {
        match self {
            Loaded::Missing => Ok(None),
            Loaded::Ok(s) => Ok(s.consent.map(Choice::from)),
            // A planted "enabled" must not switch on an opt-in app.
            Loaded::Untrusted(s, _) => Ok(s.consent.map(Choice::from).filter(|c| *c == Choice::Disabled)),
            Loaded::Corrupt(why) => Err(Reason::StateUnreadable { why: why.clone() }),
        }
    }
}

/// Reads `dir/state.json`. Never fails: problems become [`Loaded::Corrupt`]
/// or [`Loaded::Untrusted`].
pub(crate) fn read(dir: &Path) -> Loaded {
    let path = dir.join(STATE_FILE);
    let (bytes, meta) = match read_bounded(&path, MAX_STATE_BYTES) {
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => return Loaded::Missing,
        Err(e) if e.kind() == io::ErrorKind::Other => return Loaded::Corrupt(e.to_string()),
        Err(e) => return Loaded::Corrupt(format!("cannot read {}: {e}", path.display())),
        Ok(read) => read,
    };
    let state = match serde_json::from_slice::<StateData>(&bytes) {
        Ok(s) if s.version == VERSION => s,
        Ok(s) => {
            return Loaded::Corrupt(format!(
                "{} has format version {}, which this program does not know (it knows {VERSION})",
                path.display(),
                s.version
            ));
        }
        Err(e) => return Loaded::Corrupt(format!("{} is not valid state: {e}", path.display())),
    };
    match trusted(&path, &meta) {
        Ok(()) => Loaded::Ok(state),
        Err(why) => Loaded::Untrusted(state, why),
    }
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
    let tmp = temp_path(dir, STATE_FILE);
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

// serde by hand, not derived: see `crate::members`.
const FIELDS: Field = Field(&["version", "anonymous_id", "key", "consent", "notice_shown"]);
const CHOICES: &[&str] = &["enabled", "disabled"];

impl Serialize for StateData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("StateData", 5)?;
        st.serialize_field("version", &self.version)?;
        if let Some(id) = &self.anonymous_id {
            st.serialize_field("anonymous_id", id)?;
        }
        if let Some(key) = &self.key {
            st.serialize_field("key", key)?;
        }
        if let Some(c) = self.consent {
            st.serialize_field("consent", &c)?;
        }
        st.serialize_field("notice_shown", &self.notice_shown)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for StateData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("StateData", FIELDS.0, StateVisitor)
    }
}

struct StateVisitor;

impl<'de> Visitor<'de> for StateVisitor {
    type Value = StateData;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct StateData")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StateData, A::Error> {
        let mut s = StateData { version: 1, ..StateData::default() };
        read_fields(&mut map, FIELDS, Unknown::Ignored, |i, map| {
            match i {
                0 => s.version = map.next_value()?,
                1 => s.anonymous_id = map.next_value()?,
                2 => s.key = map.next_value()?,
                3 => s.consent = map.next_value()?,
                _ => s.notice_shown = map.next_value()?,
            }
            Ok(())
        })?;
        Ok(s)
    }
}

impl Serialize for ChoiceJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            ChoiceJson::Enabled => "enabled",
            ChoiceJson::Disabled => "disabled",
        })
    }
}

impl<'de> Deserialize<'de> for ChoiceJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(ChoiceVisitor)
    }
}

struct ChoiceVisitor;

impl Visitor<'_> for ChoiceVisitor {
    type Value = ChoiceJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`enabled` or `disabled`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ChoiceJson, E> {
        match v {
            "enabled" => Ok(ChoiceJson::Enabled),
            "disabled" => Ok(ChoiceJson::Disabled),
            _ => Err(E::unknown_variant(v, CHOICES)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Each of these once read as "no choice" (on by default) or as a
    /// choice; each must now read as corrupt, naming the file and the problem.
    #[test]
    fn near_miss_state_files_are_corrupt() {
        let dir = std::env::temp_dir().join(format!("tc-near-{}", uuid::Uuid::new_v4().simple()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(STATE_FILE);
        for (bytes, why) in [
            (&b"{\"consent\":\"disabled\",}"[..], "is not valid state: trailing comma at line 1 column 23"),
            (
                b"{\"version\":\"1\",\"consent\":\"disabled\"}",
                "is not valid state: invalid type: string \"1\", expected u32 at line 1 column 14",
            ),
            (
                b"{\"consent\":\"Disabled\"}",
                "is not valid state: unknown variant `Disabled`, expected `enabled` or `disabled` at line 1 column 21",
            ),
            (
                b"{\"version\":2,\"consent\":\"enabled\"}",
                "has format version 2, which this program does not know (it knows 1)",
            ),
        ] {
            fs::write(&path, bytes).unwrap();
            match read(&dir) {
                Loaded::Corrupt(got) => assert_eq!(got, format!("{} {why}", path.display())),
                other => panic!("{}: {other:?}", String::from_utf8_lossy(bytes)),
            }
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn state_is_written_in_field_order_without_nones() {
        let s =
            StateData { version: 1, key: Some("k".into()), consent: Some(ChoiceJson::Enabled), ..StateData::default() };
        let text = String::from_utf8(state_bytes(&s).unwrap()).unwrap();
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"key\": \"k\",\n  \"consent\": \"enabled\",\n  \"notice_shown\": false\n}\n"
        );
        assert_eq!(serde_json::from_str::<StateData>(&text).unwrap(), s);
        let err = serde_json::from_str::<StateData>(r#"{"key":"a","key":"b"}"#).unwrap_err();
        assert_eq!(err.to_string(), "duplicate field `key` at line 1 column 16");
    }

    #[test]
    fn unknown_keys_ignored_missing_default() {
        let s: StateData = serde_json::from_str(r#"{"consent":"disabled","future":1}"#).unwrap();
        assert_eq!(s.consent, Some(ChoiceJson::Disabled));
        assert_eq!(s.version, 1);
        assert!(!s.notice_shown);
    }
}
