//! Privacy-respecting product telemetry, checked against a YAML schema.
//!
//! A product declares its events in a schema (see `telemetry-schema`): each
//! field `allowed`, `hashed` or `forbidden`. `#[derive(TelemetryEvent)]`
//! checks a struct against its event at compile time, so a forbidden or
//! undeclared field does not compile, and writes the event's properties
//! with `hashed` fields replaced by their HMAC-SHA256 under a per-install key.
#![forbid(unsafe_code)]

#[cfg(feature = "clap")]
pub mod cli;
mod client;
mod consent;
mod context;
mod delivery;
mod env;
mod envelope;
mod event;
mod format;
mod hash;
pub mod meta;
mod spool;
mod state;
mod transport;
pub mod value;
mod writer;

pub use client::{BuildError, Builder, Status, Telemetry, check_endpoint};
pub use consent::{Choice, Mode, Reason};
pub use context::WELL_KNOWN_CONTEXT;
pub use delivery::Stats;
pub use env::{EnvNames, EnvSource, env_prefix};
pub use event::{TelemetryEvent, TelemetryObject, properties_json};
pub use format::WireFormat;
pub use hash::Hasher;
pub use telemetry_derive::{TelemetryEnum, TelemetryEvent, app_meta, generate_events};
pub use value::TelemetryEnum;
pub use writer::{ListWriter, PropertyWriter};

/// Support for derived code. Not public API: may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::value::*;

    /// Const string equality, for compile-time checks in derived code.
    pub const fn str_eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// Whether two value lists hold the same values (order ignored).
    pub const fn same_values(a: &[&str], b: &[&str]) -> bool {
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            let mut found = false;
            let mut j = 0;
            while j < b.len() {
                if str_eq(a[i], b[j]) {
                    found = true;
                }
                j += 1;
            }
            if !found {
                return false;
            }
            i += 1;
        }
        true
    }

    /// Type-checks a field against its schema type without moving it.
    pub fn check<T: ?Sized>(_: &T) {}
}
