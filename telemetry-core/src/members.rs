//! The pieces shared by the runtime's hand-written `Deserialize` impls: the
//! files it reads back (`state.json`, `metrics.json`, spool lines) are read
//! by serde_json through `Visitor`s written here instead of
//! `#[derive(Deserialize)]`, so a build of telemetry-core compiles neither
//! `serde_derive` nor `serde` (only `serde_core`), the largest part of its
//! clean build that a user of the runtime did not otherwise pay for
//! (BENCHMARKS.md, "Compile time").

use std::borrow::Cow;
use std::fmt;

use serde_core::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// An object's key as its index in a struct's field names (`None`: a key
/// not among them), read without allocating. As a seed for `next_key_seed`.
#[derive(Clone, Copy)]
pub(crate) struct Field(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Field {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Field {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|n| *n == v))
    }
}

/// What an object's key outside a struct's fields is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// Skipped with its value: a later release's key.
    Ignored,
    /// An error: the format has no other key.
    Refused,
}

/// Reads an object's members into a struct: `read(i, map)` takes the value
/// of field `i` from `map`. A field twice is an error, as with the derive.
/// Returns which fields were read, for [`Seen::missing`].
pub(crate) fn read_fields<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: Field,
    unknown: Unknown,
    mut read: impl FnMut(usize, &mut A) -> Result<(), A::Error>,
) -> Result<Seen, A::Error> {
    let mut seen = Seen { names: fields.0, seen: 0 };
    while let Some(key) = map.next_key_seed(fields)? {
        match key {
            Some(i) => {
                seen.first(i)?;
                read(i, map)?;
            }
            None if unknown == Unknown::Ignored => {
                map.next_value::<de::IgnoredAny>()?;
            }
            None => return Err(de::Error::custom("unknown field")),
        }
    }
    Ok(seen)
}

/// Which of a struct's fields were read: a second one is an error, as with
/// the derive ("duplicate field").
pub(crate) struct Seen {
    names: &'static [&'static str],
    /// Bit `i`: field `i` (a struct here has far fewer than 64).
    seen: u64,
}

impl Seen {
    /// Marks field `i` read; an error if it was already.
    fn first<E: de::Error>(&mut self, i: usize) -> Result<(), E> {
        let bit = 1u64 << i;
        if self.seen & bit != 0 {
            return Err(E::duplicate_field(self.names[i]));
        }
        self.seen |= bit;
        Ok(())
    }

    /// Whether field `i` was read.
    fn has(&self, i: usize) -> bool {
        self.seen & (1u64 << i) != 0
    }

    /// An error naming the first of `required` (indices) that was not read.
    pub(crate) fn missing<E: de::Error>(&self, required: &[usize]) -> Result<(), E> {
        match required.iter().find(|i| !self.has(**i)) {
            Some(i) => Err(E::missing_field(self.names[*i])),
            None => Ok(()),
        }
    }
}

/// A string borrowed from the input when it has no escapes (serde's own
/// `Cow<str>` always copies).
pub(crate) struct Text<'a>(pub(crate) Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v)))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::Text;

    #[test]
    fn text_borrows_unless_it_has_escapes() {
        let t: Text<'_> = serde_json::from_str(r#""plain""#).unwrap();
        assert!(matches!(t.0, Cow::Borrowed("plain")));
        let t: Text<'_> = serde_json::from_str(r#""tab\t""#).unwrap();
        assert!(matches!(t.0, Cow::Owned(ref s) if s == "tab\t"));
        assert!(serde_json::from_str::<Text<'_>>("1").is_err());
    }
}
