//! One spooled event per line: its native envelope with its ordinal within
//! its millisecond ([`Event::ordinal`]) and the fingerprint of the schema it
//! was checked against added at the end,
//! `{"event":..,..,"app":..,"ordinal":0,"fingerprint":"<32 hex digits>"}`,
//! and a spool file's bytes split back into lines. `read.rs` reads a line
//! back into the same [`Event`].

use crate::envelope::Event;

/// What a line adds after the envelope's fields, as `write` writes them
/// and `read::Reader` expects them.
pub(super) const ORDINAL_KEY: &str = ",\"ordinal\":";
pub(super) const FINGERPRINT_KEY: &str = ",\"fingerprint\":\"";
/// What a line adds to the envelope: the fingerprint's key, 32 hex digits, `"`.
const ADDED: usize = FINGERPRINT_KEY.len() + 32 + 1;

/// The length of `e`'s line, without its newline.
pub(super) fn len(e: &Event) -> usize {
    let ordinal = e.ordinal.map_or(0, |n| ORDINAL_KEY.len() + n.checked_ilog10().unwrap_or(0) as usize + 1);
    e.size() + ordinal + ADDED
}

/// Appends `e`'s line, without its newline.
pub(super) fn write(buf: &mut Vec<u8>, e: &Event) {
    e.write_envelope(buf);
    // The envelope's closing brace, put back after the fingerprint.
    buf.pop();
    if let Some(n) = e.ordinal {
        buf.extend_from_slice(ORDINAL_KEY.as_bytes());
        buf.extend_from_slice(n.to_string().as_bytes());
    }
    buf.extend_from_slice(FINGERPRINT_KEY.as_bytes());
    buf.extend_from_slice(e.origin.fingerprint_hex.as_bytes());
    buf.extend_from_slice(b"\"}");
}

/// The lines of a spool file's bytes, each borrowed (no copy per line):
/// `None` for a line that is not UTF-8; line ends (`\n`, `\r\n`) cut. A
/// file that is all UTF-8 (as written) is split as text, where the search
/// for line ends is `memchr`'s, several times faster than byte by byte.
pub(super) fn split(bytes: &[u8]) -> Box<dyn Iterator<Item = Option<&str>> + '_> {
    fn cut(line: &str) -> Option<&str> {
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Box::new(text.split('\n').map(cut)),
        Err(_) => Box::new(bytes.split(|b| *b == b'\n').map(move |line| std::str::from_utf8(line).ok().and_then(cut))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_splits_into_its_lines_each_utf_8_or_none() {
        let lines: Vec<Option<&str>> = split(b"a\r\n\nb\xff\nlast").collect();
        assert_eq!(lines, [Some("a"), Some(""), None, Some("last")]);
        assert_eq!(split(b"a\r\n\nb\nlast").collect::<Vec<_>>(), [Some("a"), Some(""), Some("b"), Some("last")]);
        // A last line end leaves an empty line, which the reader skips.
        assert_eq!(split(b"a\n").collect::<Vec<_>>(), [Some("a"), Some("")]);
    }
}
