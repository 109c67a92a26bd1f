//! JSON writing helpers shared by the envelope, the property writer and
//! the wire formats: a fast string writer and a re-indenter for debug
//! output. No module here knows what an event is.

/// Writes `s` as a JSON string. Strings with nothing to escape (field names
/// always, most values) are copied in one go; the rest go through
/// serde_json's escaping, which writes the same bytes for the plain case:
/// its generic writer is slow on the short strings an event is made of.
pub(crate) fn push_json_str(buf: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        serde_json::to_writer(buf, s).expect("writing to a Vec cannot fail");
    }
}

/// The length of `s` written by [`push_json_str`] (quotes included).
pub(crate) fn json_str_len(s: &str) -> usize {
    if !needs_escape(s.as_bytes()) {
        return s.len() + 2;
    }
    let mut buf = Vec::new();
    push_json_str(&mut buf, s);
    buf.len()
}

/// Whether JSON needs any byte of `s` escaped: a control character, `"` or `\\`.
/// Eight bytes at a time (the "has a zero byte" bit trick: exact for "any").
fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        if control | zero_byte(x ^ (ONES * u64::from(b'"'))) | zero_byte(x ^ (ONES * u64::from(b'\\'))) != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Re-indents compact JSON (two spaces), keeping key order and string contents.
pub(crate) fn pretty(json: &str) -> String {
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let mut i = 0;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(b.len());
                out.push_str(&json[start..end]);
            }
            b'{' | b'[' => {
                let close = if c == b'{' { b'}' } else { b']' };
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && b[j] == close {
                    out.push(char::from(c));
                    out.push(char::from(close));
                    i = j;
                } else {
                    out.push(char::from(c));
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(char::from(c));
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            _ => {
                // Numbers, literals, and (inside no string) nothing else: copy the run.
                let start = i;
                while i + 1 < b.len() && !b"{}[],:\" \n\r\t".contains(&b[i + 1]) {
                    i += 1;
                }
                out.push_str(&json[start..=i]);
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_match_serde_for_every_ascii_char_at_every_position() {
        // The eight-bytes-at-a-time scan must agree with serde_json for each
        // character in each lane of a word and in the remainder.
        for c in (0u8..0x80).map(char::from).chain(['é', '✓', '😀']) {
            for pos in 0..17 {
                let mut s: String = "abcdefghijklmnopq".chars().take(pos).collect();
                s.push(c);
                s.push_str("rstuvwxyz");
                let mut buf = Vec::new();
                push_json_str(&mut buf, &s);
                assert_eq!(buf, serde_json::to_vec(&s).unwrap(), "{s:?}");
            }
        }
    }

    #[test]
    fn json_strings_match_serde() {
        for s in [
            "",
            "plain",
            "exactly8",
            "sixteen bytes ok",
            "long enough to take\"the word path",
            "0123456789abcdef\\",
            "a\"b",
            "back\\slash",
            "tab\tnew\nline",
            "\u{1}\u{1f}",
            "é ✓ 😀",
            "\u{7f}",
        ] {
            let mut buf = Vec::new();
            push_json_str(&mut buf, s);
            assert_eq!(buf, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn pretty_keeps_order_and_strings() {
        let src = r#"{"b":[1,2.5e3,{}],"a":"x, {y}: \"z\"","c":{"d":null,"e":[]}}"#;
        let p = pretty(src);
        assert_eq!(
            p,
            "{\n  \"b\": [\n    1,\n    2.5e3,\n    {}\n  ],\n  \"a\": \"x, {y}: \\\"z\\\"\",\n  \"c\": {\n    \"d\": null,\n    \"e\": []\n  }\n}"
        );
        let a: serde_json::Value = serde_json::from_str(src).unwrap();
        let b: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(a, b);
    }
}
