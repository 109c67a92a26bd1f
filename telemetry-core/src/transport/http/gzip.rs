//! `Content-Encoding: gzip` for request bodies ([`crate::Compression::Gzip`]),
//! with flate2 on its pure-Rust backend (miniz_oxide).

use std::io::Write;

// Only its `std` feature is wanted (Cargo.toml): the CRC on the CPU's
// carry-less multiply instead of the portable table code.
use crc32fast as _;

/// Level 1, miniz_oxide's greedy fast path, for every body. A CLI's body
/// is gzipped on the way to exit, where level 2 cost ~30 µs more (a
/// one-event OTLP JSON body: ~70-95 against ~95-128 µs, 573 against 548
/// bytes). A batch at level 2 sent 23-30 % fewer bytes (OTLP protobuf, 428
/// records: 2297 against 2981; levels 3-6 saved at most another 1 %) for
/// 2.5× the CPU (435 against 175 µs), and on two cores that CPU came out of
/// delivery: a 100k burst on the PostHog wire delivered 61-106k/s at level 2
/// against 179-211k/s at level 1 (three alternated `peer-runner --bursts`
/// runs, BENCHMARKS.md). `cargo bench -p telemetry-core --bench bytes`
/// prints the sizes and CPU time of this level and of level 6.
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

    /// One level for every body, a CLI's one event and a batch alike.
    #[test]
    fn every_body_is_gzipped_at_level_1() {
        let at1 = |body: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(1));
            e.write_all(body).unwrap();
            e.finish().unwrap()
        };
        let mut batch = Vec::new();
        for (i, (_, body)) in super::super::corpus::bodies().into_iter().cycle().take(200).enumerate() {
            batch.extend_from_slice(&body);
            batch.extend_from_slice(i.to_string().as_bytes());
        }
        for body in [&batch[..], &batch[..600]] {
            assert_eq!(encode(body).unwrap(), at1(body), "{} bytes", body.len());
        }
    }
}
