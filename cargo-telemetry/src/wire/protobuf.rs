//! The protobuf wire format, read: a message's fields in order, by number
//! and wire type, for the OTLP decoders (`proto`, `proto_metrics`,
//! `proto_common`). Only what OTLP uses; anything else is an error that
//! says which field.

use serde_json::Value;

/// One field's value, by its wire type.
pub(super) enum Wire<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32,
}

/// The fields of one message, in order.
pub(super) fn fields(mut b: &[u8]) -> Result<Vec<(u64, Wire<'_>)>, String> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let tag = varint(&mut b)?;
        let value = match tag & 7 {
            0 => Wire::Varint(varint(&mut b)?),
            1 => Wire::Fixed64(u64::from_le_bytes(take(&mut b, 8)?.try_into().map_err(|_| "cut short")?)),
            2 => {
                let n = usize::try_from(varint(&mut b)?).map_err(|_| "a length past the address space")?;
                Wire::Bytes(take(&mut b, n)?)
            }
            5 => {
                take(&mut b, 4)?;
                Wire::Fixed32
            }
            t => return Err(format!("wire type {t} (field {}), which OTLP does not use", tag >> 3)),
        };
        out.push((tag >> 3, value));
    }
    Ok(out)
}

fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
    if b.len() < n {
        return Err("a field runs past the end of its message".into());
    }
    let (head, tail) = b.split_at(n);
    *b = tail;
    Ok(head)
}

fn varint(b: &mut &[u8]) -> Result<u64, String> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let [byte, rest @ ..] = *b else { return Err("a varint runs past the end of its message".into()) };
        *b = rest;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("a varint longer than ten bytes".into())
}

/// The repeated message field `number` of `b`, each decoded by `read`.
pub(super) fn messages(b: &[u8], number: u64, read: fn(&[u8]) -> Result<Value, String>) -> Result<Value, String> {
    let items = fields(b)?.into_iter().filter(|(n, _)| *n == number);
    let values = items.filter_map(|(_, w)| if let Wire::Bytes(m) = w { Some(read(m)) } else { None });
    Ok(Value::Array(values.collect::<Result<_, _>>()?))
}

pub(super) fn text(b: &[u8]) -> Result<Value, String> {
    std::str::from_utf8(b).map(Value::from).map_err(|_| "a string that is not UTF-8".into())
}
