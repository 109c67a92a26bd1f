//! Keyed one-way hashing of `hashed` fields.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// HMAC-SHA256 under a per-install secret key.
///
/// The key state is computed once; each value clones it, so hashing costs
/// two SHA-256 compressions per short value, not a re-keying. The same value
/// gives the same hash on the same install, and cannot be reversed by
/// hashing a dictionary without the key, which never leaves the machine.
///
/// ```
/// use telemetry_core::Hasher;
/// // RFC 4231, test case 2.
/// let h = Hasher::new(b"Jefe");
/// assert_eq!(
///     h.hash_hex("what do ya want for nothing?"),
///     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
/// );
/// ```
#[derive(Clone)]
pub struct Hasher {
    keyed: Hmac<Sha256>,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.write_str("Hasher { .. }")
    }
}

impl Hasher {
    /// A hasher keyed with `key` (any length; 32 random bytes in practice).
    pub fn new(key: &[u8]) -> Self {
        Hasher { keyed: <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length") }
    }

    /// The hash of `value` as 64 lowercase hex digits, written without allocating.
    pub(crate) fn hash_into(&self, value: &str, out: &mut [u8; 64]) {
        let mut mac = self.keyed.clone();
        mac.update(value.as_bytes());
        let digest = mac.finalize().into_bytes();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for (i, b) in digest.iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 0xf)];
        }
    }

    /// The hash of `value` as 64 lowercase hex digits.
    pub fn hash_hex(&self, value: &str) -> String {
        let mut out = [0u8; 64];
        self.hash_into(value, &mut out);
        out.iter().map(|&b| char::from(b)).collect()
    }
}
