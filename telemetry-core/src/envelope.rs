//! The wire envelope of one event, written on the caller's thread, and
//! read back by the worker when a wire format needs its parts.
//!
//! ```json
//! {"event":"<name>","properties":{...},"context":{...},"anonymous_id":"<uuid>",
//!  "session_id":"<uuid>","message_id":"<uuid>","timestamp":"<rfc3339>",
//!  "app":"<app name>","app_version":"<version>"}
//! ```

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
    /// `","app":"..","app_version":".."}`
    tail: Vec<u8>,
}

impl Template {
    pub(crate) fn new(context: &[u8], anonymous_id: &str, session_id: &str, app: &str, app_version: &str) -> Self {
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
        tail.extend_from_slice(b",\"app_version\":");
        push_json_str(&mut tail, app_version);
        tail.push(b'}');
        Template { middle, tail }
    }

    /// A size hint for a buffer holding one envelope.
    pub(crate) fn size_hint(&self) -> usize {
        self.middle.len() + self.tail.len() + 200
    }

    /// Writes one envelope into `buf`.
    pub(crate) fn write(
        &self,
        buf: &mut Vec<u8>,
        name: &str,
        hasher: &Hasher,
        message_id: uuid::Uuid,
        now: SystemTime,
        write_properties: &mut dyn FnMut(&mut PropertyWriter<'_>),
    ) {
        buf.extend_from_slice(b"{\"event\":");
        push_json_str(buf, name);
        buf.extend_from_slice(b",\"properties\":");
        let mut w = PropertyWriter::new(buf, hasher);
        write_properties(&mut w);
        w.finish();
        buf.extend_from_slice(&self.middle);
        let mut id = [0u8; 36];
        buf.extend_from_slice(message_id.hyphenated().encode_lower(&mut id).as_bytes());
        buf.extend_from_slice(b"\",\"timestamp\":\"");
        write_timestamp(buf, now);
        buf.extend_from_slice(&self.tail);
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
    #[serde(borrow)]
    pub app_version: Cow<'a, str>,
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
        let t = Template::new(br#"{"os":"linux"}"#, "a-id", "s-id", "demo", "1.0");
        let mut buf = Vec::new();
        let id = uuid::Uuid::from_u128(0x0123_4567_89ab_4def_8123_4567_89ab_cdef);
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_123);
        t.write(&mut buf, "ran", &Hasher::new(b"k"), id, at, &mut |w| w.u64("n", 1));
        assert_eq!(
            String::from_utf8(buf.clone()).unwrap(),
            r#"{"event":"ran","properties":{"n":1},"context":{"os":"linux"},"anonymous_id":"a-id","session_id":"s-id","message_id":"01234567-89ab-4def-8123-456789abcdef","timestamp":"2023-11-14T22:13:20.123Z","app":"demo","app_version":"1.0"}"#
        );
        let s = String::from_utf8(buf).unwrap();
        let e = Envelope::parse(&s).unwrap();
        assert_eq!(e.properties.get(), r#"{"n":1}"#);
        assert_eq!(e.timestamp, "2023-11-14T22:13:20.123Z");
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
