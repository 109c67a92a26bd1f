//! The builder: product settings, set once, then [`Builder::build`] (in
//! `build`) or the consent side (`preview_status`, `enable`, `disable`, in
//! `resolve`).
//!
//! The settings an app author decides on sit on [`Builder`] itself: who the
//! app is (`app_version`, `context`, `opt_out_command`, `notice`), where
//! state and events go (`state_dir`, `endpoint`, `api_key`, `proxy`,
//! `compression`) and how long exit may wait (`shutdown_deadline`).
//! `compression` sits with the endpoint, not in a group: like the wire
//! format it is what the collector must accept, a choice about the
//! destination rather than tuning that holds for any.
//!
//! Tuning comes in groups taken whole, as OpenTelemetry's `BatchConfig`
//! groups its processor's (`settings`): [`Batching`] (when a batch leaves), [`Limits`] (how much
//! memory and disk telemetry may use) and [`Retry`] (timeout and backoff of
//! a request). The groups follow what a reader asks of them: a service
//! author tunes latency, a privacy or ops reviewer checks the bounds on
//! disk, and neither needs the other's knobs. Each knob has exactly one
//! setter.
//!
//! What only tests and benchmarks turn (the environment read, the output,
//! an in-process sink, a fixed key) is on [`TestBuilder`] (`testing`),
//! reached only through [`Builder::for_tests`] or
//! [`Builder::with_test_knobs`]: product code does not reach it by accident.

mod build;
mod debug;
mod resolve;
mod settings;
mod testing;

use std::path::PathBuf;
use std::time::Duration;

use crate::TelemetryContext;
use crate::context::Given;
use crate::format::{Compression, WireFormat};
use crate::meta::AppMeta;
use crate::telemetry::Telemetry;
pub use settings::{Batching, Limits, Retry};
use testing::TestKnobs;
pub use testing::{TEST_ANONYMOUS_ID, TEST_PRODUCT_KEY, TestBuilder};

/// Configures a [`Telemetry`] handle. `build()` resolves consent once.
///
/// ```
/// use std::time::Duration;
/// use telemetry_core::{Batching, EnvSource, Limits, Telemetry};
///
/// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
/// let builder = Telemetry::builder(&APP)
///     .app_version("1.0.0")
///     .opt_out_command("example-cli telemetry disable")
///     .shutdown_deadline(Duration::from_millis(50))
///     .batching(Batching::default().with_max_latency(Duration::from_secs(1)))
///     .limits(Limits::default().with_spool_bytes(8 << 20));
/// // In a test: the environment is injected (a user who set DO_NOT_TRACK).
/// let telemetry = builder.with_test_knobs().env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")])).build().unwrap();
/// assert!(!telemetry.status().enabled());
/// assert_eq!(telemetry.status().reason.to_string(), "DO_NOT_TRACK is set to \"1\"");
/// ```
#[derive(Clone)]
pub struct Builder {
    meta: &'static AppMeta,
    app_version: String,
    endpoint: Option<String>,
    format: WireFormat,
    api_key: Option<String>,
    product_key: Option<Vec<u8>>,
    proxy: Option<String>,
    shutdown_deadline: Duration,
    compression: Compression,
    state_dir: Option<PathBuf>,
    notice: bool,
    opt_out_command: Option<String>,
    context: Option<Given>,
    batching: Batching,
    limits: Limits,
    retry: Retry,
    test: TestKnobs,
}

impl Builder {
    /// The shortest key [`Builder::product_key`] accepts, in bytes.
    pub const MIN_PRODUCT_KEY_BYTES: usize = crate::error::MIN_PRODUCT_KEY_BYTES;

    pub(crate) fn new(meta: &'static AppMeta) -> Self {
        Builder {
            meta,
            app_version: String::new(),
            endpoint: None,
            format: WireFormat::Native,
            api_key: None,
            product_key: None,
            proxy: None,
            shutdown_deadline: Duration::from_millis(100),
            compression: Compression::default(),
            state_dir: None,
            notice: true,
            opt_out_command: None,
            context: None,
            batching: Batching::default(),
            limits: Limits::default(),
            retry: Retry::default(),
            test: TestKnobs::default(),
        }
    }

    /// The app's version (`env!("CARGO_PKG_VERSION")`), sent as `app_version`.
    ///
    /// ```
    /// use telemetry_core::{MemorySink, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let telemetry = Telemetry::builder(&APP).app_version(env!("CARGO_PKG_VERSION")).for_tests(MemorySink::new()).build().unwrap();
    /// assert!(telemetry.is_enabled());
    /// ```
    pub fn app_version(mut self, version: impl Into<String>) -> Self {
        self.app_version = version.into();
        self
    }

    /// Send to an HTTP endpoint in `format` instead of the JSON-lines file.
    /// Checked by `build()`: `https://`, or `http://` to loopback only.
    ///
    /// A format whose [`WireFormat::needs_api_key`] is true
    /// ([`WireFormat::PostHog`]: the project key; [`WireFormat::Segment`]:
    /// the write key) also needs
    /// [`Builder::api_key`]; without it `build()` fails with
    /// [`crate::BuildError::MissingApiKey`], before anything is written or sent.
    ///
    /// ```
    /// use telemetry_core::{Telemetry, WireFormat};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP).endpoint("http://telemetry.example.com/v1", WireFormat::Native);
    /// assert!(builder.build().is_err()); // plain http to a host that is not loopback
    /// ```
    pub fn endpoint(mut self, url: impl Into<String>, format: WireFormat) -> Self {
        self.endpoint = Some(url.into());
        self.format = format;
        self
    }

    /// The Segment write key or PostHog project key.
    ///
    /// ```
    /// use telemetry_core::{Telemetry, WireFormat};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP).endpoint("https://eu.i.posthog.com", WireFormat::PostHog).api_key("phc_project_key");
    /// assert!(format!("{builder:?}").contains("api_key: Some(<redacted>)"));
    /// ```
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The product's hashing key: fields of `hash: product` are sent as
    /// their HMAC-SHA256 under it, the same on every install, so they can be
    /// counted across installs (`hash: install` fields keep the install's
    /// own random key).
    ///
    /// The key is the product's secret, built into the program: give it at
    /// build time from a CI secret, e.g. `option_env!("MYAPP_TELEMETRY_KEY")`,
    /// and never commit it. It is never sent, printed (`Debug` shows
    /// `<redacted>`), stored or spooled. Anyone holding the program can
    /// still dig it out and hash guesses, which the page says.
    ///
    /// When the schema hashes any field with `hash: product`, `build()`
    /// refuses a missing or empty key ([`crate::BuildError::MissingProductKey`])
    /// or one shorter than 16 bytes ([`crate::BuildError::ShortProductKey`]),
    /// whether or not telemetry is on, so a build without the secret shows
    /// up on every machine; [`Builder::build_or_off`] runs on with telemetry
    /// off. For any other schema the key is dropped, unused.
    ///
    /// ```
    /// use telemetry_core::{BuildError, EnvSource, Telemetry};
    /// // A schema with `hash: product` fields.
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../tests/schemas/product_scope.yaml");
    /// // In CI: MYAPP_TELEMETRY_KEY=<the secret> cargo build --release
    /// let builder = Telemetry::builder(&APP).product_key(option_env!("MYAPP_TELEMETRY_KEY").unwrap_or_default());
    /// # let builder = builder.with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]));
    /// // Built without the secret: refused, naming the fields that need it.
    /// let Err(BuildError::MissingProductKey { fields, .. }) = builder.build() else { panic!() };
    /// assert!(fields.contains(&"build.command"));
    /// ```
    pub fn product_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.product_key = Some(key.as_ref().to_vec());
        self
    }

    /// Send through this proxy (`https://`, or `http://` to loopback only:
    /// checked by `build()` like the endpoint). Without it no proxy is used:
    /// `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY` are never read, since a
    /// plain-http proxy from the environment would see every event and key.
    /// An app that wants the user's proxy reads the variable and passes it
    /// here, where the policy applies.
    ///
    /// ```
    /// use telemetry_core::{Telemetry, WireFormat};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP)
    ///     .endpoint("https://telemetry.example.com/v1", WireFormat::Native)
    ///     .proxy("http://proxy.example.com:3128");
    /// assert!(builder.build().is_err()); // plain http to a host that is not loopback
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// How long dropping the handle may wait for delivery (default 100 ms).
    /// What is not delivered by then is spooled for the next run.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::{MemorySink, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let telemetry = Telemetry::builder(&APP).shutdown_deadline(Duration::from_millis(20)).for_tests(MemorySink::new()).build().unwrap();
    /// drop(telemetry); // waits 20 ms at most
    /// ```
    pub fn shutdown_deadline(mut self, d: Duration) -> Self {
        self.shutdown_deadline = d;
        self
    }

    /// How request bodies are encoded. The default, [`Compression::Auto`],
    /// gzips (`Content-Encoding: gzip`, which OTLP/HTTP collectors, PostHog
    /// and Segment accept) only a body over
    /// [`Compression::AUTO_MIN_BYTES`] in those formats (a batch, not a
    /// CLI's one event) and never a native body;
    /// [`Compression::Gzip`] gzips every body, [`Compression::None`] none
    /// (for an OTLP, PostHog or Segment collector that does not decode it). The figures
    /// behind the default are in BENCHMARKS.md ("The default `Compression`").
    ///
    /// ```
    /// # #[cfg(feature = "http")] {
    /// use telemetry_core::{Compression, EnvSource, Telemetry, WireFormat};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let telemetry = Telemetry::builder(&APP)
    ///     .app_version("1.0.0")
    ///     .endpoint("https://collector.example.com", WireFormat::Otlp)
    ///     .compression(Compression::None)
    ///     .with_test_knobs()
    ///     .env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")]))
    ///     .build()
    ///     .unwrap();
    /// assert!(!telemetry.status().enabled());
    /// # }
    /// ```
    pub fn compression(mut self, c: Compression) -> Self {
        self.compression = c;
        self
    }

    /// Keep state here instead of `<APP>_TELEMETRY_DIR` or the platform config dir.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let dir = std::env::temp_dir().join("state-dir-doc");
    /// # let env = EnvSource::from_pairs::<&str, &str>([]);
    /// let status = Telemetry::builder(&APP).state_dir(&dir).with_test_knobs().env(env).preview_status();
    /// assert_eq!(status.state_dir, Some(dir));
    /// ```
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }

    /// When a batch is sent (defaults: 500 events, 256 KiB, or its oldest
    /// event waited 2 s). See [`Batching`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::{Batching, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// // A service: what it records leaves within a second, not only at exit.
    /// let builder = Telemetry::builder(&APP).batching(Batching::default().with_max_latency(Duration::from_secs(1)));
    /// # drop(builder);
    /// ```
    pub fn batching(mut self, batching: Batching) -> Self {
        self.batching = batching;
        self
    }

    /// How much memory and disk telemetry may use (defaults: a queue of
    /// 1000 events and 4 MiB, a spool of 64 MiB and 1000 files, a
    /// JSON-lines file rotated at 4 MiB). See [`Limits`].
    ///
    /// ```
    /// use telemetry_core::{Limits, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP).limits(Limits::default().with_spool_bytes(8 << 20).with_spool_files(100));
    /// # drop(builder);
    /// ```
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The timeout of one request and the backoff between retries
    /// (defaults 10 s; 500 ms doubling up to 60 s). See [`Retry`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::{Retry, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP).retry(Retry::default().with_request_timeout(Duration::from_secs(3)));
    /// # drop(builder);
    /// ```
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// The context sent with every event: a struct checked against the
    /// schema's `context.fields` by `#[derive(TelemetryContext)]`. It is
    /// written once, by `build()` (hashed keys hashed with the install's
    /// key); the runtime adds the well-known keys the schema declares that
    /// the struct does not carry (`os`, `ci`, ...).
    ///
    /// `build()` fails with [`crate::BuildError::MissingContext`] when the
    /// schema requires a key that neither the struct nor the runtime fills
    /// (with no struct given, any such key), and with
    /// [`crate::BuildError::ContextForOtherApp`] when the struct was derived
    /// against another schema.
    ///
    /// ```
    /// use telemetry_core::{MemorySink, Telemetry, TelemetryContext};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    ///
    /// // The example schema's context holds only well-known keys: a struct may pin them.
    /// #[derive(TelemetryContext)]
    /// #[telemetry(schema = "../../schemas/example-cli.yaml")]
    /// struct Pinned { os: &'static str, arch: &'static str, app_version: &'static str, ci: bool }
    ///
    /// let pinned = Pinned { os: "linux", arch: "x86_64", app_version: "1.2.3", ci: false };
    /// let telemetry = Telemetry::builder(&APP).context(pinned).for_tests(MemorySink::new()).build().unwrap();
    /// assert!(telemetry.is_enabled());
    /// ```
    pub fn context<C: TelemetryContext + Send + Sync + 'static>(mut self, context: C) -> Self {
        self.context = Some(Given::new(context));
        self
    }

    /// Show the first-run notice (default true).
    ///
    /// ```
    /// use telemetry_core::Telemetry;
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP).notice(false);
    /// assert!(format!("{builder:?}").contains("notice: false"));
    /// ```
    pub fn notice(mut self, show: bool) -> Self {
        self.notice = show;
        self
    }

    /// The command that turns telemetry off, named in the notice and status
    /// (for example `example-cli telemetry disable`).
    ///
    /// ```
    /// use telemetry_core::Telemetry;
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP).opt_out_command("example-cli telemetry disable");
    /// assert!(builder.notice_text().contains("example-cli telemetry disable"));
    /// ```
    pub fn opt_out_command(mut self, cmd: impl Into<String>) -> Self {
        self.opt_out_command = Some(cmd.into());
        self
    }
}

impl Telemetry {
    /// Starts configuring the handle for an app.
    ///
    /// ```
    /// use telemetry_core::Telemetry;
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP);
    /// assert!(format!("{builder:?}").starts_with("Builder { app: \"example-cli\""));
    /// ```
    pub fn builder(meta: &'static AppMeta) -> Builder {
        Builder::new(meta)
    }
}
