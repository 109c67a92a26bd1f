//! An event's properties streamed into `LogRecord.attributes` while
//! serde_json reads them, without building a JSON value.

use serde_core::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::super::ordered::Key;
use super::super::streamed_value::{Any, Encoding};
use super::wire::{fixed64, message, string, uint};

/// The event's properties as `LogRecord.attributes` (field 6), written
/// while serde_json reads them: no value is built (building one was most
/// of this body's time). Nothing is written if they are not a JSON object.
pub(super) fn properties(b: &mut Vec<u8>, json: &str) {
    let start = b.len();
    let mut de = serde_json::Deserializer::from_str(json);
    if de.deserialize_map(Members { b, field: 6 }).is_err() {
        b.truncate(start);
    }
}

/// Each member of an object as a `KeyValue` of field `field`.
struct Members<'b> {
    b: &'b mut Vec<u8>,
    field: u32,
}

impl<'de> Visitor<'de> for Members<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        while let Some(Key(k)) = a.next_key()? {
            message(self.b, self.field, |b| {
                string(b, 1, &k);
                message(b, 2, |b| a.next_value_seed(Any(Proto(b))))
            })?;
        }
        Ok(())
    }
}

/// One JSON value as a protobuf `AnyValue`, as [`any_value`] writes it.
///
/// [`any_value`]: super::wire::any_value
struct Proto<'b>(&'b mut Vec<u8>);

impl Encoding for Proto<'_> {
    fn empty(self) {}
    fn bool(self, v: bool) {
        uint(self.0, 2, u64::from(v));
    }
    fn int(self, v: i64) {
        uint(self.0, 3, v as u64);
    }
    fn double(self, v: f64) {
        fixed64(self.0, 4, v.to_bits());
    }
    fn string(self, v: &str) {
        string(self.0, 1, v);
    }
    fn array<'de, A: SeqAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        message(self.0, 5, |b| {
            while a.next_element_seed(ArrayItem(b))?.is_some() {}
            Ok(())
        })
    }
    fn kvlist<'de, A: MapAccess<'de>>(self, a: A) -> Result<(), A::Error> {
        message(self.0, 6, |b| Members { b, field: 1 }.visit_map(a))
    }
}

/// An `ArrayValue.values` entry (field 1).
struct ArrayItem<'b>(&'b mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for ArrayItem<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        message(self.0, 1, |b| d.deserialize_any(Any(Proto(b))))
    }
}
