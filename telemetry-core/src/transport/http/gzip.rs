//! `Content-Encoding: gzip` for request bodies ([`crate::Compression::Gzip`]),
//! with flate2 on its pure-Rust backend (miniz_oxide).

use std::io::Write;

/// The level: 1, the fastest, since the worker may be compressing while the
/// app waits to exit; `cargo bench -p telemetry-core --bench bytes` prints
/// the sizes and CPU time of levels 1 and 6.
const LEVEL: u32 = 1;

/// `body` gzipped; `None` only if the encoder fails (writing to memory does
/// not), and then the body goes uncompressed.
pub(super) fn encode(body: &[u8]) -> Option<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4 + 64), flate2::Compression::new(LEVEL));
    e.write_all(body).ok()?;
    e.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn decode(z: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(z).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn every_wire_format_decodes_to_the_uncompressed_body() {
        for (format, body) in super::super::corpus::bodies() {
            let z = encode(&body).unwrap();
            assert_eq!(&z[..2], &[0x1f, 0x8b], "{format:?}: a gzip member");
            assert_eq!(decode(&z), body, "{format:?}");
            assert!(z.len() < body.len(), "{format:?}: {} -> {} bytes", body.len(), z.len());
        }
    }

    #[test]
    fn the_same_body_compresses_to_the_same_bytes() {
        // No time or file name in the gzip header: a body is one encoding.
        let body = br#"{"batch":[{"event":"a"},{"event":"a"},{"event":"a"}]}"#;
        assert_eq!(encode(body), encode(body));
        assert_eq!(decode(&encode(b"").unwrap()), b"");
    }
}
