//! One recorded event ([`Event`]) and what every event of a process
//! shares ([`Origin`]), and the native envelope written from the two:
//!
//! ```json
//! {"event":"<name>","properties":{...},"context":{...},"anonymous_id":"<uuid>",
//!  "session_id":"<uuid>","message_id":"<uuid>","timestamp":"<rfc3339>",
//!  "app":"<app name>","app_version":"<version>","schema_version":"<MAJOR.MINOR>"}
//! ```
//!
//! `schema_version` is there when the schema has one (`AppMeta::schema_version`);
//! `app_version` is left out when the app did not give its version;
//! `anonymous_id` and `session_id` when the app's identity is `none`. Every
//! sink and wire format writes its body from these two types.

use std::sync::Arc;

use crate::json::{json_str_len, push_json_str};
use crate::meta::Fingerprint;
use crate::timestamp;

/// What every event of a process shares, built once by `build()` (or once
/// per spool line whose process was another).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    pub app: String,
    /// Empty when the app did not give its version.
    pub app_version: String,
    pub schema_version: Option<String>,
    /// The schema the events were checked against: a spooled event is sent
    /// again only under the same one.
    pub fingerprint: Fingerprint,
    /// The same, as a spool line writes it (made once: the spooler writes it per line).
    pub fingerprint_hex: String,
    /// The context object, as JSON text.
    pub context: String,
    /// `None` for an app whose identity is `none`: its events carry no id.
    pub anonymous_id: Option<String>,
    /// `None` with `anonymous_id`: one run's events are not linked either.
    pub session_id: Option<String>,
    /// `,"context":{..},"anonymous_id":"..","session_id":"..","message_id":"`
    middle: Vec<u8>,
    /// `,"app":"..","app_version":"..","schema_version":".."}`
    tail: Vec<u8>,
}

/// The parts of an [`Origin`] as given.
pub(crate) struct OriginParts<'a> {
    pub app: &'a str,
    pub app_version: &'a str,
    pub schema_version: Option<&'a str>,
    pub fingerprint: Fingerprint,
    pub context: &'a str,
    pub anonymous_id: Option<&'a str>,
    pub session_id: Option<&'a str>,
}

impl Origin {
    pub(crate) fn new(p: OriginParts<'_>) -> Arc<Origin> {
        let mut middle = Vec::with_capacity(p.context.len() + 140);
        middle.extend_from_slice(b",\"context\":");
        middle.extend_from_slice(p.context.as_bytes());
        if let Some(id) = p.anonymous_id {
            middle.extend_from_slice(b",\"anonymous_id\":");
            push_json_str(&mut middle, id);
        }
        if let Some(id) = p.session_id {
            middle.extend_from_slice(b",\"session_id\":");
            push_json_str(&mut middle, id);
        }
        middle.extend_from_slice(b",\"message_id\":\"");
        let mut tail = b",\"app\":".to_vec();
        push_json_str(&mut tail, p.app);
        // Unknown (never set): left out, as the payload schema allows.
        if !p.app_version.is_empty() {
            tail.extend_from_slice(b",\"app_version\":");
            push_json_str(&mut tail, p.app_version);
        }
        if let Some(v) = p.schema_version {
            tail.extend_from_slice(b",\"schema_version\":");
            push_json_str(&mut tail, v);
        }
        tail.push(b'}');
        Arc::new(Origin {
            app: p.app.into(),
            app_version: p.app_version.into(),
            schema_version: p.schema_version.map(Into::into),
            fingerprint: p.fingerprint,
            fingerprint_hex: p.fingerprint.hex(),
            context: p.context.into(),
            anonymous_id: p.anonymous_id.map(Into::into),
            session_id: p.session_id.map(Into::into),
            middle,
            tail,
        })
    }

    /// This origin with neither id: for what is not one run's own (the
    /// metrics of an app that keeps no install id add up several runs).
    pub(crate) fn unlinked(&self) -> Arc<Origin> {
        Origin::new(OriginParts {
            app: &self.app,
            app_version: &self.app_version,
            schema_version: self.schema_version.as_deref(),
            fingerprint: self.fingerprint,
            context: &self.context,
            anonymous_id: None,
            session_id: None,
        })
    }

    /// `text` after this origin's part of an envelope between the
    /// properties and the message id, if it starts with it.
    pub(crate) fn strip_middle<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.as_bytes().starts_with(&self.middle).then(|| text.get(self.middle.len()..)).flatten()
    }

    /// `text` after this origin's part of an envelope after the timestamp
    /// without its closing brace (`,"app":"..",..`, where a spool line
    /// goes on), if it starts with it.
    pub(crate) fn strip_tail_fields<'t>(&self, text: &'t str) -> Option<&'t str> {
        let fields = self.tail.strip_suffix(b"}")?;
        text.as_bytes().starts_with(fields).then(|| text.get(fields.len()..)).flatten()
    }

    /// Whether this origin is the one `p` describes.
    pub(crate) fn is(&self, p: &OriginParts<'_>) -> bool {
        self.app == p.app
            && self.app_version == p.app_version
            && self.schema_version.as_deref() == p.schema_version
            && self.fingerprint == p.fingerprint
            && self.context == p.context
            && self.anonymous_id.as_deref() == p.anonymous_id
            && self.session_id.as_deref() == p.session_id
    }
}

/// One event, from `record()` to the sink: its name, its properties as the
/// derived code wrote them (hashing done), its message id and time, and its
/// process's [`Origin`].
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub name: &'static str,
    /// The properties object, as JSON text.
    pub properties: String,
    pub message_id: uuid::Uuid,
    /// Whole milliseconds since the Unix epoch, within what [`timestamp`] writes.
    pub at_ms: u64,
    /// Its place among its process's events of the same millisecond (0 for
    /// the first): `at_ms` and this are strictly later than every earlier
    /// event of the process, so with the session id they identify the event
    /// (OTLP sends no per-record id where its resource has the session).
    /// `None` for an event read from a spool line that has none.
    pub ordinal: Option<u32>,
    pub origin: Arc<Origin>,
    /// 0 for an event recorded by this process; otherwise how many times it was spooled.
    pub generation: u8,
}

const NAME_KEY: &[u8] = b"{\"event\":";
const PROPERTIES_KEY: &[u8] = b",\"properties\":";
const TIMESTAMP_KEY: &[u8] = b"\",\"timestamp\":";
/// A message id's length (hyphenated UUID) and a timestamp's.
const ID_LEN: usize = 36;
const TIMESTAMP_LEN: usize = 24;

impl Event {
    /// The native envelope's length: what the queue and the spool bound.
    pub(crate) fn size(&self) -> usize {
        let o = &self.origin;
        NAME_KEY.len()
            + json_str_len(self.name)
            + PROPERTIES_KEY.len()
            + self.properties.len()
            + o.middle.len()
            + ID_LEN
            + TIMESTAMP_KEY.len()
            + TIMESTAMP_LEN
            + 2
            + o.tail.len()
    }

    /// Appends the native envelope.
    pub(crate) fn write_envelope(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(NAME_KEY);
        push_json_str(buf, self.name);
        buf.extend_from_slice(PROPERTIES_KEY);
        buf.extend_from_slice(self.properties.as_bytes());
        buf.extend_from_slice(&self.origin.middle);
        self.write_message_id(buf);
        buf.extend_from_slice(TIMESTAMP_KEY);
        self.write_timestamp_str(buf);
        buf.extend_from_slice(&self.origin.tail);
    }

    /// The native envelope, as text.
    pub(crate) fn envelope(&self) -> String {
        let mut buf = Vec::with_capacity(self.size());
        self.write_envelope(&mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }

    /// The message id, hyphenated, lower case, unquoted.
    pub(crate) fn write_message_id(&self, buf: &mut Vec<u8>) {
        let mut id = [0u8; ID_LEN];
        buf.extend_from_slice(self.message_id.hyphenated().encode_lower(&mut id).as_bytes());
    }

    /// The time as an RFC 3339 JSON string.
    pub(crate) fn write_timestamp_str(&self, buf: &mut Vec<u8>) {
        buf.push(b'"');
        timestamp::write(buf, self.at_ms);
        buf.push(b'"');
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::meta::{AppMeta, FirstRun};
    use crate::{Hasher, PropertyWriter};

    /// The app of [`origin`]'s events: `ran` is its one event.
    pub(crate) static APP: AppMeta = AppMeta {
        name: "demo",
        title: "Demo",
        term: "telemetry",
        docs_url: None,
        anonymous_id_env: None,
        identity: crate::meta::Identity::Install,
        enabled_by_default: true,
        do_not_track: true,
        env: &[],
        first_run: FirstRun::Send,
        opt_out_command: None,
        context: &[],
        events: &["ran"],
        product_hashed: &[],
        fingerprint: Fingerprint::NONE,
        schema_version: None,
    };

    /// An origin with this context and versions (ids fixed).
    pub(crate) fn origin(context: &str, app_version: &str, schema_version: Option<&str>) -> Arc<Origin> {
        Origin::new(OriginParts {
            app: "demo",
            app_version,
            schema_version,
            fingerprint: Fingerprint::NONE,
            context,
            anonymous_id: Some("a-id"),
            session_id: Some("s-id"),
        })
    }

    /// An event of `origin` whose properties `write` writes.
    pub(crate) fn event(
        origin: &Arc<Origin>,
        name: &'static str,
        id: u128,
        at_ms: u64,
        write: impl FnOnce(&mut PropertyWriter<'_>),
    ) -> Event {
        let mut buf = Vec::new();
        let hasher = Hasher::new(b"k");
        let mut w = PropertyWriter::new(&mut buf, crate::hash::Keys::new(&hasher, None));
        write(&mut w);
        w.finish().unwrap();
        let properties = String::from_utf8(buf).unwrap();
        let message_id = uuid::Uuid::from_u128(id);
        Event { name, properties, message_id, at_ms, ordinal: Some(0), origin: origin.clone(), generation: 0 }
    }

    #[test]
    fn envelope_bytes_exact() {
        let o = origin(r#"{"os":"linux"}"#, "1.0", Some("2.3"));
        let e = event(&o, "ran", 0x0123_4567_89ab_4def_8123_4567_89ab_cdef, 1_700_000_000_123, |w| w.u64("n", 1));
        let s = e.envelope();
        assert_eq!(
            s,
            r#"{"event":"ran","properties":{"n":1},"context":{"os":"linux"},"anonymous_id":"a-id","session_id":"s-id","message_id":"01234567-89ab-4def-8123-456789abcdef","timestamp":"2023-11-14T22:13:20.123Z","app":"demo","app_version":"1.0","schema_version":"2.3"}"#
        );
        assert_eq!(e.size(), s.len());
        let odd = event(&o, "r\"an", 1, 0, |_| {});
        assert_eq!(odd.size(), odd.envelope().len());
    }

    #[test]
    fn no_schema_version_no_key() {
        let e = event(&origin("{}", "1.0", None), "ran", 0, 0, |_| {});
        assert!(e.envelope().ends_with(r#""app":"demo","app_version":"1.0"}"#), "{}", e.envelope());
    }

    #[test]
    fn unknown_app_version_is_left_out() {
        let e = event(&origin("{}", "", None), "ran", 1, 0, |_| {});
        let s = e.envelope();
        assert!(s.ends_with(r#""timestamp":"1970-01-01T00:00:00.000Z","app":"demo"}"#), "{s}");
        assert_eq!(e.size(), s.len());
    }
}
