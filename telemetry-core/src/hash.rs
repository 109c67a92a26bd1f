//! Keyed one-way hashing of `hashed` fields.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::meta::HashScope;

/// HMAC-SHA256 under a secret key: an install's (random, never leaving the
/// machine) or the product's (`hash: product`).
///
/// The key state is computed once; each value clones it, so hashing costs
/// two SHA-256 compressions per short value, not a re-keying. The same value
/// gives the same hash under the same key, and cannot be reversed by
/// hashing a dictionary without the key.
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

/// The keys a value may be hashed under, one per [`HashScope`]: the
/// install's (or the run's), and the product's when the handle holds it.
/// `build()` holds a product key only for a schema that hashes something
/// under it, so for any other no write can reach one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Keys<'a> {
    install: &'a Hasher,
    product: Option<&'a Hasher>,
}

impl<'a> Keys<'a> {
    pub(crate) fn new(install: &'a Hasher, product: Option<&'a Hasher>) -> Self {
        Keys { install, product }
    }

    /// The hasher of `scope`; none for the product's when no key is held.
    #[inline]
    pub(crate) fn of(self, scope: HashScope) -> Option<&'a Hasher> {
        match scope {
            HashScope::Install => Some(self.install),
            HashScope::Product => self.product,
        }
    }
}

/// The hashers a handle owns: the install's (or the run's) key, and the
/// product's when its schema hashes something under it.
#[derive(Clone, Debug)]
pub(crate) struct Hashers {
    pub(crate) install: Hasher,
    pub(crate) product: Option<Hasher>,
}

impl Hashers {
    /// The keys, for a writer.
    pub(crate) fn keys(&self) -> Keys<'_> {
        Keys::new(&self.install, self.product.as_ref())
    }
}
