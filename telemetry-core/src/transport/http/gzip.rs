//! `Content-Encoding: gzip` for request bodies ([`crate::Compression::Gzip`]),
//! with flate2 on its pure-Rust backend (miniz_oxide).

use std::io::Write;

/// The level of a body up to [`SMALL`]: 1, miniz_oxide's greedy fast path.
/// Such a body is what a CLI sends at exit, and level 2 cost it ~30 µs more
/// (a one-event OTLP JSON body: ~70-95 against ~95-128 µs, 573 against 548
/// bytes) on the exit path.
const SMALL_LEVEL: u32 = 1;

/// The level of a larger body (a batch): 2, miniz_oxide's first with lazy
/// matching. Level 1 sent 23-30 % more bytes for a batch of 500 events
/// (OTLP protobuf, 428 records: 2981 against 2297; levels 3-6 saved at most
/// another 1 % there), and level 2 took 2.5× level 1's CPU (435 against
/// 175 µs for that batch): ~1 µs per event on the worker, never in `record()`. `cargo bench -p telemetry-core --bench
/// bytes` prints the sizes and CPU time of this level and of level 6.
const LEVEL: u32 = 2;

/// Up to this many bytes a body is gzipped at [`SMALL_LEVEL`]: a few events.
const SMALL: usize = 8 * 1024;

/// `body` gzipped; `None` only if the encoder fails (writing to memory does
/// not), and then the body goes uncompressed.
pub(super) fn encode(body: &[u8]) -> Option<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4 + 64),
        flate2::Compression::new(level(body.len())),
    );
    e.write_all(body).ok()?;
    e.finish().ok()
}

/// The level for a body of `len` bytes.
fn level(len: usize) -> u32 {
    if len <= SMALL { SMALL_LEVEL } else { LEVEL }
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

    /// A batch (over `SMALL`) is compressed harder than a CLI's few events.
    #[test]
    fn a_batch_is_gzipped_at_the_batch_level() {
        let at = |body: &[u8], level: u32| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
            e.write_all(body).unwrap();
            e.finish().unwrap()
        };
        let mut batch = Vec::new();
        for (i, (_, body)) in super::super::corpus::bodies().into_iter().cycle().take(200).enumerate() {
            batch.extend_from_slice(&body);
            batch.extend_from_slice(i.to_string().as_bytes());
        }
        assert!(batch.len() > SMALL);
        let z = encode(&batch).unwrap();
        assert_eq!(decode(&z), batch);
        assert_eq!(z, at(&batch, LEVEL));
        assert!(z.len() < at(&batch, 1).len(), "{} against level 1's {}", z.len(), at(&batch, 1).len());
        let small = &batch[..SMALL];
        assert_eq!(encode(small).unwrap(), at(small, SMALL_LEVEL));
    }
}
