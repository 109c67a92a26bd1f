//! A body captured as it travelled with `Content-Encoding: gzip` (as the
//! runtime sends a batch by default): inflated before it is read, found by
//! gzip's magic bytes, which no JSON text, events file or OTLP protobuf
//! request starts with.

use std::borrow::Cow;
use std::io::Read;

/// The most a body may inflate to (a captured request, not an archive).
const MAX_INFLATED: u64 = 256 << 20;

/// `body` inflated when it is a gzip stream, else as it is; `Err` says why
/// a gzip stream could not be read.
pub(super) fn inflated(body: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(body));
    }
    let mut gz = flate2::bufread::GzDecoder::new(body);
    let mut plain = Vec::new();
    let why = match (&mut gz).take(MAX_INFLATED + 1).read_to_end(&mut plain) {
        Ok(_) if plain.len() as u64 > MAX_INFLATED => format!("inflates past {} MiB", MAX_INFLATED >> 20),
        Ok(_) if gz.into_inner().is_empty() => return Ok(Cow::Owned(plain)),
        Ok(_) => "bytes follow the stream".to_string(),
        Err(e) => e.to_string(),
    };
    Err(format!("a gzip stream (`Content-Encoding: gzip`) that does not inflate: {why}"))
}
