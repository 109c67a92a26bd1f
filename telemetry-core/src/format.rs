//! The wire formats an HTTP endpoint can speak, by name. Available without
//! the `http` feature because [`crate::Builder::endpoint`] takes one; the
//! bodies themselves are written by `transport::http::body`.

/// The request body an HTTP endpoint expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WireFormat {
    /// `{"batch":[envelope,...],"sent_at":"<rfc3339>"}`: envelopes exactly as
    /// the generated `<app>.events.schema.json` describes them. POSTed to the
    /// endpoint URL as given.
    #[default]
    Native,
    /// Segment's (and RudderStack's) `POST /v1/batch` of `track` calls; the
    /// API key (the write key, sent as the HTTP basic auth user) is required.
    Segment,
    /// PostHog's `POST /batch/`; the API key (project key) is required.
    PostHog,
    /// OpenTelemetry logs over OTLP/HTTP JSON, `POST /v1/logs`: one log
    /// record per event, body and `eventName` = event name, attributes = properties.
    /// A period's metrics ([`crate::Telemetry::metrics`]) go to `/v1/metrics`
    /// (the endpoint's `/v1/logs` path with `/v1/metrics` in its place) as
    /// OpenTelemetry metrics: counters as delta `Sum`s, distributions as
    /// delta `Histogram`s with the declared bounds, quantities and booleans
    /// as `Gauge`s (docs/schema-reference.md, "Metrics on the wire").
    Otlp,
    /// The same OTLP logs request as [`WireFormat::Otlp`], in protobuf
    /// (`application/x-protobuf`, OTLP/HTTP's default encoding, smaller and
    /// cheaper to write than JSON), `POST /v1/logs`; metrics as with
    /// [`WireFormat::Otlp`], in protobuf, `POST /v1/metrics`.
    OtlpProtobuf,
}

impl WireFormat {
    /// The path appended to an endpoint URL that has none (`https://host` or `https://host/`).
    pub fn default_path(self) -> Option<&'static str> {
        match self {
            WireFormat::Native => None,
            WireFormat::Segment => Some("/v1/batch"),
            WireFormat::PostHog => Some("/batch/"),
            WireFormat::Otlp | WireFormat::OtlpProtobuf => Some("/v1/logs"),
        }
    }

    /// Parses `native`, `segment`, `posthog`, `otlp` or `otlp-protobuf`.
    ///
    /// ```
    /// use telemetry_core::WireFormat;
    /// assert_eq!(WireFormat::parse("otlp"), Some(WireFormat::Otlp));
    /// assert_eq!(WireFormat::parse("carrier-pigeon"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "native" => WireFormat::Native,
            "segment" => WireFormat::Segment,
            "posthog" => WireFormat::PostHog,
            "otlp" => WireFormat::Otlp,
            "otlp-protobuf" => WireFormat::OtlpProtobuf,
            _ => return None,
        })
    }

    /// The name [`WireFormat::parse`] accepts.
    pub fn name(self) -> &'static str {
        match self {
            WireFormat::Native => "native",
            WireFormat::Segment => "segment",
            WireFormat::PostHog => "posthog",
            WireFormat::Otlp => "otlp",
            WireFormat::OtlpProtobuf => "otlp-protobuf",
        }
    }

    /// Whether [`crate::Builder::api_key`] is required: PostHog's project
    /// key, Segment's write key (both collectors refuse a batch without it).
    ///
    /// ```
    /// use telemetry_core::WireFormat;
    /// assert!(WireFormat::PostHog.needs_api_key());
    /// assert!(WireFormat::Segment.needs_api_key());
    /// assert!(!WireFormat::Otlp.needs_api_key());
    /// ```
    pub const fn needs_api_key(self) -> bool {
        matches!(self, WireFormat::PostHog | WireFormat::Segment)
    }

    /// The request body's `content-type`.
    ///
    /// ```
    /// use telemetry_core::WireFormat;
    /// assert_eq!(WireFormat::OtlpProtobuf.content_type(), "application/x-protobuf");
    /// assert_eq!(WireFormat::Otlp.content_type(), "application/json");
    /// ```
    pub fn content_type(self) -> &'static str {
        match self {
            WireFormat::OtlpProtobuf => "application/x-protobuf",
            _ => "application/json",
        }
    }
}

/// How a request body is encoded on the wire ([`crate::Builder::compression`]);
/// the default is [`Compression::Auto`].
///
/// ```
/// use telemetry_core::Compression;
/// assert_eq!(Compression::default(), Compression::Auto);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// The body as written (`Content-Encoding` absent), for a collector
    /// that does not decode gzip.
    None,
    /// `Content-Encoding: gzip`, compressed on the worker thread, never in
    /// `record()`. OTLP/HTTP collectors must accept it (the OTLP
    /// specification: "The client MAY gzip the content and in that case MUST
    /// include \"Content-Encoding: gzip\" request header"); PostHog's
    /// `/batch/` and Segment's `/v1/batch` accept it (their official Python
    /// clients send it with `gzip=True`). A [`WireFormat::Native`] collector
    /// must decode it.
    Gzip,
    /// Gzip where it pays: a body over [`Compression::AUTO_MIN_BYTES`] in a
    /// wire format whose backends accept gzip (OTLP/HTTP, PostHog, Segment:
    /// see [`Compression::Gzip`]); a smaller body, and every
    /// [`WireFormat::Native`] body (a product's own collector need not
    /// decode gzip), as written. A CLI's few events leave without
    /// compression on the exit path; a batching app's batches are sent
    /// 15–24× smaller (BENCHMARKS.md, "The default `Compression`"). The
    /// default.
    ///
    /// ```
    /// use telemetry_core::{Compression, WireFormat};
    /// let auto = Compression::Auto;
    /// assert!(!auto.gzips(WireFormat::PostHog, Compression::AUTO_MIN_BYTES));
    /// assert!(auto.gzips(WireFormat::PostHog, Compression::AUTO_MIN_BYTES + 1));
    /// assert!(auto.gzips(WireFormat::OtlpProtobuf, 200_000));
    /// assert!(!auto.gzips(WireFormat::Native, 200_000));
    /// ```
    #[default]
    Auto,
}

impl Compression {
    /// The largest body [`Compression::Auto`] sends as written: a CLI's
    /// run (one event is 0.6 to 1.4 KB in every wire format). Gzip's fixed
    /// cost is its compressor's tables, ~190 KB zeroed: a process that
    /// gzipped one OTLP JSON event took ~47 more page faults and 0.5 ms more
    /// CPU to exit (`perf stat`), while a body this size leaves in a new
    /// connection's first flight of segments either way.
    pub const AUTO_MIN_BYTES: usize = 4096;

    /// Whether a body of `len` bytes in `format` is sent gzipped.
    ///
    /// ```
    /// use telemetry_core::{Compression, WireFormat};
    /// assert!(!Compression::None.gzips(WireFormat::Otlp, 1 << 20));
    /// assert!(Compression::Gzip.gzips(WireFormat::Native, 10));
    /// ```
    pub fn gzips(self, format: WireFormat, len: usize) -> bool {
        match self {
            Compression::None => false,
            Compression::Gzip => true,
            Compression::Auto => format != WireFormat::Native && len > Self::AUTO_MIN_BYTES,
        }
    }
}
