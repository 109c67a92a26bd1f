//! A spool line (`line.rs`) read back into the same [`Event`] (a line
//! without an ordinal, as an earlier release wrote it, reads back with
//! none). A line is read back only if the current schema would send it:
//! the same fingerprint (so the same fields, each collected the same way)
//! and an event it declares. Anything else (another schema, an earlier
//! release's line without a fingerprint, a torn write) is discarded.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde_core::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::line::{FINGERPRINT_KEY, ORDINAL_KEY};
use crate::envelope::{Event, Origin, OriginParts};
use crate::members::{Field, Text, Unknown, read_fields};
use crate::meta::AppMeta;
use crate::timestamp;

/// A line as written: no other key, none twice.
struct Line<'a> {
    event: Cow<'a, str>,
    properties: &'a RawValue,
    context: &'a RawValue,
    /// Absent in the lines of an app whose identity is `none`.
    anonymous_id: Option<Cow<'a, str>>,
    session_id: Option<Cow<'a, str>>,
    message_id: Cow<'a, str>,
    timestamp: Cow<'a, str>,
    app: Cow<'a, str>,
    /// Empty when absent.
    app_version: Cow<'a, str>,
    schema_version: Option<Cow<'a, str>>,
    /// Absent in an earlier release's lines.
    ordinal: Option<u32>,
    fingerprint: Cow<'a, str>,
}

// serde by hand, not derived: see `crate::members`.
const FIELDS: Field = Field(&[
    "event",
    "properties",
    "context",
    "anonymous_id",
    "session_id",
    "message_id",
    "timestamp",
    "app",
    "app_version",
    "schema_version",
    "fingerprint",
    "ordinal",
]);
/// The fields without a default (indices into `FIELDS`).
const REQUIRED: &[usize] = &[0, 1, 2, 5, 6, 7, 10];

impl<'de> Deserialize<'de> for Line<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("Line", FIELDS.0, LineVisitor)
    }
}

struct LineVisitor;

impl<'de> Visitor<'de> for LineVisitor {
    type Value = Line<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a spooled line")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line<'de>, A::Error> {
        let mut text: [Option<Cow<'de, str>>; 11] = Default::default();
        let (mut properties, mut context, mut ordinal) = (None, None, None);
        let seen = read_fields(&mut map, FIELDS, Unknown::Refused, |i, map| {
            match i {
                1 => properties = Some(map.next_value()?),
                2 => context = Some(map.next_value()?),
                11 => ordinal = map.next_value()?,
                // `null` reads as absent where a field may be absent.
                3 | 4 | 9 => text[i] = map.next_value::<Option<Text<'de>>>()?.map(|t| t.0),
                _ => text[i] = Some(map.next_value::<Text<'de>>()?.0),
            }
            Ok(())
        })?;
        seen.missing(REQUIRED)?;
        let (Some(properties), Some(context)) = (properties, context) else {
            return Err(de::Error::missing_field("properties"));
        };
        let mut take = |i: usize| text[i].take().unwrap_or_default();
        Ok(Line {
            event: take(0),
            properties,
            context,
            message_id: take(5),
            timestamp: take(6),
            app: take(7),
            app_version: take(8),
            fingerprint: take(10),
            anonymous_id: text[3].take(),
            session_id: text[4].take(),
            schema_version: text[9].take(),
            ordinal,
        })
    }
}

/// Reads lines back under the current schema (`app`). Lines of one process
/// share one [`Origin`]; this process's own lines get its own back.
pub(super) struct Reader {
    app: &'static AppMeta,
    fingerprint: String,
    /// The origin of the last line read, first this process's own.
    last: Option<Arc<Origin>>,
    own: Option<Arc<Origin>>,
}

impl Reader {
    pub(super) fn new(app: &'static AppMeta, own: Option<Arc<Origin>>) -> Self {
        Reader { app, fingerprint: app.fingerprint.hex(), last: own.clone(), own }
    }

    /// The event of `line`, if the current schema would send it.
    pub(super) fn read(&mut self, line: &str, generation: u8) -> Option<Event> {
        self.read_known(line, generation).or_else(|| self.read_parsed(line, generation))
    }

    /// A line exactly as [`super::line::write`] wrote it, under an origin this reader
    /// already has (its process's own, or the last line's): the origin's
    /// bytes (context, ids, app, versions: most of a line) are compared,
    /// not parsed again; only the properties are. Reading the spool back
    /// was a third of a burst's background CPU, most of it in these bytes.
    /// Everything it accepts [`Reader::read_parsed`] reads the same way
    /// (the test `a_line_as_written_is_read_without_parsing_its_origin`);
    /// anything else, `None`: it is parsed in full.
    fn read_known(&mut self, line: &str, generation: u8) -> Option<Event> {
        let (name, rest) = line.strip_prefix("{\"event\":\"")?.split_once('"')?;
        let name = self.event_name(name)?;
        let rest = rest.strip_prefix(",\"properties\":")?;
        if !rest.starts_with('{') {
            return None;
        }
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<&RawValue>();
        let properties = stream.next()?.ok()?.get();
        let rest = rest.get(stream.byte_offset()..)?;
        let (origin, rest) =
            [&self.last, &self.own].into_iter().flatten().find_map(|o| o.strip_middle(rest).map(|r| (o.clone(), r)))?;
        let (message_id, rest) = (rest.get(..36)?, rest.get(36..)?);
        let (timestamp, rest) = rest.strip_prefix("\",\"timestamp\":\"")?.split_once('"')?;
        let rest = origin.strip_tail_fields(rest)?;
        let (ordinal, rest) = match rest.strip_prefix(ORDINAL_KEY) {
            Some(r) => {
                let digits = r.bytes().take_while(u8::is_ascii_digit).count();
                // JSON writes no leading zero: such a line is parsed, and refused.
                if digits == 0 || (digits > 1 && r.starts_with('0')) {
                    return None;
                }
                (Some(r[..digits].parse().ok()?), &r[digits..])
            }
            None => (None, rest),
        };
        let fingerprint = rest.strip_prefix(FINGERPRINT_KEY)?.strip_suffix("\"}")?;
        if fingerprint != self.fingerprint {
            return None;
        }
        let event = Event {
            name,
            properties: properties.to_string(),
            message_id: uuid::Uuid::try_parse(message_id).ok()?,
            at_ms: timestamp::parse(timestamp)?,
            ordinal,
            origin: origin.clone(),
            generation,
        };
        self.last = Some(origin);
        Some(event)
    }

    /// A declared event's name, or the metrics payload's (not a declared
    /// event; the fingerprint says it is this schema's).
    fn event_name(&self, name: &str) -> Option<&'static str> {
        let metrics =
            (name == crate::metrics::payload::METRICS_EVENT).then_some(crate::metrics::payload::METRICS_EVENT);
        self.app.events.iter().copied().find(|n| *n == name).or(metrics)
    }

    /// The event of `line` parsed in full, if the current schema would send it.
    fn read_parsed(&mut self, line: &str, generation: u8) -> Option<Event> {
        let l: Line<'_> = serde_json::from_str(line).ok()?;
        if l.fingerprint != self.fingerprint || l.app != self.app.name {
            return None;
        }
        let name = self.event_name(&l.event)?;
        let (properties, context) = (l.properties.get(), l.context.get());
        if !properties.starts_with('{') || !context.starts_with('{') {
            return None;
        }
        let parts = OriginParts {
            app: self.app.name,
            app_version: &l.app_version,
            schema_version: l.schema_version.as_deref(),
            fingerprint: self.app.fingerprint,
            context,
            anonymous_id: l.anonymous_id.as_deref(),
            session_id: l.session_id.as_deref(),
        };
        Some(Event {
            name,
            properties: properties.to_string(),
            message_id: uuid::Uuid::try_parse(&l.message_id).ok()?,
            at_ms: timestamp::parse(&l.timestamp)?,
            ordinal: l.ordinal,
            origin: self.origin(parts),
            generation,
        })
    }

    fn origin(&mut self, parts: OriginParts<'_>) -> Arc<Origin> {
        let known = [&self.last, &self.own].into_iter().flatten().find(|o| o.is(&parts)).cloned();
        let origin = known.unwrap_or_else(|| Origin::new(parts));
        self.last = Some(origin.clone());
        origin
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::tests::{APP, event, origin};
    use crate::meta::Fingerprint;
    use crate::spool::line::{len, write};

    static OTHER_SCHEMA: AppMeta = AppMeta { fingerprint: Fingerprint::new(7), ..APP };
    static NO_EVENT: AppMeta = AppMeta { events: &[], ..APP };

    fn line(e: &Event) -> String {
        let mut buf = Vec::new();
        write(&mut buf, e);
        assert_eq!(buf.len(), len(e));
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn a_line_reads_back_into_the_same_event_and_origin() {
        let own = origin(r#"{"os":"linux"}"#, "1.0", Some("2.0"));
        let e = Event { ordinal: Some(12), ..event(&own, "ran", 5, 1_700_000_000_123, |w| w.str("s", "tab\t", None)) };
        let text = line(&e);
        assert!(
            text.ends_with(r#","schema_version":"2.0","ordinal":12,"fingerprint":"00000000000000000000000000000000"}"#),
            "{text}"
        );
        let mut reader = Reader::new(&APP, Some(own.clone()));
        let back = reader.read(&text, 2).unwrap();
        assert!(Arc::ptr_eq(&back.origin, &own));
        assert_eq!(back.envelope(), e.envelope());
        assert_eq!((back.generation, back.ordinal), (2, Some(12)));
        // An earlier release's line has no ordinal: it reads back with none.
        let before = Event { ordinal: None, ..e.clone() };
        let text = line(&before);
        assert!(!text.contains("ordinal"), "{text}");
        assert_eq!(reader.read(&text, 1).unwrap().ordinal, None);
        for n in [0, 9, 10, 999_999, u32::MAX] {
            line(&Event { ordinal: Some(n), ..e.clone() });
        }
        // Another process's: its own origin, shared by its lines.
        let earlier = event(&origin("{}", "", None), "ran", 6, 0, |_| {});
        let (a, b) = (reader.read(&line(&earlier), 1).unwrap(), reader.read(&line(&earlier), 1).unwrap());
        assert!(Arc::ptr_eq(&a.origin, &b.origin) && !Arc::ptr_eq(&a.origin, &own));
        assert_eq!(a.envelope(), earlier.envelope());
    }

    /// What `write` wrote is read without parsing its origin (this
    /// process's own at once, another process's from its second line on),
    /// into what the full parse reads.
    #[test]
    fn a_line_as_written_is_read_without_parsing_its_origin() {
        let own = origin(r#"{"os":"linux","ci":false}"#, "1.0", Some("2.0"));
        let other = origin(r#"{"os":"mac\u00e9 \"x\""}"#, "", None);
        let unlinked = other.unlinked();
        for (i, o) in [&own, &other, &unlinked].into_iter().enumerate() {
            for ordinal in [None, Some(0), Some(10), Some(u32::MAX)] {
                let e = Event {
                    ordinal,
                    ..event(o, "ran", 5 + i as u128, 1_700_000_000_123, |w| {
                        w.str("s", "tab\t \"q\" é {}", None);
                        w.list("l", |l| l.str("a,b}", None));
                        w.u64("n", 7);
                    })
                };
                let text = line(&e);
                let parsed = Reader::new(&APP, Some(own.clone())).read_parsed(&text, 2).unwrap();
                let mut reader = Reader::new(&APP, Some(own.clone()));
                if !Arc::ptr_eq(o, &own) {
                    assert!(reader.read_known(&text, 2).is_none(), "a new origin is parsed: {text}");
                    reader.read_parsed(&text, 2).unwrap();
                }
                let known = reader.read_known(&text, 2).unwrap_or_else(|| panic!("not read as written: {text}"));
                assert_eq!(known.envelope(), e.envelope());
                assert_eq!(known.envelope(), parsed.envelope());
                assert_eq!((known.ordinal, known.generation, known.at_ms), (parsed.ordinal, 2, parsed.at_ms));
                assert_eq!(known.origin, parsed.origin);
            }
        }
        // Not as written (JSON has no leading zero): parsed, and refused.
        let text = line(&Event { ordinal: Some(12), ..event(&own, "ran", 5, 0, |_| {}) }).replace(":12,", ":012,");
        assert!(Reader::new(&APP, Some(own)).read(&text, 1).is_none(), "{text}");
    }

    #[test]
    fn what_the_current_schema_would_not_send_is_not_read() {
        let e = event(&origin("{}", "1.0", None), "ran", 5, 0, |w| w.u64("n", 1));
        let text = line(&e);
        assert!(Reader::new(&OTHER_SCHEMA, None).read(&text, 1).is_none(), "another fingerprint");
        assert!(Reader::new(&NO_EVENT, None).read(&text, 1).is_none(), "event removed");
        let mut r = Reader::new(&APP, None);
        // The line's origin known first: what follows is refused by the
        // comparison of its bytes as by the full parse.
        assert!(r.read(&text, 1).is_some());
        // An earlier release's line: the envelope alone, no fingerprint.
        assert!(r.read(&e.envelope(), 1).is_none());
        for (from, to) in [
            (r#""properties":{"n":1}"#, r#""properties":[1]"#),
            (r#""message_id":"00000000-0000-0000-0000-000000000005""#, r#""message_id":"M""#),
            ("1970-01-01T00:00:00.000Z", "yesterday"),
            (r#""app":"demo""#, r#""app":"other""#),
            (r#""event":"ran""#, r#""event":"walked""#),
            ("\"}", "\",\"extra\":1}"),
        ] {
            assert!(text.contains(from), "{from}");
            assert!(r.read(&text.replace(from, to), 1).is_none(), "{to}");
        }
        assert!(r.read(&text, 1).is_some());
    }

    proptest::proptest! {
        // Cheap cases, and the edits that matter are a few bytes among ~300.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// Whatever an edit makes of a written line, what the comparison of
        /// its origin's bytes accepts, the full parse accepts too, into the
        /// same event: the shortcut never reads a line another way.
        #[test]
        fn what_is_read_as_written_the_full_parse_reads_the_same(
            at in 0usize..400,
            cut in 0usize..4,
            put in "[a-z0-9{}\\[\\],:\"\\\\. -]{0,4}",
            ordinal in proptest::option::of(0u32..20),
        ) {
            let own = origin(r#"{"os":"linux","ci":false}"#, "1.0", Some("2.0"));
            let e = Event { ordinal, ..event(&own, "ran", 5, 1_700_000_000_123, |w| w.str("s", "ab", None)) };
            let mut text = line(&e);
            let at = at.min(text.len());
            text.replace_range(at..(at + cut).min(text.len()), &put);
            let known = Reader::new(&APP, Some(own.clone())).read_known(&text, 1);
            if let Some(k) = known {
                let p = Reader::new(&APP, Some(own)).read_parsed(&text, 1);
                proptest::prop_assert!(p.is_some(), "read as written, refused by the parse: {}", text);
                let p = p.unwrap();
                proptest::prop_assert_eq!(k.envelope(), p.envelope());
                proptest::prop_assert_eq!((k.ordinal, k.at_ms, k.generation), (p.ordinal, p.at_ms, p.generation));
                proptest::prop_assert_eq!(&k.origin, &p.origin);
            }
        }
    }

    #[test]
    fn a_time_with_an_offset_is_read_in_utc() {
        let e = event(&origin("{}", "1.0", None), "ran", 5, 1_700_000_000_123, |_| {});
        let text = line(&e).replace("2023-11-14T22:13:20.123Z", "2023-11-15T00:13:20.123+02:00");
        let back = Reader::new(&APP, None).read(&text, 1).unwrap();
        assert_eq!(back.at_ms, 1_700_000_000_123);
        assert!(back.envelope().contains(r#""timestamp":"2023-11-14T22:13:20.123Z""#));
    }
}
