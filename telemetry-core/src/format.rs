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
    /// API key, if given, is the write key (HTTP basic auth user).
    Segment,
    /// PostHog's `POST /batch/`; the API key (project key) is required.
    PostHog,
    /// OpenTelemetry logs over OTLP/HTTP JSON, `POST /v1/logs`: one log
    /// record per event, body and `eventName` = event name, attributes = properties.
    Otlp,
}

impl WireFormat {
    /// The path appended to an endpoint URL that has none (`https://host` or `https://host/`).
    pub fn default_path(self) -> Option<&'static str> {
        match self {
            WireFormat::Native => None,
            WireFormat::Segment => Some("/v1/batch"),
            WireFormat::PostHog => Some("/batch/"),
            WireFormat::Otlp => Some("/v1/logs"),
        }
    }

    /// Parses `native`, `segment`, `posthog` or `otlp`.
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
        }
    }
}

/// How the library names itself in wire formats that carry it.
#[cfg(feature = "http")]
pub(crate) const LIB: &str = "telemetry-core";
/// Its version, beside [`LIB`].
#[cfg(feature = "http")]
pub(crate) const LIB_VERSION: &str = env!("CARGO_PKG_VERSION");
