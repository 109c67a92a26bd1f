//! The one event of the peer bench, as every system sends it: the 8 fields
//! of `build_finished` (telemetry-core/benches/bench.yaml), `project` and
//! `branch` sent as HMAC-SHA256 under a 32-byte key, hex encoded.
//!
//! telemetry-core hashes inside `record()`; the peers have no hashing of
//! their own, so their callers hash with [`Hmac::hex`], on the caller's
//! thread, as an app using them would.
#![forbid(unsafe_code)]

pub mod harness;

use hmac::{KeyInit, Mac};

/// The event's name.
pub const NAME: &str = "build_finished";
/// `command`.
pub const COMMAND: &str = "build";
/// `duration_ms`.
pub const DURATION_MS: u64 = 1234;
/// `outcome`.
pub const OUTCOME: &str = "success";
/// `exit_code`.
pub const EXIT_CODE: i32 = 0;
/// `project`, before hashing.
pub const PROJECT: &str = "acme-website";
/// `branch`, before hashing.
pub const BRANCH: &str = "main";
/// `flags`.
pub const FLAGS: [&str; 2] = ["release", "locked"];
/// `ci`.
pub const CI: bool = false;
/// The peers' distinct / pseudonymous id (telemetry-core keeps its own in its state file).
pub const ANONYMOUS_ID: &str = "0b1e7c1e-5d1a-4c7e-9a55-000000000001";
/// The PostHog project key every PostHog sender uses.
pub const POSTHOG_KEY: &str = "phc_bench";

/// A keyed HMAC-SHA256 state, reused for every value (as telemetry-core's `Hasher` does).
#[derive(Clone)]
pub struct Hmac(hmac::Hmac<sha2::Sha256>);

impl Hmac {
    /// The state for `key`.
    pub fn new(key: &[u8; 32]) -> Self {
        Hmac(hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts any key length"))
    }

    /// The lowercase hex HMAC of `value` (64 characters).
    pub fn hex(&self, value: &str) -> String {
        let mut m = self.0.clone();
        m.update(value.as_bytes());
        let tag = m.finalize().into_bytes();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in tag.iter() {
            s.push(HEX[usize::from(b >> 4)] as char);
            s.push(HEX[usize::from(b & 15)] as char);
        }
        s
    }
}

/// The key the peers hash with (telemetry-core uses its per-install key).
pub const KEY: [u8; 32] = [7; 32];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        // RFC 4231 test case 2 uses a 4-byte key; check our hex against it with a 32-byte zero-padded key,
        // which HMAC treats the same (keys shorter than the block are zero-padded).
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        assert_eq!(
            Hmac::new(&key).hex("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
