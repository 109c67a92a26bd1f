//! Hashing one `hashed` field: the keyed HMAC state computed once and
//! cloned per value (`Hasher`, what `record()` does) vs re-keying with
//! `Hmac::new_from_slice` for every value.
//! `cargo bench -p telemetry-core --bench hash`

use divan::{Bencher, black_box};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

fn main() {
    divan::main();
}

const KEY: [u8; 32] = [7; 32];
const VALUE: &str = "acme-website";

fn hex(digest: &[u8], out: &mut [u8; 64]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in digest.iter().enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 0xf)];
    }
}

/// `Hasher::hash_into`: clone the keyed state, absorb the value, finalize, hex.
#[divan::bench(sample_count = 500, sample_size = 200)]
fn keyed_state_reused(b: Bencher) {
    let h = telemetry_core::Hasher::new(&KEY);
    let mut out = [0u8; 64];
    b.bench_local(|| {
        telemetry_core::__bench::hash_into(&h, black_box(VALUE), &mut out);
        out
    });
}

/// Baseline: `Hmac::new_from_slice(key)` per value (two more SHA-256 blocks), then the same.
#[divan::bench(sample_count = 500, sample_size = 200)]
fn rekey_per_value(b: Bencher) {
    let mut out = [0u8; 64];
    b.bench_local(|| {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(black_box(&KEY)).unwrap();
        mac.update(black_box(VALUE).as_bytes());
        hex(&mac.finalize().into_bytes(), &mut out);
        out
    });
}
