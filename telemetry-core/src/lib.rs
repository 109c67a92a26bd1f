//! Privacy-respecting product telemetry, checked against a YAML schema.
//!
//! A product declares its events in a schema (see `telemetry-schema`): each
//! field `allowed`, `hashed` or `forbidden`. `#[derive(TelemetryEvent)]`
//! checks a struct against its event at compile time, so a forbidden or
//! undeclared field does not compile, and writes the event's properties
//! with `hashed` fields replaced by their HMAC-SHA256 under a per-install
//! key, or the product's key ([`Builder::product_key`]) for `hash: product`.
//!
//! # The runtime
//!
//! ```
//! use std::time::Duration;
//! use telemetry_core::{EnvSource, Telemetry, TelemetryEnum, TelemetryEvent};
//!
//! static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../schemas/example-cli.yaml");
//!
//! #[derive(TelemetryEnum)]
//! enum Outcome { Success, Failure }
//!
//! #[derive(TelemetryEvent)]
//! #[telemetry(schema = "../schemas/example-cli.yaml")]
//! struct CommandRun<'a> {
//!     command: &'a str,
//!     duration_ms: u64,
//!     outcome: Outcome,
//!     exit_code: i32,
//!     project: &'a str,
//!     flags: &'a [&'a str],
//!     ci: Option<bool>,
//! }
//!
//! # let dir = std::env::temp_dir().join(format!("telemetry-doc-{}", std::process::id()));
//! let telemetry = Telemetry::builder(&APP)
//!     .app_version(env!("CARGO_PKG_VERSION"))
//!     .opt_out_command("example-cli telemetry disable")
//! #   .state_dir(&dir).notice(false).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]))
//!     .build()
//!     .expect("the endpoint is valid");
//! telemetry.record(&CommandRun {
//!     command: "build", duration_ms: 1200, outcome: Outcome::Success, exit_code: 0,
//!     project: "acme-website", flags: &["release"], ci: None,
//! });
//! // Dropping the handle flushes within 100 ms; `shutdown` also returns the counters.
//! let stats = telemetry.shutdown();
//! assert_eq!((stats.recorded, stats.sent), (1, 1));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
//!
//! - **Consent** is resolved once, by `build()`, in this order; the first
//!   that applies decides, and [`Status`] says which: `<APP>_TELEMETRY_OFFLINE`
//!   (off), `DO_NOT_TRACK` (off, if the schema honours it; any value but
//!   empty, `0` or `false`), the schema's product switches in order (off,
//!   on, or log-only), the choice saved by [`Builder::enable`] /
//!   [`Builder::disable`], the schema's default. When off, `record` is one
//!   relaxed atomic load; nothing is read beyond that, written or started.
//! - **State** lives in the platform config dir (`<APP>_TELEMETRY_DIR`
//!   overrides it): one `state.json` (anonymous id, hashing key, choice,
//!   notice shown), written atomically, owner-only. `<APP>_ANONYMOUS_ID`
//!   overrides the id for one process.
//! - **The first-run notice** goes to stderr, once per install, the first
//!   time telemetry is on (debug mode included, since events are recorded
//!   then too). It is not shown in log-only mode, where nothing leaves the
//!   process, nor when off.
//! - **Where events go**: `<APP>_TELEMETRY_DEBUG=1` prints them as pretty
//!   JSON to stderr and sends nothing; a log-only switch prints one line
//!   each; with [`Builder::endpoint`] they are POSTed in a [`WireFormat`]
//!   (cargo feature `http`, on by default); otherwise they are appended to
//!   `events.jsonl` in the state dir.
//! - **Delivery** runs on one background thread: batches, retries with
//!   backoff on network errors, 5xx and 429, drops on other 4xx. At exit
//!   (drop or [`Telemetry::shutdown`]) a last batch the worker has not
//!   taken (a CLI's, recorded just before) is sent over HTTP from the
//!   exiting thread, with the same consent check and retries; what is not
//!   delivered within the deadline is spooled to `spool/` and sent first
//!   by the next run.
//!   While the process runs, a batch leaves once its oldest event waited
//!   [`Batching::with_max_latency`] (2 s by default).
//! - **Context**: the well-known keys (`WELL_KNOWN_CONTEXT`) are filled by
//!   the runtime; any other key the schema's context declares comes from a
//!   `#[derive(TelemetryContext)]` struct given to [`Builder::context`].
//!   `build()` refuses a schema whose required context nothing fills.
//! - **Long-running services**: [`Telemetry::every`] records a periodic
//!   event until its [`Periodic`] guard drops or the handle shuts down;
//!   [`Telemetry::every_with`] makes it from the service's state, held
//!   weakly, so the guard and the handle can live in that state.
//!
//! Cargo features: `http` (default): the HTTP transport; `clap`: a ready
//! `telemetry status|enable|disable` subcommand (module `cli`).
#![forbid(unsafe_code)]

mod builder;
#[cfg(feature = "clap")]
pub mod cli;
mod consent;
mod context;
mod delivery;
mod enum_values;
mod env;
mod envelope;
mod error;
mod event;
mod format;
mod hash;
mod ids;
mod json;
mod members;
pub mod meta;
pub mod metrics;
mod notice;
mod output;
mod periodic;
mod seal;
mod spool;
mod state;
mod status;
mod telemetry;
mod timestamp;
mod transport;
pub mod value;
mod writer;

pub use builder::{Batching, Builder, Limits, Retry, TEST_ANONYMOUS_ID, TEST_PRODUCT_KEY, TestBuilder};
pub use consent::{Choice, Mode, Reason};
pub use context::WELL_KNOWN_CONTEXT;
pub use delivery::{Queued, Stats};
pub use env::EnvSource;
pub use error::BuildError;
pub use event::{TelemetryContext, TelemetryEvent, TelemetryObject};
pub use format::{Compression, WireFormat};
pub use hash::Hasher;
pub use periodic::Periodic;
pub use status::Status;
pub use telemetry::Telemetry;
pub use telemetry_derive::{TelemetryEnum, TelemetryEvent, app_meta, generate_events, generate_metrics};
pub use transport::MemorySink;
#[cfg(feature = "http")]
pub use transport::{check_endpoint, check_proxy};
pub use value::TelemetryEnum;
pub use writer::{ListWriter, PropertyWriter};

/// The pieces of `record()` this workspace's benches time alone, and its
/// derive tests read: the bytes a derive writes, without the runtime around
/// them. Not public API: hidden from the docs and the API snapshot
/// (`public-api/`), and may change in any release. Benches are separate
/// crates, so a private function cannot serve them.
#[doc(hidden)]
pub mod __bench {
    use crate::hash::Keys;
    use crate::{Hasher, PropertyWriter, TelemetryContext, TelemetryEvent};

    /// An event's properties as `record()` writes them, `hasher` the
    /// install's key (a product-scope value is `null`: no product key).
    pub fn properties_json<E: TelemetryEvent + ?Sized>(event: &E, hasher: &Hasher) -> Vec<u8> {
        crate::event::properties_json(event, Keys::new(hasher, None))
    }

    /// [`properties_json`] with the product's key too.
    pub fn properties_json_with_product_key<E: TelemetryEvent + ?Sized>(
        event: &E,
        install: &Hasher,
        product: &Hasher,
    ) -> Vec<u8> {
        crate::event::properties_json(event, Keys::new(install, Some(product)))
    }

    /// `prefix` (an open JSON object, e.g. `{"os":"linux"`) with a context
    /// struct's keys added and the object closed, as `build()` writes the context.
    pub fn context_json<C: TelemetryContext>(prefix: &str, ctx: &C, hasher: &Hasher) -> Vec<u8> {
        let mut buf = prefix.as_bytes().to_vec();
        let mut w = PropertyWriter::resume(&mut buf, Keys::new(hasher, None));
        ctx.write_fields(&mut w);
        let _ = w.finish();
        buf
    }

    /// The keyed hash of `value` as hex, written without allocating.
    pub fn hash_into(hasher: &Hasher, value: &str, out: &mut [u8; 64]) {
        hasher.hash_into(value, out);
    }
}

/// Support for derived code. Not public API: may change in any release.
///
/// **A hand-written impl of a telemetry trait that names `Derived` (the
/// only way one compiles) voids the privacy guarantee**: nothing checks it
/// against the schema. The runtime still refuses its events unless their
/// fingerprint and name are the app's.
#[doc(hidden)]
pub mod __private {
    pub use crate::enum_values::{EnumValueSet, value_set_id};
    pub use crate::meta::AppParts;
    use crate::meta::{AppMeta, Collect, EnvSwitch, EventMeta, Expires, FieldMeta, Fingerprint, SwitchAction, Trigger};
    pub use crate::seal::{DERIVED, Derived};
    pub use crate::value::*;

    /// The fingerprint `telemetry_schema::fingerprint` computed, for derived code.
    pub const fn fingerprint(v: u128) -> Fingerprint {
        Fingerprint::new(v)
    }

    /// The `AppMeta` `app_meta!` writes.
    pub const fn app_meta(parts: AppParts) -> AppMeta {
        AppMeta::from_parts(parts)
    }

    /// The `EventMeta` a derive writes.
    pub const fn event_meta(
        app: &'static str,
        name: &'static str,
        fields: &'static [FieldMeta],
        fingerprint: Fingerprint,
        expires: Option<Expires>,
    ) -> EventMeta {
        EventMeta::new(app, name, fields, fingerprint, expires)
    }

    /// A `FieldMeta` a macro writes.
    pub const fn field_meta(
        name: &'static str,
        ty: &'static str,
        collect: Collect,
        required: bool,
        max_length: Option<u32>,
        values: &'static [&'static str],
    ) -> FieldMeta {
        FieldMeta::new(name, ty, collect, required, max_length, values)
    }

    /// An event's `expires` date and its first second (UTC), for derived code.
    pub const fn expires(date: &'static str, unix_secs: u64) -> Expires {
        Expires::new(date, unix_secs)
    }

    /// A metric, for `generate_metrics!`.
    pub const fn metric_meta(
        name: &'static str,
        kind: crate::meta::MetricKind,
        expires_secs: Option<u64>,
    ) -> crate::meta::MetricMeta {
        crate::meta::MetricMeta::new(name, kind, expires_secs)
    }

    /// A schema's metrics, for `generate_metrics!`.
    pub const fn metrics_meta(
        app: &'static str,
        fingerprint: Fingerprint,
        period: crate::meta::MetricsPeriod,
        metrics: &'static [crate::meta::MetricMeta],
    ) -> crate::meta::MetricsMeta {
        crate::meta::MetricsMeta::new(app, fingerprint, period, metrics)
    }

    pub use crate::metrics::{Cells, MetricSet};

    /// A consent switch, for `app_meta!`.
    pub const fn env_switch(name: &'static str, trigger: Trigger, action: SwitchAction) -> EnvSwitch {
        EnvSwitch::new(name, trigger, action)
    }

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

    /// Whether two value lists hold the same values (order ignored): the
    /// check of an enum field whose type is a type parameter.
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
