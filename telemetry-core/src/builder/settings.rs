//! The tuning groups a [`Builder`](super::Builder) takes whole: when a batch
//! leaves ([`Batching`]), how much memory and disk telemetry may use
//! ([`Limits`]), how a request is retried ([`Retry`]). Each knob has one
//! setter, on its group; a group starts from its `Default` (the defaults
//! documented on each setter).

use std::time::Duration;

use crate::delivery::{Backoff, Tuning};
use crate::format::WireFormat;

/// When a batch is sent: once it holds `max_events` events or `max_bytes`
/// bytes, or its oldest event waited `max_latency`. Given to
/// [`Builder::batching`](super::Builder::batching).
///
/// The defaults follow OpenTelemetry's batch processor (it sends 512
/// events at most) and each backend's limit on a request: Segment's 500 KB
/// per batch, PostHog's 20 MB, the OpenTelemetry Collector's 4 MiB gRPC
/// message (its smallest default).
///
/// ```
/// use std::time::Duration;
/// use telemetry_core::Batching;
///
/// // A long-running service: events leave within a second while it runs.
/// let batching = Batching::default().with_max_latency(Duration::from_secs(1));
/// assert_eq!(batching, Batching::default().with_max_latency(Duration::from_millis(1000)));
/// assert_ne!(batching, Batching::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batching {
    max_events: usize,
    max_bytes: MaxBytes,
    max_latency: Duration,
}

/// A batch's byte bound: the wire format's ([`Batching::with_max_bytes`]) or the app's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MaxBytes {
    PerFormat,
    Set(usize),
}

impl Default for Batching {
    fn default() -> Self {
        Batching { max_events: 500, max_bytes: MaxBytes::PerFormat, max_latency: Duration::from_secs(2) }
    }
}

impl Batching {
    /// The most events in one batch (default 500; at least 1).
    ///
    /// ```
    /// use telemetry_core::Batching;
    /// assert_eq!(Batching::default().with_max_events(0), Batching::default().with_max_events(1));
    /// ```
    pub fn with_max_events(mut self, events: usize) -> Self {
        self.max_events = events.max(1);
        self
    }

    /// The most bytes of envelopes in one batch (at least 1). The default
    /// depends on the wire format: 256 KiB for Segment and native bodies
    /// (a Segment body is larger than its envelopes, and Segment refuses a
    /// batch over 500 KB), 1 MiB for PostHog and OTLP, whose limits (20 MB,
    /// and 4 MiB for the OpenTelemetry Collector's gRPC default) leave room
    /// for bodies larger than their envelopes. At 1 MiB a batch of 500
    /// events of ~600 bytes leaves in one request, not two, whose second
    /// head and resource (compressed from scratch) cost ~0.9 bytes per
    /// event of an OTLP protobuf batch (BENCHMARKS.md, "Each request beside
    /// the peer's, field by field").
    ///
    /// ```
    /// use telemetry_core::Batching;
    /// assert_ne!(Batching::default().with_max_bytes(64 << 10), Batching::default());
    /// ```
    pub fn with_max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = MaxBytes::Set(bytes.max(1));
        self
    }

    /// The longest an event waits in the queue before its batch is sent
    /// (default 2 s): what a long-running service sets so that events are
    /// delivered while it runs, not only at exit.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::Batching;
    /// assert_eq!(Batching::default().with_max_latency(Duration::from_secs(2)), Batching::default());
    /// ```
    pub fn with_max_latency(mut self, latency: Duration) -> Self {
        self.max_latency = latency;
        self
    }
}

/// How much memory and disk telemetry may use: the queue in memory, the
/// spool on disk, the JSON-lines file. Given to
/// [`Builder::limits`](super::Builder::limits). Beyond them events are
/// dropped, and counted in [`crate::Stats::dropped`].
///
/// ```
/// use telemetry_core::Limits;
///
/// // A tool that records bursts: a deeper queue, a smaller spool.
/// let limits = Limits::default().with_queue_events(10_000).with_queue_bytes(16 << 20).with_spool_bytes(8 << 20);
/// assert_ne!(limits, Limits::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    queue_events: usize,
    queue_bytes: usize,
    spool_bytes: u64,
    spool_files: usize,
    file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            queue_events: 1000,
            queue_bytes: 4 << 20,
            spool_bytes: 64 << 20,
            spool_files: 1000,
            file_bytes: 4 << 20,
        }
    }
}

impl Limits {
    /// How many events the queue holds (default 1000; at least 1). Raising
    /// it past 4 MiB of events needs [`Limits::with_queue_bytes`] too. With
    /// an HTTP endpoint and a state dir a full queue does not drop: it
    /// overflows into a list of the same bounds that a background thread
    /// writes to the spool, sent later in the run or by the next one.
    ///
    /// ```
    /// use telemetry_core::Limits;
    /// assert_eq!(Limits::default().with_queue_events(0), Limits::default().with_queue_events(1));
    /// ```
    pub fn with_queue_events(mut self, events: usize) -> Self {
        self.queue_events = events.max(1);
        self
    }

    /// How many bytes of envelopes the queue holds (default 4 MiB; at least 1).
    ///
    /// ```
    /// use telemetry_core::Limits;
    /// assert_eq!(Limits::default().with_queue_bytes(4 << 20), Limits::default());
    /// ```
    pub fn with_queue_bytes(mut self, bytes: usize) -> Self {
        self.queue_bytes = bytes.max(1);
        self
    }

    /// The most bytes the spool holds on disk (default 64 MiB). With an
    /// HTTP endpoint and a state dir, the spool takes what a full queue
    /// cannot hold as well as what is left at exit: 64 MiB holds a burst of
    /// about 130,000 events of 500 bytes, and is the most disk it uses.
    ///
    /// ```
    /// use telemetry_core::Limits;
    /// assert_eq!(Limits::default().with_spool_bytes(64 << 20), Limits::default());
    /// ```
    pub fn with_spool_bytes(mut self, bytes: u64) -> Self {
        self.spool_bytes = bytes;
        self
    }

    /// The most files the spool holds (default 1000).
    ///
    /// ```
    /// use telemetry_core::Limits;
    /// assert_ne!(Limits::default().with_spool_files(10), Limits::default());
    /// ```
    pub fn with_spool_files(mut self, files: usize) -> Self {
        self.spool_files = files;
        self
    }

    /// Size at which the JSON-lines file is rotated to `events.jsonl.1`
    /// (default 4 MiB): with one rotation kept, the file takes at most
    /// twice this.
    ///
    /// ```
    /// use telemetry_core::Limits;
    /// assert_ne!(Limits::default().with_file_bytes(1 << 20), Limits::default());
    /// ```
    pub fn with_file_bytes(mut self, bytes: u64) -> Self {
        self.file_bytes = bytes;
        self
    }

    pub(super) fn spool(&self) -> (u64, usize) {
        (self.spool_bytes, self.spool_files)
    }

    pub(super) fn file_bytes(&self) -> u64 {
        self.file_bytes
    }
}

/// How an HTTP request is tried: its timeout, and the backoff between
/// retries (network errors, 5xx and 429 are retried; other 4xx are
/// dropped). Given to [`Builder::retry`](super::Builder::retry). Exit
/// never waits beyond [`Builder::shutdown_deadline`](super::Builder::shutdown_deadline).
///
/// ```
/// use std::time::Duration;
/// use telemetry_core::Retry;
///
/// let retry = Retry::default().with_request_timeout(Duration::from_secs(3)).with_backoff(Duration::from_secs(1), Duration::from_secs(30));
/// assert_ne!(retry, Retry::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    request_timeout: Duration,
    backoff_base: Duration,
    backoff_max: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            request_timeout: Duration::from_secs(10),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(60),
        }
    }
}

impl Retry {
    /// Timeout of one HTTP request (default 10 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::Retry;
    /// assert_eq!(Retry::default().with_request_timeout(Duration::from_secs(10)), Retry::default());
    /// ```
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The wait before a retry: doubles from `base` up to `max` (at least
    /// `base`), with jitter (defaults 500 ms, 60 s). `Retry-After`
    /// (seconds) is honoured when the endpoint sends it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use telemetry_core::Retry;
    /// let (one, two) = (Duration::from_secs(1), Duration::from_secs(2));
    /// assert_eq!(Retry::default().with_backoff(two, one), Retry::default().with_backoff(two, two));
    /// ```
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_max = max.max(base);
        self
    }

    pub(super) fn request_timeout(&self) -> Duration {
        self.request_timeout
    }
}

/// What the delivery thread is given, from the three groups, for `format`.
pub(super) fn tuning(batching: &Batching, limits: &Limits, retry: &Retry, format: WireFormat) -> Tuning {
    let batch_bytes = match (batching.max_bytes, format) {
        (MaxBytes::Set(bytes), _) => bytes,
        (MaxBytes::PerFormat, WireFormat::Native | WireFormat::Segment) => 256 << 10,
        (MaxBytes::PerFormat, WireFormat::PostHog | WireFormat::Otlp | WireFormat::OtlpProtobuf) => 1 << 20,
    };
    Tuning {
        queue_events: limits.queue_events,
        queue_bytes: limits.queue_bytes,
        batch_events: batching.max_events,
        batch_bytes,
        batch_delay: batching.max_latency,
        backoff: Backoff { base: retry.backoff_base, max: retry.backoff_max },
    }
}
