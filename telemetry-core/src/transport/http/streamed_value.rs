//! A JSON value, as serde reads it, as an OTLP `AnyValue`: which kind each
//! JSON value becomes, decided once for both OTLP encodings (JSON in
//! `otlp.rs`, protobuf in `otlp_proto/stream.rs`), each writing the kinds
//! its own way. No JSON value is built (building one was most of a body's time).

use serde_core::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// How one OTLP encoding writes each kind of `AnyValue`.
pub(super) trait Encoding: Sized {
    /// JSON `null`: an `AnyValue` with no value set.
    fn empty(self);
    /// `boolValue`.
    fn bool(self, v: bool);
    /// `intValue`.
    fn int(self, v: i64);
    /// `doubleValue`.
    fn double(self, v: f64);
    /// `stringValue`.
    fn string(self, v: &str);
    /// `arrayValue`: each element read through [`Any`].
    fn array<'de, A: SeqAccess<'de>>(self, a: A) -> Result<(), A::Error>;
    /// `kvlistValue`: each member's value read through [`Any`].
    fn kvlist<'de, A: MapAccess<'de>>(self, a: A) -> Result<(), A::Error>;
}

/// One JSON value written as an `AnyValue` by encoding `W`.
pub(super) struct Any<W>(pub(super) W);

impl<'de, W: Encoding> DeserializeSeed<'de> for Any<W> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, W: Encoding> Visitor<'de> for Any<W> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.empty();
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.bool(v);
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.int(v);
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        // Above i64::MAX: no OTLP integer holds it; the exact digits as text.
        match i64::try_from(v) {
            Ok(i) => self.0.int(i),
            Err(_) => self.0.string(&v.to_string()),
        }
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.0.double(v);
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.string(v);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, a: A) -> Result<(), A::Error> {
        self.0.array(a)
    }
    fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<(), A::Error> {
        self.0.kvlist(a)
    }
}
