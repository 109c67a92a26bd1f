//! A JSON value that keeps its members' order and borrows its strings from
//! the text it was read from: the wire formats take an envelope's
//! properties and context apart with it, once per event and per context,
//! allocating only for the lists of members (a string is copied only when
//! it had escapes to undo).

use std::borrow::Cow;
use std::io::Write;

use serde_core::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::json::push_json_str;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ordered<'a> {
    Null,
    Bool(bool),
    I64(i64),
    /// Above `i64::MAX` only (smaller ones are `I64`).
    U64(u64),
    F64(f64),
    Str(Cow<'a, str>),
    List(Vec<Ordered<'a>>),
    Object(Members<'a>),
}

/// An object's members, in order.
pub(super) type Members<'a> = Vec<(Cow<'a, str>, Ordered<'a>)>;

/// A key, borrowed when it has no escapes (serde's `Cow<str>` always copies).
pub(super) struct Key<'a>(pub Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Ordered<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Ordered<'de>, E> {
                Ok(Ordered::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered<'de>, E> {
                Ok(Ordered::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered<'de>, E> {
                Ok(Ordered::I64(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered<'de>, E> {
                Ok(i64::try_from(v).map_or(Ordered::U64(v), Ordered::I64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered<'de>, E> {
                Ok(Ordered::F64(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Ordered<'de>, E> {
                Ok(Ordered::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered<'de>, E> {
                Ok(Ordered::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Ordered<'de>, E> {
                Ok(Ordered::Str(Cow::Owned(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Ordered<'de>, A::Error> {
                let mut items = Vec::with_capacity(a.size_hint().unwrap_or(4));
                while let Some(x) = a.next_element()? {
                    items.push(x);
                }
                Ok(Ordered::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Ordered<'de>, A::Error> {
                let mut items = Vec::with_capacity(a.size_hint().unwrap_or(16));
                while let Some((Key(k), v)) = a.next_entry()? {
                    items.push((k, v));
                }
                Ok(Ordered::Object(items))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'a> Ordered<'a> {
    /// The members of a JSON object text, in order; empty if it is not an object.
    pub(super) fn members(text: &'a str) -> Members<'a> {
        match serde_json::from_str(text) {
            Ok(Ordered::Object(m)) => m,
            _ => Vec::new(),
        }
    }

    /// Writes this value as JSON.
    pub(super) fn write(&self, buf: &mut Vec<u8>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        let src = r#"{"z":1,"a":[true,null,"s"],"m":{"y":-2,"x":1.5},"big":18446744073709551615}"#;
        let v: Ordered = serde_json::from_str(src).unwrap();
        let mut out = Vec::new();
        v.write(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), src);
    }

    #[test]
    fn borrows_plain_strings_and_unescapes_the_rest() {
        let m = Ordered::members(r#"{"plain":"abc","esc\"aped":"x\ny"}"#);
        assert!(matches!(&m[0], (Cow::Borrowed("plain"), Ordered::Str(Cow::Borrowed("abc")))));
        assert_eq!(m[1].0, "esc\"aped");
        assert_eq!(m[1].1, Ordered::Str(Cow::Owned("x\ny".into())));
        assert!(Ordered::members("[1]").is_empty());
        assert!(Ordered::members("not json").is_empty());
    }
}
