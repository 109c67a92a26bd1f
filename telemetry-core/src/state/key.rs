//! The per-install hashing key and the id format.

/// A new random 32-byte key, as 64 hex digits; `None` if the OS has no randomness to give.
pub(crate) fn new_key_hex() -> Option<String> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).ok()?;
    Some(hex(&key))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

/// Parses 64 hex digits into a key.
pub(crate) fn parse_key(s: &str) -> Option<[u8; 32]> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut key = [0u8; 32];
    for (i, k) in key.iter_mut().enumerate() {
        *k = nibble(s[2 * i])? << 4 | nibble(s[2 * i + 1])?;
    }
    Some(key)
}

/// Whether `s` is a UUID (any version), in the hyphenated form.
pub(crate) fn valid_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_roundtrip() {
        let k = new_key_hex().unwrap();
        assert_eq!(k.len(), 64);
        assert_eq!(hex(&parse_key(&k).unwrap()), k);
        assert!(parse_key("zz").is_none());
    }
}
