//! The wire envelope of one event, written on the caller's thread, and
//! read back by the worker when a wire format needs its parts.
//!
//! ```json
//! {"event":"<name>","properties":{...},"context":{...},"anonymous_id":"<uuid>",
//!  "session_id":"<uuid>","message_id":"<uuid>","timestamp":"<rfc3339>",
//!  "app":"<app name>","app_version":"<version>","schema_version":"<MAJOR.MINOR>"}
//! ```
//!
//! `schema_version` is there when the schema has one (`AppMeta::schema_version`);
//! `app_version` is left out when the app did not give its version.

use std::borrow::Cow;
use std::io::Write;
use std::time::SystemTime;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::json::push_json_str;
use crate::{Hasher, PropertyWriter};

/// The parts of an envelope that are the same for every event of a process.
#[derive(Debug)]
pub(crate) struct Template {
    /// `,"context":{..},"anonymous_id":"..","session_id":"..","message_id":"`
    middle: Vec<u8>,
    /// `","app":"..","app_version":"..","schema_version":".."}` (no `app_version`
    /// when unknown, no `schema_version` when the schema has none)
    tail: Vec<u8>,
}

impl Template {
    pub(crate) fn new(
        context: &[u8],
        anonymous_id: &str,
        session_id: &str,
        app: &str,
        app_version: &str,
        schema_version: Option<&str>,
    ) -> Self {
        let mut middle = Vec::with_capacity(context.len() + 140);
        middle.extend_from_slice(b",\"context\":");
        middle.extend_from_slice(context);
        middle.extend_from_slice(b",\"anonymous_id\":");
        push_json_str(&mut middle, anonymous_id);
        middle.extend_from_slice(b",\"session_id\":");
        push_json_str(&mut middle, session_id);
        middle.extend_from_slice(b",\"message_id\":\"");
        let mut tail = b"\",\"app\":".to_vec();
        push_json_str(&mut tail, app);
        // Unknown (never set): left out, as the payload schema allows.
        if !app_version.is_empty() {
            tail.extend_from_slice(b",\"app_version\":");
            push_json_str(&mut tail, app_version);
        }
        if let Some(v) = schema_version {
            tail.extend_from_slice(b",\"schema_version\":");
            push_json_str(&mut tail, v);
        }
        tail.push(b'}');
        Template { middle, tail }
    }

    /// The two stretches every envelope of this template has (see
    /// [`Parts::shared`]), for [`Parts::locate`].
    pub(crate) fn stretches(&self) -> Option<(String, String)> {
        Some((String::from_utf8(self.middle.clone()).ok()?, String::from_utf8(self.tail.clone()).ok()?))
    }

    /// A size hint for a buffer holding one envelope.
    pub(crate) fn size_hint(&self) -> usize {
        self.middle.len() + self.tail.len() + 200
    }

    /// Writes one envelope into `buf` (empty), and says where its parts lie.
    pub(crate) fn write(
        &self,
        buf: &mut Vec<u8>,
        name: &str,
        hasher: &Hasher,
        message_id: uuid::Uuid,
        now: SystemTime,
        write_properties: &mut dyn FnMut(&mut PropertyWriter<'_>),
    ) -> Parts {
        buf.extend_from_slice(NAME_KEY);
        push_json_str(buf, name);
        let name_end = buf.len();
        buf.extend_from_slice(PROPERTIES_KEY);
        let mut w = PropertyWriter::new(buf, hasher);
        write_properties(&mut w);
        w.finish();
        let properties_end = buf.len();
        buf.extend_from_slice(&self.middle);
        let message_id_at = buf.len();
        let mut id = [0u8; 36];
        buf.extend_from_slice(message_id.hyphenated().encode_lower(&mut id).as_bytes());
        buf.extend_from_slice(TIMESTAMP_KEY);
        write_timestamp(buf, now);
        buf.extend_from_slice(&self.tail);
        let nanos = whole_millis_nanos(now).unwrap_or(0);
        Parts { name_end, properties_end, message_id: message_id_at, nanos }
    }
}

/// Nanoseconds since the Unix epoch, in whole milliseconds: the timestamp's
/// own precision, so that an envelope located again gives the same.
fn whole_millis_nanos(t: SystemTime) -> Option<u64> {
    let millis = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis();
    u64::try_from(millis.checked_mul(1_000_000)?).ok()
}

const NAME_KEY: &[u8] = b"{\"event\":";
const PROPERTIES_KEY: &[u8] = b",\"properties\":";
const TIMESTAMP_KEY: &[u8] = b"\",\"timestamp\":\"";
/// A message id's length (hyphenated UUID) and a timestamp's (`write_timestamp`).
const ID_LEN: usize = 36;
const TIMESTAMP_LEN: usize = 24;

/// Where the parts of an envelope this process wrote lie in its text, so
/// that the wire formats read them without parsing it again (parsing was
/// most of the worker's time). This run's envelopes read back from the spool
/// get theirs again from [`Parts::locate`]; an earlier run's have none and
/// are parsed. Every getter checks its bounds: `None` sends the envelope
/// down the parsing path, never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    name_end: usize,
    properties_end: usize,
    message_id: usize,
    /// The timestamp, in nanoseconds since the Unix epoch (whole milliseconds, as written).
    pub nanos: u64,
}

#[cfg_attr(not(feature = "http"), allow(dead_code))]
impl Parts {
    /// The parts of `json` if it was written with the template whose
    /// [`Template::stretches`] are `middle` and `tail`: for this run's
    /// envelopes read back from the spool (their parts are not on disk).
    /// Found from the end (the tail, the fixed-length timestamp and id, the
    /// middle), each stretch compared byte for byte; `None` for anything
    /// else (another run's template, an escaped event name), which is parsed.
    pub(crate) fn locate(json: &str, middle: &str, tail: &str) -> Option<Parts> {
        let timestamp_end = json.len().checked_sub(tail.len())?;
        let message_id = timestamp_end.checked_sub(TIMESTAMP_LEN + TIMESTAMP_KEY.len() + ID_LEN)?;
        let properties_end = message_id.checked_sub(middle.len())?;
        let timestamp_at = message_id + ID_LEN + TIMESTAMP_KEY.len();
        if json.get(timestamp_end..)? != tail
            || json.get(properties_end..message_id)? != middle
            || json.get(message_id + ID_LEN..timestamp_at)?.as_bytes() != TIMESTAMP_KEY
        {
            return None;
        }
        let name = json.as_bytes().strip_prefix(NAME_KEY)?.strip_prefix(b"\"")?;
        let close = name.iter().position(|&b| b == b'"' || b == b'\\')?;
        let name_end = NAME_KEY.len() + 1 + close + 1;
        if name[close] != b'"'
            || !json.as_bytes().get(name_end..)?.starts_with(PROPERTIES_KEY)
            || name_end + PROPERTIES_KEY.len() >= properties_end
        {
            return None;
        }
        let at = humantime::parse_rfc3339(json.get(timestamp_at..timestamp_end)?).ok()?;
        Some(Parts { name_end, properties_end, message_id, nanos: whole_millis_nanos(at)? })
    }

    /// The event name as a JSON string token (quotes included).
    pub(crate) fn name<'a>(&self, json: &'a str) -> Option<&'a str> {
        json.get(NAME_KEY.len()..self.name_end)
    }

    /// The properties object, as JSON text.
    pub(crate) fn properties<'a>(&self, json: &'a str) -> Option<&'a str> {
        json.get(self.name_end + PROPERTIES_KEY.len()..self.properties_end)
    }

    pub(crate) fn message_id<'a>(&self, json: &'a str) -> Option<&'a str> {
        json.get(self.message_id..self.message_id + ID_LEN)
    }

    /// The RFC 3339 timestamp, as written.
    pub(crate) fn timestamp<'a>(&self, json: &'a str) -> Option<&'a str> {
        let at = self.message_id + ID_LEN + TIMESTAMP_KEY.len();
        json.get(at..at + TIMESTAMP_LEN)
    }

    /// The template's two stretches (context, ids, app and versions): two
    /// envelopes with equal ones share all of those.
    pub(crate) fn shared<'a>(&self, json: &'a str) -> Option<(&'a str, &'a str)> {
        let tail = self.message_id + ID_LEN + TIMESTAMP_KEY.len() + TIMESTAMP_LEN;
        Some((json.get(self.properties_end..self.message_id)?, json.get(tail..)?))
    }
}

/// RFC 3339, UTC, milliseconds: `2024-05-01T12:00:00.123Z`.
///
/// Written digit by digit (civil date from days since the epoch, Howard
/// Hinnant's algorithm) instead of through `core::fmt` and humantime's
/// `Display`, which cost ~470 instructions per event in callgrind. Times
/// outside 1970..=9999 (a clock set far off) go through humantime, as before
/// (which refuses them: `record` catches that and drops the event).
pub(crate) fn write_timestamp(buf: &mut Vec<u8>, t: SystemTime) {
    let since = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) if d.as_secs() < 253_402_300_800 => d,
        _ => {
            let _ = write!(buf, "{}", humantime::format_rfc3339_millis(t));
            return;
        }
    };
    let secs = since.as_secs();
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let ms = since.subsec_millis();
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, mut v: u64| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y);
    put(5, 2, m);
    put(8, 2, d);
    put(11, 2, rem / 3600);
    put(14, 2, rem / 60 % 60);
    put(17, 2, rem % 60);
    put(20, 3, u64::from(ms));
    buf.extend_from_slice(&out);
}

/// (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// An envelope read back, borrowing from its JSON text. Parsing checks that
/// every part is there (the spool discards what is not an envelope), though
/// only the HTTP wire formats read the parts beyond event and properties.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Envelope<'a> {
    #[serde(borrow)]
    pub event: Cow<'a, str>,
    #[serde(borrow)]
    pub properties: &'a RawValue,
    #[serde(borrow)]
    pub context: &'a RawValue,
    #[serde(borrow)]
    pub anonymous_id: Cow<'a, str>,
    #[serde(borrow)]
    pub session_id: Cow<'a, str>,
    #[serde(borrow)]
    pub message_id: Cow<'a, str>,
    #[serde(borrow)]
    pub timestamp: Cow<'a, str>,
    #[serde(borrow)]
    pub app: Cow<'a, str>,
    /// Empty when the app's version is unknown (the key is left out).
    #[serde(borrow, default)]
    pub app_version: Cow<'a, str>,
    /// Absent for schemas without a version (and in envelopes spooled before it was sent).
    /// Parsed so that `deny_unknown_fields` accepts it; the native format sends
    /// the envelope as is, and the third-party formats have no slot for it.
    #[allow(dead_code)]
    #[serde(borrow, default)]
    pub schema_version: Option<Cow<'a, str>>,
}

impl<'a> Envelope<'a> {
    pub(crate) fn parse(json: &'a str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_bytes_exact() {
        let t = Template::new(br#"{"os":"linux"}"#, "a-id", "s-id", "demo", "1.0", Some("2.3"));
        let mut buf = Vec::new();
        let id = uuid::Uuid::from_u128(0x0123_4567_89ab_4def_8123_4567_89ab_cdef);
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_123);
        let parts = t.write(&mut buf, "ran", &Hasher::new(b"k"), id, at, &mut |w| w.u64("n", 1));
        assert_eq!(
            String::from_utf8(buf.clone()).unwrap(),
            r#"{"event":"ran","properties":{"n":1},"context":{"os":"linux"},"anonymous_id":"a-id","session_id":"s-id","message_id":"01234567-89ab-4def-8123-456789abcdef","timestamp":"2023-11-14T22:13:20.123Z","app":"demo","app_version":"1.0","schema_version":"2.3"}"#
        );
        let s = String::from_utf8(buf).unwrap();
        assert_eq!(parts.name(&s), Some(r#""ran""#));
        assert_eq!(parts.properties(&s), Some(r#"{"n":1}"#));
        assert_eq!(parts.message_id(&s), Some("01234567-89ab-4def-8123-456789abcdef"));
        assert_eq!(parts.timestamp(&s), Some("2023-11-14T22:13:20.123Z"));
        assert_eq!(parts.nanos, 1_700_000_000_123_000_000);
        assert_eq!(
            parts.shared(&s),
            Some((
                r#","context":{"os":"linux"},"anonymous_id":"a-id","session_id":"s-id","message_id":""#,
                r#"","app":"demo","app_version":"1.0","schema_version":"2.3"}"#
            ))
        );
        let (middle, tail) = t.stretches().unwrap();
        assert_eq!(Parts::locate(&s, &middle, &tail), Some(parts));
        // Another template's text, an escaped name, a cut text: not located.
        let other = Template::new(br#"{"os":"mac"}"#, "a-id", "s-id", "demo", "1.0", Some("2.3"));
        let (m2, t2) = other.stretches().unwrap();
        assert_eq!(Parts::locate(&s, &m2, &t2), None);
        let mut buf = Vec::new();
        t.write(&mut buf, "r\"an", &Hasher::new(b"k"), id, at, &mut |w| w.u64("n", 1));
        assert_eq!(Parts::locate(std::str::from_utf8(&buf).unwrap(), &middle, &tail), None);
        for cut in 1..s.len() {
            assert_eq!(Parts::locate(&s[cut..], &middle, &tail), None, "{cut}");
            if s.is_char_boundary(cut) {
                assert_eq!(Parts::locate(&s[..cut], &middle, &tail), None, "{cut}");
            }
        }
        // Out of bounds (a text that is not the one written): none, no panic.
        assert_eq!(parts.timestamp("{}"), None);
        assert_eq!(parts.shared("{}"), None);
        let e = Envelope::parse(&s).unwrap();
        assert_eq!(e.properties.get(), r#"{"n":1}"#);
        assert_eq!(e.timestamp, "2023-11-14T22:13:20.123Z");
        assert_eq!(e.schema_version.as_deref(), Some("2.3"));
    }

    #[test]
    fn no_schema_version_no_key() {
        let t = Template::new(b"{}", "a", "s", "demo", "1.0", None);
        let mut buf = Vec::new();
        t.write(&mut buf, "ran", &Hasher::new(b"k"), uuid::Uuid::nil(), SystemTime::UNIX_EPOCH, &mut |_| {});
        let s = String::from_utf8(buf).unwrap();
        assert!(s.ends_with(r#""app":"demo","app_version":"1.0"}"#), "{s}");
        assert_eq!(Envelope::parse(&s).unwrap().schema_version, None);
    }

    #[test]
    fn unknown_app_version_is_left_out() {
        let t = Template::new(b"{}", "a-id", "s-id", "demo", "", None);
        let mut buf = Vec::new();
        let id = uuid::Uuid::from_u128(1);
        t.write(&mut buf, "ran", &Hasher::new(b"k"), id, SystemTime::UNIX_EPOCH, &mut |_| {});
        let s = String::from_utf8(buf).unwrap();
        assert!(s.ends_with(r#""timestamp":"1970-01-01T00:00:00.000Z","app":"demo"}"#), "{s}");
        assert_eq!(Envelope::parse(&s).unwrap().app_version, "");
    }

    #[test]
    fn timestamp_matches_humantime() {
        let mut ms: Vec<u64> = vec![0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000, 951_868_800_000];
        // Every day boundary of 1970..2100, plus odd times, and the far end.
        ms.extend((0..47_500u64).map(|d| d * 86_400_000 + (d * 7_919_333) % 86_400_000));
        ms.extend([4_102_444_800_000, 253_402_300_799_999]);
        for m in ms {
            let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(m);
            let mut buf = Vec::new();
            write_timestamp(&mut buf, t);
            assert_eq!(String::from_utf8(buf).unwrap(), humantime::format_rfc3339_millis(t).to_string(), "{m} ms");
        }
    }
}
