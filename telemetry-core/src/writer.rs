//! Writes an event's properties straight into a JSON buffer. `hashed`
//! values are hashed as they are written, under the key of their scope:
//! the raw value is never stored.

use crate::hash::Keys;
use crate::meta::HashScope;

/// Writes one JSON object (an event's properties, or a nested object).
///
/// Derived code calls it: the runtime opens one for each event (and for the
/// context object) and hands it to [`crate::TelemetryEvent::write_properties`]
/// or [`crate::TelemetryContext::write_fields`]. Applications never make one.
pub struct PropertyWriter<'a> {
    buf: &'a mut Vec<u8>,
    keys: Keys<'a>,
    first: bool,
    /// A value was to be hashed under a key the handle does not hold.
    unkeyed: bool,
}

/// A value was to be hashed under the product's key, which the handle does
/// not hold (its schema hashes nothing under it: only a hand-written impl
/// writes such a value). What was written must not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unkeyed;

use crate::json::push_json_str as push_str;

/// Cuts `s` to at most `max` characters, on a character boundary.
pub(crate) fn truncate(s: &str, max: Option<u32>) -> &str {
    match max {
        // No more bytes than the limit: no more characters either (no scan).
        Some(max) if s.len() <= max as usize => s,
        Some(max) => match s.char_indices().nth(max as usize) {
            Some((i, _)) => &s[..i],
            None => s,
        },
        None => s,
    }
}

impl<'a> PropertyWriter<'a> {
    /// Starts an object at the end of `buf`.
    pub(crate) fn new(buf: &'a mut Vec<u8>, keys: Keys<'a>) -> Self {
        buf.push(b'{');
        PropertyWriter { buf, keys, first: true, unkeyed: false }
    }

    /// Continues the JSON object open at the end of `buf` (its `{`, and any
    /// fields already written): the caller wrote the first keys, and closes
    /// the object itself or with [`finish`](Self::finish).
    pub(crate) fn resume(buf: &'a mut Vec<u8>, keys: Keys<'a>) -> Self {
        let first = buf.last() == Some(&b'{');
        PropertyWriter { buf, keys, first, unkeyed: false }
    }

    /// Closes the object; `Err` when a value could not be hashed (the
    /// bytes must then be discarded).
    pub(crate) fn finish(self) -> Result<(), Unkeyed> {
        self.buf.push(b'}');
        if self.unkeyed { Err(Unkeyed) } else { Ok(()) }
    }

    fn key(&mut self, name: &str) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        push_str(self.buf, name);
        self.buf.push(b':');
    }

    /// A `bool` field.
    pub fn bool(&mut self, name: &str, v: bool) {
        self.key(name);
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// An unsigned integer field.
    pub fn u64(&mut self, name: &str, v: u64) {
        self.key(name);
        write_u64(self.buf, v);
    }

    /// A signed integer field.
    pub fn i64(&mut self, name: &str, v: i64) {
        self.key(name);
        write_i64(self.buf, v);
    }

    /// A float field; NaN and infinities are written as `null` (JSON has no such numbers).
    pub fn f64(&mut self, name: &str, v: f64) {
        self.key(name);
        write_f64(self.buf, v);
    }

    /// A string field sent as is, cut to `max_length` characters if the schema bounds it.
    pub fn str(&mut self, name: &str, v: &str, max_length: Option<u32>) {
        self.key(name);
        push_str(self.buf, truncate(v, max_length));
    }

    /// A `hashed` string field: only its HMAC-SHA256 (64 hex digits) under
    /// the key of `scope` is written.
    pub fn hashed(&mut self, name: &str, v: &str, scope: HashScope) {
        self.key(name);
        self.unkeyed |= !write_hash(self.buf, self.keys, scope, v);
    }

    /// A nested object field.
    pub fn object(&mut self, name: &str, f: impl FnOnce(&mut PropertyWriter<'_>)) {
        self.key(name);
        let mut inner = PropertyWriter::new(self.buf, self.keys);
        f(&mut inner);
        self.unkeyed |= inner.finish().is_err();
    }

    /// A list field.
    pub fn list(&mut self, name: &str, f: impl FnOnce(&mut ListWriter<'_>)) {
        self.key(name);
        self.buf.push(b'[');
        let mut lw = ListWriter { buf: self.buf, keys: self.keys, first: true, unkeyed: false };
        f(&mut lw);
        lw.buf.push(b']');
        self.unkeyed |= lw.unkeyed;
    }
}

/// Writes the items of a JSON array.
pub struct ListWriter<'a> {
    buf: &'a mut Vec<u8>,
    keys: Keys<'a>,
    first: bool,
    unkeyed: bool,
}

impl ListWriter<'_> {
    fn sep(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    /// A `bool` item.
    pub fn bool(&mut self, v: bool) {
        self.sep();
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// An unsigned integer item.
    pub fn u64(&mut self, v: u64) {
        self.sep();
        write_u64(self.buf, v);
    }

    /// A signed integer item.
    pub fn i64(&mut self, v: i64) {
        self.sep();
        write_i64(self.buf, v);
    }

    /// A float item.
    pub fn f64(&mut self, v: f64) {
        self.sep();
        write_f64(self.buf, v);
    }

    /// A string item.
    pub fn str(&mut self, v: &str, max_length: Option<u32>) {
        self.sep();
        push_str(self.buf, truncate(v, max_length));
    }

    /// A hashed string item: its HMAC-SHA256 under the key of `scope`.
    pub fn hashed(&mut self, v: &str, scope: HashScope) {
        self.sep();
        self.unkeyed |= !write_hash(self.buf, self.keys, scope, v);
    }

    /// An object item.
    pub fn object(&mut self, f: impl FnOnce(&mut PropertyWriter<'_>)) {
        self.sep();
        let mut inner = PropertyWriter::new(self.buf, self.keys);
        f(&mut inner);
        self.unkeyed |= inner.finish().is_err();
    }
}

fn write_u64(buf: &mut Vec<u8>, v: u64) {
    serde_json::to_writer(buf, &v).expect("writing to a Vec cannot fail");
}

fn write_i64(buf: &mut Vec<u8>, v: i64) {
    serde_json::to_writer(buf, &v).expect("writing to a Vec cannot fail");
}

fn write_f64(buf: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        serde_json::to_writer(buf, &v).expect("writing to a Vec cannot fail");
    } else {
        buf.extend_from_slice(b"null");
    }
}

/// Writes the hash of `v` under the key of `scope`; `null` and `false`
/// when that key is not held (the caller then discards the object).
fn write_hash(buf: &mut Vec<u8>, keys: Keys<'_>, scope: HashScope, v: &str) -> bool {
    let Some(hasher) = keys.of(scope) else {
        buf.extend_from_slice(b"null");
        return false;
    };
    let mut hex = [0u8; 64];
    hasher.hash_into(v, &mut hex);
    buf.push(b'"');
    buf.extend_from_slice(&hex);
    buf.push(b'"');
    true
}
