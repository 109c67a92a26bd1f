//! The builder: configuration, set once, then [`Builder::build`] (in
//! `build`) or the consent side (`status`, `enable`, `disable`, in `resolve`).

mod build;
mod debug;
mod resolve;

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use crate::TelemetryContext;
use crate::context::Given;
use crate::delivery::{Backoff, Tuning};
use crate::env::EnvSource;
use crate::format::{Compression, WireFormat};
use crate::meta::AppMeta;
use crate::output::Output;
use crate::telemetry::Telemetry;
use crate::transport::MemorySink;

/// Configures a [`Telemetry`] handle. `build()` resolves consent once.
///
/// ```
/// use std::time::Duration;
/// use telemetry_core::{EnvSource, Telemetry};
///
/// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
/// let telemetry = Telemetry::builder(&APP)
///     .app_version("1.0.0")
///     .env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")]))
///     .shutdown_deadline(Duration::from_millis(50))
///     .build()
///     .unwrap();
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
    proxy: Option<String>,
    shutdown_deadline: Duration,
    request_timeout: Duration,
    compression: Compression,
    state_dir: Option<PathBuf>,
    env: EnvSource,
    output: Option<Output>,
    memory: Option<MemorySink>,
    tuning: Tuning,
    spool_max_bytes: u64,
    spool_max_files: usize,
    file_max_bytes: u64,
    notice: bool,
    opt_out_command: Option<String>,
    /// Set by [`Builder::for_tests`]: the hashing key; no environment or state is read.
    test_key: Option<[u8; 32]>,
    context: Option<Given>,
}

/// The anonymous id of a handle made by [`Builder::for_tests`].
pub const TEST_ANONYMOUS_ID: &str = "00000000-0000-4000-8000-000000000000";

impl Builder {
    pub(crate) fn new(meta: &'static AppMeta) -> Self {
        Builder {
            meta,
            app_version: String::new(),
            endpoint: None,
            format: WireFormat::Native,
            api_key: None,
            proxy: None,
            shutdown_deadline: Duration::from_millis(100),
            request_timeout: Duration::from_secs(10),
            compression: Compression::None,
            state_dir: None,
            env: EnvSource::process(),
            output: None,
            memory: None,
            tuning: Tuning::default(),
            spool_max_bytes: 64 << 20,
            spool_max_files: 1000,
            file_max_bytes: 4 << 20,
            notice: true,
            opt_out_command: None,
            test_key: None,
            context: None,
        }
    }

    /// The app's version (`env!("CARGO_PKG_VERSION")`), sent as `app_version`.
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
    pub fn endpoint(mut self, url: impl Into<String>, format: WireFormat) -> Self {
        self.endpoint = Some(url.into());
        self.format = format;
        self
    }

    /// The Segment write key or PostHog project key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Send through this proxy (`https://`, or `http://` to loopback only:
    /// checked by `build()` like the endpoint). Without it no proxy is used:
    /// `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY` are never read, since a
    /// plain-http proxy from the environment would see every event and key.
    /// An app that wants the user's proxy reads the variable and passes it
    /// here, where the policy applies.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// How long dropping the handle may wait for delivery (default 100 ms).
    /// What is not delivered by then is spooled for the next run.
    pub fn shutdown_deadline(mut self, d: Duration) -> Self {
        self.shutdown_deadline = d;
        self
    }

    /// Timeout of one HTTP request (default 10 s). Exit never waits for it
    /// beyond the shutdown deadline.
    pub fn request_timeout(mut self, d: Duration) -> Self {
        self.request_timeout = d;
        self
    }

    /// How request bodies are encoded (default [`Compression::None`]);
    /// [`Compression::Gzip`] sends `Content-Encoding: gzip`, which OTLP/HTTP
    /// collectors, PostHog and Segment accept. The figures behind the
    /// default are in BENCHMARKS.md ("Bytes on the wire").
    ///
    /// ```
    /// # #[cfg(feature = "http")] {
    /// use telemetry_core::{Compression, EnvSource, Telemetry, WireFormat};
    ///
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let telemetry = Telemetry::builder(&APP)
    ///     .app_version("1.0.0")
    ///     .endpoint("https://collector.example.com", WireFormat::Otlp)
    ///     .compression(Compression::Gzip)
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
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }

    /// Read environment variables from `env` instead of the process (tests).
    pub fn env(mut self, env: EnvSource) -> Self {
        self.env = env;
        self
    }

    /// Write the notice, debug and log-only output here instead of stderr.
    pub fn output(mut self, w: impl io::Write + Send + 'static) -> Self {
        self.output = Some(Output::new(w));
        self
    }

    /// Deliver to an in-process [`MemorySink`] instead of an endpoint or the
    /// JSON-lines file: nothing leaves the process. For tests and benchmarks.
    /// Consent still applies (off means nothing is recorded); debug and
    /// log-only modes still print instead.
    pub fn memory(mut self, sink: MemorySink) -> Self {
        self.memory = Some(sink);
        self
    }

    /// Both queue bounds at once (defaults 1000 events, 4 MiB); see
    /// [`Builder::queue_events`] and [`Builder::queue_bytes`] to set one.
    pub fn queue_capacity(self, events: usize, bytes: usize) -> Self {
        self.queue_events(events).queue_bytes(bytes)
    }

    /// How many events the queue holds (default 1000); the byte bound stays.
    /// Raising it past 4 MiB of events needs [`Builder::queue_bytes`] too.
    /// With an HTTP endpoint and a state dir a full queue does not drop: it
    /// overflows into a list of the same bounds that a background thread
    /// writes to the spool ([`Builder::spool_limits`]), sent later in the
    /// run or by the next one.
    pub fn queue_events(mut self, events: usize) -> Self {
        self.tuning.queue_events = events.max(1);
        self
    }

    /// How many bytes of envelopes the queue holds (default 4 MiB); the event bound stays.
    pub fn queue_bytes(mut self, bytes: usize) -> Self {
        self.tuning.queue_bytes = bytes.max(1);
        self
    }

    /// A batch is sent when it holds `events` events or `bytes` bytes, or its
    /// oldest event waited `delay` (defaults 500, 256 KiB, 2 s: the OpenTelemetry
    /// batch processor sends 512 at most; Segment takes up to 500 KB per request).
    pub fn batch(mut self, events: usize, bytes: usize, delay: Duration) -> Self {
        self.tuning.batch_events = events.max(1);
        self.tuning.batch_bytes = bytes.max(1);
        self.tuning.batch_delay = delay;
        self
    }

    /// The longest an event waits in the queue before its batch is sent
    /// (default 2 s): what a long-running service sets so that events are
    /// delivered while it runs, not only at exit. The same setting as the
    /// `delay` of [`Builder::batch`].
    pub fn max_latency(mut self, d: Duration) -> Self {
        self.tuning.batch_delay = d;
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
    pub fn context<C: TelemetryContext + Send + Sync + 'static>(mut self, context: C) -> Self {
        self.context = Some(Given::new(context));
        self
    }

    /// Retry backoff: doubles from `base` up to `max`, with jitter (defaults 500 ms, 60 s).
    /// `Retry-After` (seconds) is honoured when the endpoint sends it.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.tuning.backoff = Backoff { base, max: max.max(base) };
        self
    }

    /// Spool bounds (defaults 64 MiB, 1000 files): beyond them unsent events
    /// are dropped (counted in [`crate::Stats::dropped`]). With an HTTP
    /// endpoint and a state dir, the spool takes what a full queue cannot
    /// hold as well as what is left at exit: 64 MiB holds a burst of about
    /// 130,000 events of 500 bytes, and is the most disk the spool uses.
    pub fn spool_limits(mut self, max_bytes: u64, max_files: usize) -> Self {
        self.spool_max_bytes = max_bytes;
        self.spool_max_files = max_files;
        self
    }

    /// Size at which the JSON-lines file is rotated to `events.jsonl.1` (default 4 MiB).
    pub fn file_max_bytes(mut self, bytes: u64) -> Self {
        self.file_max_bytes = bytes;
        self
    }

    /// Show the first-run notice (default true).
    pub fn notice(mut self, show: bool) -> Self {
        self.notice = show;
        self
    }

    /// A handle for an app's own tests: on whatever the environment says,
    /// delivering to `sink`. It reads no environment variable (an empty
    /// [`EnvSource`]; `DO_NOT_TRACK` on the developer's machine changes
    /// nothing), has no state dir and writes no file, shows no notice, and
    /// hashes with a fixed key (32 zero bytes, or
    /// [`Builder::hashing_key_for_tests`]) under the fixed id
    /// [`TEST_ANONYMOUS_ID`], so a test can assert the exact bytes sent.
    /// Settings made after this call still apply (`app_version`, `batch`, ...).
    ///
    /// The well-known context keys get fixed values, whatever the machine
    /// and whatever [`Builder::env`] says: `os` `linux`, `os_version`
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
    /// let telemetry = Telemetry::builder(&APP).for_tests(sink.clone()).hashing_key_for_tests([7; 32]).build().unwrap();
    /// telemetry.record(&CommandRun { command: "build", duration_ms: 5, outcome: Outcome::Success, exit_code: 0,
    ///                               project: "acme", flags: vec![], ci: None });
    /// assert!(telemetry.flush(Duration::from_secs(5)));
    /// let sent: serde_json::Value = serde_json::from_str(&sink.take()[0]).unwrap();
    /// assert_eq!(sent["anonymous_id"], TEST_ANONYMOUS_ID);
    /// assert_eq!(sent["properties"]["project"], Hasher::new(&[7; 32]).hash_hex("acme"));
    /// ```
    pub fn for_tests(mut self, sink: MemorySink) -> Self {
        self.env = EnvSource::from_pairs::<&str, &str>([]);
        self.memory = Some(sink);
        self.notice = false;
        self.state_dir = None;
        self.test_key = Some([0; 32]);
        self
    }

    /// The hashing key of a [`Builder::for_tests`] handle (default: 32 zero
    /// bytes). Does nothing on any other builder: a known key would let
    /// anyone reverse the hashes an install sends.
    pub fn hashing_key_for_tests(mut self, key: [u8; 32]) -> Self {
        if self.test_key.is_some() {
            self.test_key = Some(key);
        }
        self
    }

    /// The command that turns telemetry off, named in the notice and status
    /// (for example `example-cli telemetry disable`).
    pub fn opt_out_command(mut self, cmd: impl Into<String>) -> Self {
        self.opt_out_command = Some(cmd.into());
        self
    }
}

impl Telemetry {
    /// Starts configuring the handle for an app.
    pub fn builder(meta: &'static AppMeta) -> Builder {
        Builder::new(meta)
    }
}
