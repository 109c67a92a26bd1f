//! What [`crate::Builder::build`] refuses: a misconfiguration shows up on
//! every machine, whether or not telemetry is on there.

use std::fmt;

use crate::format::WireFormat;

/// Why [`crate::Builder::build`] refused a configuration.
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
    /// The wire format needs an API key ([`crate::Builder::api_key`]).
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
