//! The test builder: the knobs only tests and benchmarks turn (where the
//! environment is read from, where output and events go, a fixed hashing
//! key), kept off [`Builder`] so that product code cannot turn one by
//! accident. It is reached by name only: [`Builder::for_tests`] or
//! [`Builder::with_test_knobs`].

use std::io;
use std::ops::Deref;

use super::Builder;
use crate::env::EnvSource;
use crate::output::Output;
use crate::transport::MemorySink;

/// The anonymous id of a handle made by [`Builder::for_tests`].
pub const TEST_ANONYMOUS_ID: &str = "00000000-0000-4000-8000-000000000000";

/// The product key of a handle made by [`Builder::for_tests`], whatever
/// [`Builder::product_key`] was given: `hash: product` fields hash the same
/// in a test on every machine, with or without the product's secret.
///
/// ```
/// use telemetry_core::{Hasher, TEST_PRODUCT_KEY};
/// assert_eq!(TEST_PRODUCT_KEY, b"telemetry-core test product key.");
/// // What a product-scope field holding "build" is sent as, in a test:
/// let sent = Hasher::new(TEST_PRODUCT_KEY).hash_hex("build");
/// assert_eq!(sent.len(), 64);
/// ```
pub const TEST_PRODUCT_KEY: &[u8; 32] = b"telemetry-core test product key.";

/// What only tests set on a builder. Product builders keep the defaults:
/// the process environment, stderr, no in-process sink, keys from state.
#[derive(Clone, Default)]
pub(super) struct TestKnobs {
    pub env: EnvSource,
    pub output: Option<Output>,
    pub memory: Option<MemorySink>,
    /// Set by [`Builder::for_tests`]: the hashing key; no environment or state is read.
    pub fixed_key: Option<[u8; 32]>,
}

/// A [`Builder`] with its test knobs reachable: made by
/// [`Builder::for_tests`] or [`Builder::with_test_knobs`], after the product
/// settings (which it does not offer: set them first).
///
/// Everything a builder does it does, through `Deref`: `build`,
/// `build_or_off`, `preview_status`, `enable`, `disable`, and `&TestBuilder`
/// where a `&Builder` is asked for (`TelemetryArgs::run_to`).
///
/// ```
/// use telemetry_core::{EnvSource, Mode, Reason, Telemetry};
///
/// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
/// let builder = Telemetry::builder(&APP).app_version("1.0.0").with_test_knobs().env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")]));
/// let status = builder.preview_status();
/// assert_eq!(status.mode, Mode::Off);
/// assert!(matches!(status.reason, Reason::DoNotTrack { .. }));
/// ```
///
/// A product builder has none of the knobs: an app cannot read its
/// environment from elsewhere (past the user's `DO_NOT_TRACK`) by accident.
///
/// ```compile_fail
/// use telemetry_core::{EnvSource, Telemetry};
/// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
/// let builder = Telemetry::builder(&APP).env(EnvSource::from_pairs::<&str, &str>([]));
/// ```
///
/// Nor, through a `TestBuilder`, the product setters (set them before, or
/// in [`TestBuilder::settings`]):
///
/// ```compile_fail
/// use telemetry_core::{MemorySink, Telemetry};
/// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
/// let builder = Telemetry::builder(&APP).for_tests(MemorySink::new()).app_version("1.0.0");
/// ```
#[derive(Clone, Debug)]
pub struct TestBuilder {
    builder: Builder,
}

impl Deref for TestBuilder {
    type Target = Builder;

    fn deref(&self) -> &Builder {
        &self.builder
    }
}

impl Builder {
    /// A handle for an app's own tests: on whatever the environment says,
    /// delivering to `sink`. It reads no environment variable (an empty
    /// [`EnvSource`]; `DO_NOT_TRACK` on the developer's machine changes
    /// nothing), has no state dir and writes no file, shows no notice, and
    /// hashes with fixed keys (install scope: 32 zero bytes, or
    /// [`TestBuilder::hashing_key`]; `hash: product`: [`TEST_PRODUCT_KEY`],
    /// not the product's) under the fixed id [`TEST_ANONYMOUS_ID`], so a
    /// test can assert the exact bytes sent.
    /// The product settings made before this call still apply
    /// (`app_version`, `batching`, ...).
    ///
    /// The well-known context keys get fixed values, whatever the machine
    /// and whatever [`TestBuilder::env`] says: `os` `linux`, `os_version`
    /// `6.0.0`, `arch` `x86_64`, `ci` false, `container` false, `locale`
    /// `en_US`, and `app_version` the one set, else `0.0.0`. Nothing is
    /// read from the machine for them: the same test sends the same bytes
    /// on every machine.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::{Hasher, MemorySink, Telemetry, TelemetryEvent, TEST_ANONYMOUS_ID};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    ///
    /// #[derive(TelemetryEvent)]
    /// #[telemetry(schema = "../../schemas/example-cli.yaml")]
    /// struct CommandRun<'a> { command: &'a str, duration_ms: u64, outcome: Outcome, exit_code: i32,
    ///                         project: &'a str, flags: Vec<&'a str>, ci: Option<bool> }
    /// #[derive(telemetry_core::TelemetryEnum)]
    /// enum Outcome { Success, Failure }
    ///
    /// let sink = MemorySink::new();
    /// let telemetry = Telemetry::builder(&APP).for_tests(sink.clone()).hashing_key([7; 32]).build().unwrap();
    /// telemetry.record(&CommandRun { command: "build", duration_ms: 5, outcome: Outcome::Success, exit_code: 0,
    ///                               project: "acme", flags: vec![], ci: None });
    /// assert!(telemetry.flush(Duration::from_secs(5)));
    /// let sent: serde_json::Value = serde_json::from_str(&sink.take()[0]).unwrap();
    /// assert_eq!(sent["anonymous_id"], TEST_ANONYMOUS_ID);
    /// assert_eq!(sent["properties"]["project"], Hasher::new(&[7; 32]).hash_hex("acme"));
    /// ```
    pub fn for_tests(mut self, sink: MemorySink) -> TestBuilder {
        self.test = TestKnobs {
            env: EnvSource::from_pairs::<&str, &str>([]),
            output: self.test.output,
            memory: Some(sink),
            fixed_key: Some([0; 32]),
        };
        self.notice = false;
        self.state_dir = None;
        TestBuilder { builder: self }
    }

    /// The test knobs on a builder that otherwise works as the product's:
    /// consent, the id and key, the state dir and the notice are resolved
    /// as in production, from what the test gives ([`TestBuilder::env`],
    /// [`TestBuilder::output`], [`TestBuilder::memory`]). For tests of
    /// consent, state and delivery, and for benchmarks.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, MemorySink, Telemetry};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let dir = std::env::temp_dir().join(format!("with-test-knobs-doc-{}", std::process::id()));
    /// let telemetry = Telemetry::builder(&APP)
    ///     .app_version("1.0.0")
    ///     .state_dir(&dir)
    ///     .notice(false)
    ///     .with_test_knobs()
    ///     .env(EnvSource::from_pairs::<&str, &str>([]))
    ///     .memory(MemorySink::new())
    ///     .build()
    ///     .unwrap();
    /// assert!(telemetry.is_enabled());
    /// assert!(telemetry.status().anonymous_id.is_some()); // made and saved in `dir`
    /// # drop(telemetry);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn with_test_knobs(self) -> TestBuilder {
        TestBuilder { builder: self }
    }
}

impl TestBuilder {
    /// Read environment variables from `env` instead of the process: the
    /// consent variables, the state dir's, the id override's, the debug
    /// switch's.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, Mode, Telemetry};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let env = EnvSource::from_pairs([("EXAMPLE_CLI_TELEMETRY_OFFLINE", "1")]);
    /// assert_eq!(Telemetry::builder(&APP).with_test_knobs().env(env).preview_status().mode, Mode::Off);
    /// ```
    pub fn env(mut self, env: EnvSource) -> Self {
        self.builder.test.env = env;
        self
    }

    /// Write the notice, debug and log-only output here instead of stderr.
    ///
    /// ```
    /// use std::io::Write;
    /// use std::sync::{Arc, Mutex};
    /// use telemetry_core::{EnvSource, Telemetry};
    ///
    /// #[derive(Clone, Default)]
    /// struct Captured(Arc<Mutex<Vec<u8>>>);
    /// impl Write for Captured {
    ///     fn write(&mut self, b: &[u8]) -> std::io::Result<usize> { self.0.lock().unwrap().write(b) }
    ///     fn flush(&mut self) -> std::io::Result<()> { Ok(()) }
    /// }
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let out = Captured::default();
    /// // PostHog without its project key: in debug mode the handle says why it is off.
    /// let builder = Telemetry::builder(&APP).endpoint("https://eu.i.posthog.com", telemetry_core::WireFormat::PostHog);
    /// let debug = EnvSource::from_pairs([("EXAMPLE_CLI_TELEMETRY_DEBUG", "1")]);
    /// let telemetry = builder.with_test_knobs().env(debug).output(out.clone()).build_or_off();
    /// assert!(!telemetry.is_enabled());
    /// let said = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    /// assert!(said.starts_with("example-cli: telemetry is off: "), "{said}");
    /// ```
    pub fn output(mut self, w: impl io::Write + Send + 'static) -> Self {
        self.builder.test.output = Some(Output::new(w));
        self
    }

    /// Deliver to an in-process [`MemorySink`] instead of an endpoint or the
    /// JSON-lines file: nothing leaves the process. Consent still applies
    /// (off means nothing is recorded); debug and log-only modes still print
    /// instead.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, MemorySink, Telemetry};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let off = EnvSource::from_pairs([("DO_NOT_TRACK", "1")]);
    /// let builder = Telemetry::builder(&APP).app_version("1.0.0");
    /// let telemetry = builder.with_test_knobs().env(off).memory(MemorySink::new()).build().unwrap();
    /// assert!(!telemetry.is_enabled());
    /// ```
    pub fn memory(mut self, sink: MemorySink) -> Self {
        self.builder.test.memory = Some(sink);
        self
    }

    /// Product settings made after the test knobs, by a test that starts
    /// from a helper returning a `TestBuilder`: `f` gets the builder
    /// underneath; the test knobs stay as they are.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::{Batching, MemorySink, Telemetry, TestBuilder};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// fn quiet() -> TestBuilder {
    ///     Telemetry::builder(&APP).app_version("1.2.3").for_tests(MemorySink::new())
    /// }
    /// let fast = Batching::default().with_max_latency(Duration::from_millis(10));
    /// let telemetry = quiet().settings(|b| b.batching(fast)).build().unwrap();
    /// assert!(telemetry.is_enabled());
    /// ```
    pub fn settings(self, f: impl FnOnce(Builder) -> Builder) -> Self {
        let test = self.builder.test.clone();
        let mut builder = f(self.builder);
        builder.test = test;
        TestBuilder { builder }
    }

    /// The hashing key of a [`Builder::for_tests`] handle (default: 32 zero
    /// bytes). Does nothing on a [`Builder::with_test_knobs`] one, whose key
    /// is the install's: a known key would let anyone reverse the hashes an
    /// install sends.
    ///
    /// ```
    /// use telemetry_core::{MemorySink, Telemetry};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let telemetry = Telemetry::builder(&APP).for_tests(MemorySink::new()).hashing_key([7; 32]).build().unwrap();
    /// assert!(telemetry.is_enabled());
    /// ```
    pub fn hashing_key(mut self, key: [u8; 32]) -> Self {
        if let Some(fixed) = &mut self.builder.test.fixed_key {
            *fixed = key;
        }
        self
    }
}
