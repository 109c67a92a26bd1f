//! `Content-Encoding: gzip` for request bodies ([`crate::Compression::Gzip`]),
//! with flate2 on its pure-Rust backend (miniz_oxide).

use std::io::Write;

// Only its `std` feature is wanted (Cargo.toml): the CRC on the CPU's
// carry-less multiply instead of the portable table code.
use crc32fast as _;

use crate::format::Compression;
use crate::transport::Pace;

/// The level for a body of `len` bytes sent at `pace`. Level 1 is
/// miniz_oxide's greedy fast path; level 2 its first with lazy matching. A
/// batch at level 2 sent 23-30 % fewer bytes (OTLP protobuf, 428 records:
/// 2297 against 2981; levels 3-6 saved at most another 1 %) for 2.5× the
/// CPU (435 against 175 µs). On two cores, a worker that is behind pays that
/// CPU out of delivery (a 100k burst on the PostHog wire delivered 61-106k/s
/// at level 2 against 179-211k/s at level 1, BENCHMARKS.md, stop 30), so only
/// a worker with nothing waiting behind the batch spends it. A small body
/// (a CLI's few events, on the way to exit) stays at level 1: level 2 cost
/// a one-event OTLP JSON body ~30 µs more for 25 bytes.
/// `cargo bench -p telemetry-core --bench bytes` prints the sizes and CPU
/// time of levels 1, 2 and 6.
fn level(len: usize, pace: Pace) -> u32 {
    match pace {
        Pace::CaughtUp if len > Compression::AUTO_MIN_BYTES => 2,
        Pace::CaughtUp | Pace::Behind => 1,
    }
}

/// `body` gzipped; `None` only if the encoder fails (writing to memory does
/// not), and then the body goes uncompressed.
pub(super) fn encode(body: &[u8], pace: Pace) -> Option<Vec<u8>> {
    let level = flate2::Compression::new(level(body.len(), pace));
    let mut e = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4 + 64), level);
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

    fn at(level: u32, body: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(body).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn every_wire_format_decodes_to_the_uncompressed_body() {
        for (format, body) in super::super::corpus::bodies() {
            for pace in [Pace::CaughtUp, Pace::Behind] {
                let z = encode(&body, pace).unwrap();
                assert_eq!(&z[..2], &[0x1f, 0x8b], "{format:?}: a gzip member");
                assert_eq!(decode(&z), body, "{format:?}");
                assert!(z.len() < body.len(), "{format:?}: {} -> {} bytes", body.len(), z.len());
            }
        }
    }

    #[test]
    fn the_same_body_compresses_to_the_same_bytes() {
        // No time or file name in the gzip header: a body is one encoding.
        let body = br#"{"batch":[{"event":"a"},{"event":"a"},{"event":"a"}]}"#;
        assert_eq!(encode(body, Pace::Behind), encode(body, Pace::Behind));
        assert_eq!(decode(&encode(b"", Pace::CaughtUp).unwrap()), b"");
    }

    /// Level 2 only for a batch with nothing behind it; a small body, and
    /// every body of a worker that is behind, at level 1.
    #[test]
    fn only_a_caught_up_worker_s_batch_is_gzipped_at_level_2() {
        let mut batch = Vec::new();
        for (i, (_, body)) in super::super::corpus::bodies().into_iter().cycle().take(200).enumerate() {
            batch.extend_from_slice(&body);
            batch.extend_from_slice(i.to_string().as_bytes());
        }
        let small = &batch[..Compression::AUTO_MIN_BYTES];
        assert_eq!(encode(&batch, Pace::CaughtUp).unwrap(), at(2, &batch));
        assert_eq!(encode(&batch, Pace::Behind).unwrap(), at(1, &batch));
        assert_eq!(encode(small, Pace::CaughtUp).unwrap(), at(1, small));
        assert_eq!(encode(small, Pace::Behind).unwrap(), at(1, small));
        assert!(at(2, &batch).len() < at(1, &batch).len());
    }
}
