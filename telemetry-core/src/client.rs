//! The client: a builder, the `Telemetry` handle, and its status.

use std::fmt;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use crate::consent::{self, Choice, Mode, Reason};
use crate::delivery::{Leftovers, Shared, Stats, Tuning, run_worker};
use crate::env::{EnvNames, EnvSource};
use crate::envelope::Template;
use crate::format::WireFormat;
use crate::meta::{AppMeta, EventMeta, SwitchAction, Trigger};
use crate::spool::Spool;
use crate::state::{self, EVENTS_FILE, Loaded, SPOOL_DIR, StateData};
use crate::transport::{MemorySink, Output, Sink};
use crate::{Hasher, PropertyWriter, TelemetryEvent};

/// Why [`Builder::build`] refused a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// The endpoint is not a URL.
    InvalidEndpoint {
        /// What was given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Plain `http://` to a host that is not loopback: events would travel unencrypted.
    InsecureEndpoint {
        /// What was given.
        url: String,
    },
    /// An endpoint was set, but this build has no HTTP transport (cargo feature `http`).
    HttpUnavailable {
        /// What was given.
        url: String,
    },
    /// The wire format needs an API key ([`Builder::api_key`]).
    MissingApiKey {
        /// The format.
        format: WireFormat,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidEndpoint { url, reason } => {
                write!(f, "telemetry endpoint {url:?} is not a valid URL: {reason}")
            }
            BuildError::InsecureEndpoint { url } => write!(
                f,
                "telemetry endpoint {url:?} uses plain http: use https://, or http:// only to 127.0.0.1, localhost or [::1]"
            ),
            BuildError::HttpUnavailable { url } => {
                write!(f, "telemetry endpoint {url:?} needs the HTTP transport: enable telemetry-core's `http` feature")
            }
            BuildError::MissingApiKey { format } => {
                write!(f, "the {} wire format needs an API key: call .api_key(..)", format.name())
            }
        }
    }
}

impl std::error::Error for BuildError {}

#[cfg(feature = "http")]
/// Checks an endpoint: `https://`, or `http://` to loopback only. Appends the
/// format's default path when the URL has none.
///
/// ```
/// use telemetry_core::{WireFormat, check_endpoint};
/// assert_eq!(
///     check_endpoint("http://127.0.0.1:4318", WireFormat::Otlp).unwrap().as_str(),
///     "http://127.0.0.1:4318/v1/logs"
/// );
/// assert!(check_endpoint("https://collector.example.org/ingest", WireFormat::Native).is_ok());
/// assert!(check_endpoint("http://collector.example.org/ingest", WireFormat::Native).is_err());
/// ```
pub fn check_endpoint(url: &str, format: WireFormat) -> Result<reqwest::Url, BuildError> {
    let mut u = reqwest::Url::parse(url)
        .map_err(|e| BuildError::InvalidEndpoint { url: url.to_string(), reason: e.to_string() })?;
    match u.scheme() {
        "https" => {}
        "http" => {
            let host = u.host_str().unwrap_or_default();
            let ip = host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>();
            let loopback = host.eq_ignore_ascii_case("localhost") || ip.is_ok_and(|ip| ip.is_loopback());
            if !loopback {
                return Err(BuildError::InsecureEndpoint { url: url.to_string() });
            }
        }
        other => {
            return Err(BuildError::InvalidEndpoint {
                url: url.to_string(),
                reason: format!("scheme {other:?} is not https"),
            });
        }
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(BuildError::InvalidEndpoint { url: url.to_string(), reason: "no host".into() });
    }
    if let Some(path) = format.default_path()
        && (u.path() == "/" || u.path().is_empty())
    {
        u.set_path(path);
    }
    Ok(u)
}

/// Whether telemetry is on, why, and where its state and events go.
///
/// Its `Display` is what `telemetry status` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The app.
    pub app: &'static str,
    /// On, off or log-only.
    pub mode: Mode,
    /// What decided it.
    pub reason: Reason,
    /// Where install state lives (whether or not it exists yet).
    pub state_dir: Option<PathBuf>,
    /// The anonymous id, when one exists (status never creates one).
    pub anonymous_id: Option<String>,
    /// Where events go, in words.
    pub destination: String,
    /// How to opt out, in words.
    pub opt_out: String,
    /// The "what we collect" page.
    pub docs_url: Option<&'static str>,
    /// Anything unusual: a corrupt or unwritable state file, an ignored variable.
    pub notes: Vec<String>,
}

impl Status {
    /// Whether events are recorded (on, or log-only).
    pub fn enabled(&self) -> bool {
        self.mode != Mode::Off
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = match self.mode {
            Mode::On => "on",
            Mode::Off => "off",
            Mode::LogOnly => "log-only",
        };
        writeln!(f, "Telemetry is {mode}: {}.", self.reason)?;
        writeln!(f, "  Events go to:  {}", self.destination)?;
        match &self.state_dir {
            Some(d) => writeln!(f, "  State:         {}", d.display())?,
            None => writeln!(f, "  State:         nowhere (no config directory)")?,
        }
        if let Some(id) = &self.anonymous_id {
            writeln!(f, "  Anonymous id:  {id}")?;
        }
        if let Some(url) = self.docs_url {
            writeln!(f, "  What is sent:  {url}")?;
        }
        if self.mode != Mode::Off {
            writeln!(f, "  Opt out:       {}", self.opt_out)?;
        }
        for n in &self.notes {
            writeln!(f, "  Note: {n}")?;
        }
        Ok(())
    }
}

/// Configures a [`Telemetry`] handle. `build()` resolves consent once.
///
/// ```
/// use std::time::Duration;
/// use telemetry_core::meta::AppMeta;
/// use telemetry_core::{EnvSource, Telemetry};
///
/// static APP: AppMeta = AppMeta {
///     name: "demo", title: "Demo", docs_url: None, anonymous_id_env: None, enabled_by_default: true,
///     do_not_track: true, env: &[], context: &[], events: &[],
/// };
/// let telemetry = Telemetry::builder(&APP)
///     .app_version("1.0.0")
///     .env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")]))
///     .shutdown_deadline(Duration::from_millis(50))
///     .build()
///     .unwrap();
/// assert!(!telemetry.status().enabled());
/// assert_eq!(telemetry.status().reason.to_string(), "DO_NOT_TRACK is set to \"1\"");
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    meta: &'static AppMeta,
    app_version: String,
    endpoint: Option<String>,
    format: WireFormat,
    api_key: Option<String>,
    shutdown_deadline: Duration,
    request_timeout: Duration,
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
}

struct Resolved {
    mode: Mode,
    reason: Reason,
    dir: Option<PathBuf>,
    loaded: Option<Loaded>,
    debug: bool,
    names: EnvNames,
}

impl Builder {
    fn new(meta: &'static AppMeta) -> Self {
        Builder {
            meta,
            app_version: String::new(),
            endpoint: None,
            format: WireFormat::Native,
            api_key: None,
            shutdown_deadline: Duration::from_millis(100),
            request_timeout: Duration::from_secs(10),
            state_dir: None,
            env: EnvSource::process(),
            output: None,
            memory: None,
            tuning: Tuning {
                queue_events: 1000,
                queue_bytes: 4 << 20,
                batch_events: 100,
                batch_bytes: 256 << 10,
                batch_delay: Duration::from_secs(2),
                backoff_base: Duration::from_millis(500),
                backoff_max: Duration::from_secs(60),
            },
            spool_max_bytes: 1 << 20,
            spool_max_files: 50,
            file_max_bytes: 4 << 20,
            notice: true,
            opt_out_command: None,
        }
    }

    /// The app's version (`env!("CARGO_PKG_VERSION")`), sent as `app_version`.
    pub fn app_version(mut self, version: impl Into<String>) -> Self {
        self.app_version = version.into();
        self
    }

    /// Send to an HTTP endpoint in `format` instead of the JSON-lines file.
    /// Checked by `build()`: `https://`, or `http://` to loopback only.
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
        self.output = Some(Output(Arc::new(Mutex::new(Box::new(w)))));
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

    /// Queue bounds: events beyond them are dropped (defaults 1000 events, 4 MiB).
    pub fn queue_capacity(mut self, events: usize, bytes: usize) -> Self {
        self.tuning.queue_events = events.max(1);
        self.tuning.queue_bytes = bytes.max(1);
        self
    }

    /// A batch is sent when it holds `events` events or `bytes` bytes, or its
    /// oldest event waited `delay` (defaults 100, 256 KiB, 2 s).
    pub fn batch(mut self, events: usize, bytes: usize, delay: Duration) -> Self {
        self.tuning.batch_events = events.max(1);
        self.tuning.batch_bytes = bytes.max(1);
        self.tuning.batch_delay = delay;
        self
    }

    /// Retry backoff: doubles from `base` up to `max`, with jitter (defaults 500 ms, 60 s).
    /// `Retry-After` (seconds) is honoured when the endpoint sends it.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.tuning.backoff_base = base;
        self.tuning.backoff_max = max.max(base);
        self
    }

    /// Spool bounds (defaults 1 MiB, 50 files): beyond them unsent events are dropped.
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

    /// The command that turns telemetry off, named in the notice and status
    /// (for example `example-cli telemetry disable`).
    pub fn opt_out_command(mut self, cmd: impl Into<String>) -> Self {
        self.opt_out_command = Some(cmd.into());
        self
    }

    fn resolve(&self) -> Resolved {
        let names = EnvNames::for_app(self.meta.name);
        let dir = state::resolve_dir(self.meta.name, self.state_dir.as_deref(), self.env.get(&names.dir));
        let mut loaded = None;
        let (mode, reason) = consent::resolve(self.meta, &self.env, || {
            let l = dir.as_deref().map(state::read).unwrap_or(Loaded::Missing);
            let c = l.choice();
            loaded = Some(l);
            c
        });
        let debug = self.env.get(&names.debug).is_some_and(|v| Trigger::Truthy.fires(&v));
        Resolved { mode, reason, dir, loaded, debug, names }
    }

    fn opt_out_text(&self, names: &EnvNames) -> String {
        let mut ways = Vec::new();
        if let Some(cmd) = &self.opt_out_command {
            ways.push(format!("run `{cmd}`"));
        }
        let mut vars = Vec::new();
        if self.meta.do_not_track {
            vars.push("DO_NOT_TRACK=1".to_string());
        }
        let switch = self.meta.env.iter().find(|s| s.action == SwitchAction::Disable);
        if let Some(s) = switch {
            let value = match s.trigger {
                Trigger::Set | Trigger::Truthy => "1",
                Trigger::Falsy => "0",
                Trigger::Equals(v) => v,
            };
            vars.push(format!("{}={value}", s.name));
        }
        if vars.is_empty() {
            vars.push(format!("{}=1", names.offline));
        }
        ways.push(format!("set {}", vars.join(" or ")));
        ways.join(", or ")
    }

    fn destination(&self, mode: Mode, debug: bool, dir: Option<&Path>) -> String {
        match mode {
            Mode::Off => "nowhere (telemetry is off)".into(),
            Mode::LogOnly => "stderr, one line per event (log only: nothing is sent or stored)".into(),
            Mode::On if debug => "stderr, as pretty JSON (debug: nothing is sent or stored)".into(),
            Mode::On if self.memory.is_some() => "memory (in-process; nothing is sent or stored)".into(),
            Mode::On => match (&self.endpoint, dir) {
                (Some(url), _) => format!("{url} ({} format)", self.format.name()),
                (None, Some(d)) => format!("{} (JSON lines; nothing is sent)", d.join(EVENTS_FILE).display()),
                (None, None) => "nowhere: no config directory for the events file".into(),
            },
        }
    }

    fn status_from(&self, r: &Resolved, anonymous_id: Option<String>, notes: Vec<String>) -> Status {
        Status {
            app: self.meta.name,
            mode: r.mode,
            reason: r.reason.clone(),
            state_dir: r.dir.clone(),
            anonymous_id,
            destination: self.destination(r.mode, r.debug, r.dir.as_deref()),
            opt_out: self.opt_out_text(&r.names),
            docs_url: self.meta.docs_url,
            notes,
        }
    }

    /// Whether telemetry would be on, and why, without starting anything or
    /// writing any file.
    pub fn status(&self) -> Status {
        let r = self.resolve();
        let loaded = match &r.loaded {
            Some(_) => None,
            None => r.dir.as_deref().map(state::read),
        };
        let mut notes = Vec::new();
        let id = match loaded.as_ref().or(r.loaded.as_ref()) {
            Some(Loaded::Ok(s)) => s.anonymous_id.clone(),
            Some(Loaded::Corrupt(why)) => {
                notes.push(format!("{why}; `telemetry enable` or `telemetry disable` rewrites it"));
                None
            }
            _ => None,
        };
        self.status_from(&r, id, notes)
    }

    fn require_dir(&self) -> io::Result<PathBuf> {
        self.resolve().dir.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("no config directory: set {}", EnvNames::for_app(self.meta.name).dir),
            )
        })
    }

    /// Persists "enabled" (for `telemetry enable`). Variables such as
    /// `DO_NOT_TRACK` still win: the returned status says what applies.
    pub fn enable(&self) -> io::Result<Status> {
        let dir = self.require_dir()?;
        let mut st = match state::read(&dir) {
            Loaded::Ok(s) => s,
            _ => StateData::default(),
        };
        st.version = 1;
        st.consent = Some(Choice::Enabled.into());
        state::write(&dir, &st)?;
        Ok(self.status())
    }

    /// Persists "disabled" (for `telemetry disable`), and deletes the
    /// anonymous id, the hashing key and any spooled events.
    pub fn disable(&self) -> io::Result<Status> {
        let dir = self.require_dir()?;
        let mut st = match state::read(&dir) {
            Loaded::Ok(s) => s,
            _ => StateData::default(),
        };
        st.version = 1;
        st.consent = Some(Choice::Disabled.into());
        st.anonymous_id = None;
        st.key = None;
        state::write(&dir, &st)?;
        match std::fs::remove_dir_all(dir.join(SPOOL_DIR)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        Ok(self.status())
    }

    /// The first-run notice, as printed.
    pub fn notice_text(&self) -> String {
        let names = EnvNames::for_app(self.meta.name);
        let mut s = format!(
            "{} collects anonymous usage data ({}) with a random install id, never who you are.\n",
            self.meta.title,
            self.meta.events.join(", ")
        );
        if let Some(url) = self.meta.docs_url {
            s.push_str(&format!("  What is collected and what never is: {url}\n"));
        }
        s.push_str(&format!("  To opt out: {}.\n", self.opt_out_text(&names)));
        s.push_str("This notice is shown once.\n");
        s
    }

    /// Resolves consent and starts the handle (a background thread when on).
    ///
    /// Fails only on a bad endpoint or a missing API key, whether or not
    /// telemetry is on, so a misconfiguration shows up on every machine.
    pub fn build(&self) -> Result<Telemetry, BuildError> {
        #[cfg(feature = "http")]
        let url = match &self.endpoint {
            Some(u) => Some(check_endpoint(u, self.format)?),
            None => None,
        };
        #[cfg(not(feature = "http"))]
        let url: Option<std::convert::Infallible> = match &self.endpoint {
            Some(u) => {
                return Err(BuildError::HttpUnavailable { url: u.clone() });
            }
            None => None,
        };
        if url.is_some() && self.format == WireFormat::PostHog && self.api_key.is_none() {
            return Err(BuildError::MissingApiKey { format: self.format });
        }
        let r = self.resolve();
        if r.mode == Mode::Off {
            let status = self.status_from(&r, None, Vec::new());
            return Ok(Telemetry { active: AtomicBool::new(false), meta: self.meta, status, inner: None });
        }
        let output = self.output.clone().unwrap_or_else(Output::stderr);
        let diag = r.debug.then(|| output.clone());
        let mut notes = Vec::new();

        // Identity: persisted when on; read-only (or process-only) in log-only mode.
        let loaded = match &r.loaded {
            Some(l) => l.clone(),
            None => r.dir.as_deref().map(state::read).unwrap_or(Loaded::Missing),
        };
        let (mut anonymous_id, key, show_notice) = match identity(self, &r, loaded, &mut notes) {
            Some(x) => x,
            None => {
                notes.push("the system has no randomness to make a hashing key; telemetry is off".into());
                let mut status = self.status_from(&r, None, notes);
                status.mode = Mode::Off;
                return Ok(Telemetry { active: AtomicBool::new(false), meta: self.meta, status, inner: None });
            }
        };
        // The schema's own variable first (the product's documented one), then ours.
        let id_vars = self.meta.anonymous_id_env.into_iter().chain([r.names.anonymous_id.as_str()]);
        if let Some((var, id)) = id_vars.filter_map(|v| Some((v, self.env.get(v).filter(|x| !x.is_empty())?))).next() {
            if state::valid_uuid(&id) {
                anonymous_id = id.to_lowercase();
            } else {
                notes.push(format!("{var} is not a UUID; ignored"));
            }
        }
        if show_notice {
            output.write(&self.notice_text());
        }

        let mut unknown = Vec::new();
        let context = crate::context::build(self.meta.context, &self.app_version, &self.env, &mut unknown);
        if !unknown.is_empty() {
            notes.push(format!("context keys the runtime cannot fill are left out: {}", unknown.join(", ")));
        }
        let session_id = uuid::Uuid::new_v4().to_string();
        let template = Template::new(&context, &anonymous_id, &session_id, self.meta.name, &self.app_version);

        let (sink, spool_dir): (SinkPlan, Option<Spool>) = match (r.mode, r.debug, url) {
            (Mode::LogOnly, ..) => (SinkPlan::Ready(Sink::LogOnly(output.clone(), self.meta.name.into())), None),
            (_, true, _) => (SinkPlan::Ready(Sink::Debug(output.clone())), None),
            (_, false, _) if self.memory.is_some() => {
                (SinkPlan::Ready(Sink::Memory(self.memory.clone().unwrap_or_default())), None)
            }
            #[cfg(not(feature = "http"))]
            (_, false, Some(never)) => match never {},
            #[cfg(feature = "http")]
            (_, false, Some(url)) => {
                let spool = r.dir.as_ref().map(|d| Spool {
                    dir: d.join(SPOOL_DIR),
                    max_bytes: self.spool_max_bytes,
                    max_files: self.spool_max_files,
                });
                (SinkPlan::Http(url), spool)
            }
            (_, false, None) => match &r.dir {
                Some(d) => {
                    (SinkPlan::Ready(Sink::File { path: d.join(EVENTS_FILE), max_bytes: self.file_max_bytes }), None)
                }
                None => (SinkPlan::Ready(Sink::File { path: PathBuf::new(), max_bytes: 0 }), None),
            },
        };

        let mut status = self.status_from(&r, Some(anonymous_id), notes);
        if let Some(d) = &diag {
            for n in &status.notes {
                d.write(&format!("[{} telemetry] {n}\n", self.meta.name));
            }
        }
        let shared = Shared::new(self.tuning.clone());
        let worker = {
            let shared = shared.clone();
            let spool_in = spool_dir.clone();
            let diag = diag.clone();
            let app = self.meta.name.to_string();
            #[cfg(feature = "http")]
            let (format, api_key, timeout) = (self.format, self.api_key.clone(), self.request_timeout);
            std::thread::Builder::new().name(format!("{app}-telemetry")).spawn(move || {
                #[cfg_attr(not(feature = "http"), allow(clippy::infallible_destructuring_match))]
                let sink = match sink {
                    SinkPlan::Ready(s) => s,
                    #[cfg(feature = "http")]
                    SinkPlan::Http(url) => match crate::http::Http::new(url, format, api_key, timeout) {
                        Ok(h) => Sink::Http(Box::new(h)),
                        Err(e) => {
                            if let Some(d) = &diag {
                                d.write(&format!("[{app} telemetry] cannot start HTTP client: {e}\n"));
                            }
                            return run_worker_gone(&shared);
                        }
                    },
                };
                let spool_in = if sink.is_http() { spool_in } else { None };
                run_worker(shared, sink, spool_in, diag, app)
            })
        };
        let worker = match worker {
            Ok(h) => h,
            Err(e) => {
                status.mode = Mode::Off;
                status.notes.push(format!("cannot start the delivery thread ({e}); telemetry is off"));
                return Ok(Telemetry { active: AtomicBool::new(false), meta: self.meta, status, inner: None });
            }
        };
        let hasher = Hasher::new(&key);
        Ok(Telemetry {
            active: AtomicBool::new(true),
            meta: self.meta,
            status,
            inner: Some(Inner {
                shared,
                size_hint: AtomicUsize::new(template.size_hint()),
                template,
                hasher,
                worker: Mutex::new(Some(worker)),
                leftovers: Leftovers { spool: spool_dir, diag, app: self.meta.name.into() },
                deadline: self.shutdown_deadline,
            }),
        })
    }
}

fn run_worker_gone(shared: &Shared) {
    shared.mark_worker_gone();
}

enum SinkPlan {
    Ready(Sink),
    #[cfg(feature = "http")]
    Http(reqwest::Url),
}

/// The anonymous id and key to use, and whether to show the notice now.
/// When on, creates and persists them (and the notice flag); falls back to
/// process-only values when state is corrupt or cannot be written.
fn identity(b: &Builder, r: &Resolved, loaded: Loaded, notes: &mut Vec<String>) -> Option<(String, [u8; 32], bool)> {
    let fresh_id = || uuid::Uuid::new_v4().to_string();
    let persist = r.mode == Mode::On;
    let first_run = matches!(loaded, Loaded::Missing);
    let mut st = match loaded {
        Loaded::Ok(s) => s,
        Loaded::Missing => StateData { version: 1, ..StateData::default() },
        Loaded::Corrupt(why) => {
            notes.push(format!(
                "{why}; using a process-only id and key (`telemetry enable` or `telemetry disable` rewrites it)"
            ));
            let key = state::parse_key(&state::new_key_hex()?)?;
            return Some((fresh_id(), key, persist && b.notice));
        }
    };
    let mut changed = false;
    if !st.anonymous_id.as_deref().is_some_and(state::valid_uuid) {
        st.anonymous_id = Some(fresh_id());
        changed = true;
    }
    let key = match st.key.as_deref().and_then(state::parse_key) {
        Some(k) => k,
        None => {
            let hex = state::new_key_hex()?;
            let k = state::parse_key(&hex)?;
            st.key = Some(hex);
            changed = true;
            k
        }
    };
    let show_notice = persist && b.notice && !st.notice_shown;
    if show_notice {
        st.notice_shown = true;
        changed = true;
    }
    if persist && changed {
        let written = match &r.dir {
            // A first run creates the file only if still absent: when another
            // process starting at the same time won, use its identity.
            Some(dir) if first_run => match state::create(dir, &st) {
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match state::read(dir) {
                    won @ Loaded::Ok(_) => return identity(b, r, won, notes),
                    _ => state::write(dir, &st),
                },
                other => other,
            },
            Some(dir) => state::write(dir, &st),
            None => Err(io::Error::other("no config directory")),
        };
        let written = written.map_err(|e| match &r.dir {
            Some(dir) => format!("cannot save state in {}: {e}", dir.display()),
            None => e.to_string(),
        });
        if let Err(why) = written {
            notes.push(format!("{why}; using a process-only id and key"));
        }
    }
    let id = st.anonymous_id.unwrap_or_else(fresh_id);
    Some((id, key, show_notice))
}

/// Random bytes for message ids, fetched from the OS 256 ids at a time: one
/// `getrandom` call per event cost a syscall (about 250 ns, a third of `record`).
struct IdPool {
    buf: [u8; 4096],
    pos: usize,
}

thread_local! {
    /// One pool per recording thread: `record()` takes no lock for its id
    /// (it used to lock a pool shared by all threads on every call).
    static IDS: std::cell::RefCell<IdPool> = const { std::cell::RefCell::new(IdPool::new()) };
}

/// A fresh message id from this thread's pool; `None` if there is no randomness
/// (or the thread is being torn down).
fn next_message_id() -> Option<uuid::Uuid> {
    IDS.try_with(|p| p.try_borrow_mut().ok()?.next()).ok().flatten()
}

impl IdPool {
    const fn new() -> Self {
        IdPool { buf: [0; 4096], pos: 4096 }
    }

    /// A random (v4) UUID; `None` if the OS has no randomness to give.
    fn next(&mut self) -> Option<uuid::Uuid> {
        if self.pos + 16 > self.buf.len() {
            getrandom::fill(&mut self.buf).ok()?;
            self.pos = 0;
        }
        let mut b = [0u8; 16];
        b.copy_from_slice(&self.buf[self.pos..self.pos + 16]);
        // Used once: never hand out the same bytes twice.
        self.buf[self.pos..self.pos + 16].fill(0);
        self.pos += 16;
        Some(uuid::Builder::from_random_bytes(b).into_uuid())
    }
}

struct Inner {
    shared: Arc<Shared>,
    template: Template,
    /// The largest envelope written so far: the capacity of the next buffer.
    size_hint: AtomicUsize,
    hasher: Hasher,
    worker: Mutex<Option<JoinHandle<()>>>,
    leftovers: Leftovers,
    deadline: Duration,
}

/// The telemetry handle: build one per process with [`Telemetry::builder`].
///
/// `record` never blocks on I/O and never panics; when telemetry is off it
/// costs one relaxed atomic load. Dropping the handle flushes within the
/// shutdown deadline and spools the rest. It is `Send + Sync`: share it by
/// reference or `Arc`. A handle kept in a `static` is never dropped: call
/// [`Telemetry::flush`] before the process exits (nothing is spooled then),
/// or better, own it in `main` so that it drops.
pub struct Telemetry {
    active: AtomicBool,
    meta: &'static AppMeta,
    status: Status,
    inner: Option<Inner>,
}

impl fmt::Debug for Telemetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Telemetry").field("status", &self.status).field("stats", &self.stats()).finish()
    }
}

impl Telemetry {
    /// Starts configuring the handle for an app.
    pub fn builder(meta: &'static AppMeta) -> Builder {
        Builder::new(meta)
    }

    /// Records one event: serializes it on this thread and queues it.
    #[inline]
    pub fn record<E: TelemetryEvent + ?Sized>(&self, event: &E) {
        if !self.active.load(Relaxed) {
            return;
        }
        self.record_dyn(E::META, &mut |w| event.write_properties(w));
    }

    #[inline(never)]
    fn record_dyn(&self, meta: &'static EventMeta, write: &mut dyn FnMut(&mut PropertyWriter<'_>)) {
        let Some(inner) = &self.inner else { return };
        let counters = &inner.shared.counters;
        counters.recorded.fetch_add(1, Relaxed);
        if meta.app != self.meta.name {
            counters.dropped.fetch_add(1, Relaxed);
            if let Some(d) = &inner.leftovers.diag {
                d.write(&format!(
                    "[{} telemetry] dropped event {:?} of another app ({:?})\n",
                    self.meta.name, meta.name, meta.app
                ));
            }
            return;
        }
        let built = catch_unwind(AssertUnwindSafe(|| {
            let id = next_message_id()?;
            // Sized to the largest envelope so far: a fixed guess was too small
            // for events with hashed fields and cost a realloc per event.
            let mut buf = Vec::with_capacity(inner.size_hint.load(Relaxed));
            inner.template.write(&mut buf, meta.name, &inner.hasher, id, SystemTime::now(), write);
            inner.size_hint.fetch_max(buf.len(), Relaxed);
            String::from_utf8(buf).ok()
        }));
        match built {
            Ok(Some(json)) => inner.shared.push(json),
            _ => {
                counters.dropped.fetch_add(1, Relaxed);
            }
        }
    }

    /// Whether events are being recorded.
    pub fn is_enabled(&self) -> bool {
        self.active.load(Relaxed)
    }

    /// Whether telemetry is on, why, and where state lives.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.inner.as_ref().map(|i| i.shared.counters.snapshot()).unwrap_or_default()
    }

    /// Events and bytes waiting in the queue now, for monitoring: never more
    /// than [`Builder::queue_capacity`] (the batch being sent is not counted).
    pub fn queued(&self) -> (usize, usize) {
        self.inner.as_ref().map(|i| i.shared.queued()).unwrap_or_default()
    }

    /// Sends everything recorded so far, waiting at most `timeout`. Returns
    /// whether all of it was settled (sent or dropped). Nothing is spooled.
    pub fn flush(&self, timeout: Duration) -> bool {
        match &self.inner {
            Some(i) => i.shared.flush(timeout),
            None => true,
        }
    }

    /// Stops recording now, flushes within the shutdown deadline, spools
    /// the rest, and returns the final counters. Dropping does the same.
    pub fn shutdown(mut self) -> Stats {
        self.close();
        self.stats()
    }

    fn close(&mut self) {
        self.active.store(false, Relaxed);
        let Some(inner) = &self.inner else { return };
        let deadline = Instant::now() + inner.deadline;
        let gone = inner.shared.shutdown(deadline, &inner.leftovers);
        let handle = inner.worker.lock().ok().and_then(|mut w| w.take());
        if gone && let Some(h) = handle {
            let _ = h.join();
        }
        // Otherwise the worker is stuck in a request: leave it detached.
    }
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        self.close();
    }
}
