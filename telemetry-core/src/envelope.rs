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

use crate::{Hasher, PropertyWriter};

/// The parts of an envelope that are the same for every event of a process.
#[derive(Debug)]
pub(crate) struct Template {
    /// `,"context":{..},"anonymous_id":"..","session_id":"..","message_id":"`
    middle: Vec<u8>,
    /// `","app":"..","app_version":".."}`
    tail: Vec<u8>,
}

/// Writes `s` as a JSON string. Strings with nothing to escape (field names
/// always, most values) are copied in one go; the rest go through
/// serde_json's escaping, which writes the same bytes for the plain case.
/// (serde_json's generic writer cost ~120 instructions per short string,
/// 13 strings per event: 8 % of `record()` in callgrind.)
pub(crate) fn push_json_str(buf: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        serde_json::to_writer(buf, s).expect("writing to a Vec cannot fail");
    }
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

/// Whether JSON needs any byte of `s` escaped: a control character, `"` or `\\`.
/// Eight bytes at a time (the "has a zero byte" bit trick: exact for "any").
fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        if control | zero_byte(x ^ (ONES * u64::from(b'"'))) | zero_byte(x ^ (ONES * u64::from(b'\\'))) != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
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

/// [`write_timestamp`] as a `String`.
pub(crate) fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

/// An envelope read back, borrowing from its JSON text.
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

/// A JSON value that keeps object keys in order (`serde_json::Value` sorts them).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ordered {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    List(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
                Ok(Ordered::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
                Ok(Ordered::I64(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
                Ok(i64::try_from(v).map_or(Ordered::U64(v), Ordered::I64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
                Ok(Ordered::F64(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
                Ok(Ordered::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Ordered, E> {
                Ok(Ordered::Str(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = a.next_element()? {
                    items.push(x);
                }
                Ok(Ordered::List(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some((k, v)) = a.next_entry()? {
                    items.push((k, v));
                }
                Ok(Ordered::Object(items))
            }
        }
        d.deserialize_any(V)
    }
}

impl Ordered {
    /// The members of a JSON object text, in order; empty if it is not an object.
    pub(crate) fn members(raw: &RawValue) -> Vec<(String, Ordered)> {
        match serde_json::from_str(raw.get()) {
            Ok(Ordered::Object(m)) => m,
            _ => Vec::new(),
        }
    }

    /// Writes this value as JSON.
    pub(crate) fn write(&self, buf: &mut Vec<u8>) {
        match self {
            Ordered::Null => buf.extend_from_slice(b"null"),
            Ordered::Bool(b) => buf.extend_from_slice(if *b { b"true" } else { b"false" }),
            Ordered::I64(v) => {
                let _ = write!(buf, "{v}");
            }
            Ordered::U64(v) => {
                let _ = write!(buf, "{v}");
            }
            Ordered::F64(v) => serde_json::to_writer(&mut *buf, v).expect("Vec write"),
            Ordered::Str(s) => push_json_str(buf, s),
            Ordered::List(items) => {
                buf.push(b'[');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    x.write(buf);
                }
                buf.push(b']');
            }
            Ordered::Object(m) => {
                buf.push(b'{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    push_json_str(buf, k);
                    buf.push(b':');
                    v.write(buf);
                }
                buf.push(b'}');
            }
        }
    }
}

/// Re-indents compact JSON (two spaces), keeping key order and string contents.
pub(crate) fn pretty(json: &str) -> String {
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let mut i = 0;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(b.len());
                out.push_str(&json[start..end]);
            }
            b'{' | b'[' => {
                let close = if c == b'{' { b'}' } else { b']' };
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && b[j] == close {
                    out.push(char::from(c));
                    out.push(char::from(close));
                    i = j;
                } else {
                    out.push(char::from(c));
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(char::from(c));
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            _ => {
                // Numbers, literals, and (inside no string) nothing else: copy the run.
                let start = i;
                while i + 1 < b.len() && !b"{}[],:\" \n\r\t".contains(&b[i + 1]) {
                    i += 1;
                }
                out.push_str(&json[start..=i]);
            }
        }
        i += 1;
    }
    out
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
            assert_eq!(String::from_utf8(buf).unwrap(), timestamp(t), "{m} ms");
        }
    }

    #[test]
    fn json_strings_match_serde_for_every_ascii_char_at_every_position() {
        // The eight-bytes-at-a-time scan must agree with serde_json for each
        // character in each lane of a word and in the remainder.
        for c in (0u8..0x80).map(char::from).chain(['é', '✓', '😀']) {
            for pos in 0..17 {
                let mut s: String = "abcdefghijklmnopq".chars().take(pos).collect();
                s.push(c);
                s.push_str("rstuvwxyz");
                let mut buf = Vec::new();
                push_json_str(&mut buf, &s);
                assert_eq!(buf, serde_json::to_vec(&s).unwrap(), "{s:?}");
            }
        }
    }

    #[test]
    fn json_strings_match_serde() {
        for s in [
            "",
            "plain",
            "exactly8",
            "sixteen bytes ok",
            "long enough to take\"the word path",
            "0123456789abcdef\\",
            "a\"b",
            "back\\slash",
            "tab\tnew\nline",
            "\u{1}\u{1f}",
            "é ✓ 😀",
            "\u{7f}",
        ] {
            let mut buf = Vec::new();
            push_json_str(&mut buf, s);
            assert_eq!(buf, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn pretty_keeps_order_and_strings() {
        let src = r#"{"b":[1,2.5e3,{}],"a":"x, {y}: \"z\"","c":{"d":null,"e":[]}}"#;
        let p = pretty(src);
        assert_eq!(
            p,
            "{\n  \"b\": [\n    1,\n    2.5e3,\n    {}\n  ],\n  \"a\": \"x, {y}: \\\"z\\\"\",\n  \"c\": {\n    \"d\": null,\n    \"e\": []\n  }\n}"
        );
        let a: serde_json::Value = serde_json::from_str(src).unwrap();
        let b: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn ordered_roundtrip() {
        let src = r#"{"z":1,"a":[true,null,"s"],"m":{"y":-2,"x":1.5},"big":18446744073709551615}"#;
        let v: Ordered = serde_json::from_str(src).unwrap();
        let mut out = Vec::new();
        v.write(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), src);
    }
}
