//! The protobuf encoding the OTLP body needs: varints, tags, length-delimited
//! messages, and `AnyValue` / `KeyValue` from the JSON values of `ordered`.

use super::super::ordered::Ordered;

/// Wire types.
pub(super) const VARINT: u32 = 0;
pub(super) const I64: u32 = 1;
pub(super) const LEN: u32 = 2;

pub(super) fn varint(b: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        b.push((v as u8) | 0x80);
        v >>= 7;
    }
    b.push(v as u8);
}

pub(super) fn tag(b: &mut Vec<u8>, field: u32, wire: u32) {
    varint(b, u64::from(field << 3 | wire));
}

/// A length-delimited field whose content `write` appends: the length is
/// reserved as one byte and widened afterwards if the content is longer
/// than 127 bytes (one move of the content; messages here are small).
pub(super) fn message<R>(b: &mut Vec<u8>, field: u32, write: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    tag(b, field, LEN);
    let at = b.len();
    b.push(0);
    let r = write(b);
    let len = b.len() - at - 1;
    if len < 0x80 {
        b[at] = len as u8;
    } else {
        let mut v = Vec::with_capacity(3);
        varint(&mut v, len as u64);
        b.splice(at..at + 1, v);
    }
    r
}

pub(super) fn string(b: &mut Vec<u8>, field: u32, s: &str) {
    tag(b, field, LEN);
    varint(b, s.len() as u64);
    b.extend_from_slice(s.as_bytes());
}

pub(super) fn uint(b: &mut Vec<u8>, field: u32, v: u64) {
    tag(b, field, VARINT);
    varint(b, v);
}

pub(super) fn fixed64(b: &mut Vec<u8>, field: u32, v: u64) {
    tag(b, field, I64);
    b.extend_from_slice(&v.to_le_bytes());
}

/// `AnyValue` (oneof: 1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist).
pub(super) fn any_value(b: &mut Vec<u8>, v: &Ordered<'_>) {
    match v {
        Ordered::Null => {}
        Ordered::Bool(x) => uint(b, 2, u64::from(*x)),
        // int64 is a two's complement varint.
        Ordered::I64(x) => uint(b, 3, *x as u64),
        // Above i64::MAX: no OTLP integer holds it; the exact digits as text, as in JSON.
        Ordered::U64(x) => string(b, 1, &x.to_string()),
        Ordered::F64(x) => fixed64(b, 4, x.to_bits()),
        Ordered::Str(s) => string(b, 1, s),
        Ordered::List(items) => message(b, 5, |b| {
            for item in items {
                message(b, 1, |b| any_value(b, item));
            }
        }),
        Ordered::Object(m) => message(b, 6, |b| {
            for (k, v) in m {
                key_value(b, 1, k, v);
            }
        }),
    }
}

/// `KeyValue { 1: key, 2: value }` as field `field`.
pub(super) fn key_value(b: &mut Vec<u8>, field: u32, k: &str, v: &Ordered<'_>) {
    message(b, field, |b| {
        string(b, 1, k);
        message(b, 2, |b| any_value(b, v));
    });
}
