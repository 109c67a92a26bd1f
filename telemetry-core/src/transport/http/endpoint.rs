//! The endpoint policy: events travel encrypted, or not off this machine.
//! It covers the proxy too: a proxy sees every byte of a plain-http request.

use crate::error::BuildError;
use crate::format::WireFormat;

/// Checks an endpoint: `https://`, or `http://` to loopback only. Returns the
/// URL events are posted to: the format's default path appended when the URL
/// has none. [`crate::Builder::build`] makes the same check.
///
/// ```
/// use telemetry_core::{WireFormat, check_endpoint};
/// assert_eq!(
///     check_endpoint("http://127.0.0.1:4318", WireFormat::Otlp).unwrap(),
///     "http://127.0.0.1:4318/v1/logs"
/// );
/// assert!(check_endpoint("https://collector.example.org/ingest", WireFormat::Native).is_ok());
/// assert!(check_endpoint("http://collector.example.org/ingest", WireFormat::Native).is_err());
/// ```
pub fn check_endpoint(url: &str, format: WireFormat) -> Result<String, BuildError> {
    endpoint_url(url, format).map(String::from)
}

/// [`check_endpoint`], with the URL as the client takes it.
pub(super) fn endpoint_url(url: &str, format: WireFormat) -> Result<url::Url, BuildError> {
    let mut u = match check_transport_url(url) {
        Ok(u) => u,
        Err(Refused::Invalid(reason)) => return Err(BuildError::InvalidEndpoint { url: url.to_string(), reason }),
        Err(Refused::Insecure) => return Err(BuildError::InsecureEndpoint { url: url.to_string() }),
    };
    if let Some(path) = format.default_path()
        && (u.path() == "/" || u.path().is_empty())
    {
        u.set_path(path);
    }
    Ok(u)
}

/// Where an OTLP endpoint takes metrics: the logs URL with its `/v1/logs`
/// ending as `/v1/metrics` (the OTLP/HTTP paths, also under a prefix).
/// `None` for another path (a period's metrics then go with the events, as
/// a log record named `metrics`) and for the other formats.
pub(super) fn metrics_url(logs: &url::Url, format: WireFormat) -> Option<url::Url> {
    if !matches!(format, WireFormat::Otlp | WireFormat::OtlpProtobuf) {
        return None;
    }
    let prefix = logs.path().strip_suffix("/v1/logs")?;
    let mut u = logs.clone();
    u.set_path(&format!("{prefix}/v1/metrics"));
    Some(u)
}

/// Checks a proxy against the same policy as the endpoint: `https://`, or
/// `http://` to loopback only. The proxy is the only one the runtime uses:
/// `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY` are never read. Returns the
/// URL as the runtime reads it.
///
/// ```
/// use telemetry_core::check_proxy;
/// assert_eq!(check_proxy("http://127.0.0.1:3128").unwrap(), "http://127.0.0.1:3128/");
/// assert!(check_proxy("https://proxy.example.org:3129").is_ok());
/// assert!(check_proxy("http://proxy.example.org:3128").is_err());
/// ```
pub fn check_proxy(url: &str) -> Result<String, BuildError> {
    proxy_url(url).map(String::from)
}

/// [`check_proxy`], with the URL as the client takes it.
pub(super) fn proxy_url(url: &str) -> Result<url::Url, BuildError> {
    check_transport_url(url).map_err(|e| match e {
        Refused::Invalid(reason) => BuildError::InvalidProxy { url: url.to_string(), reason },
        Refused::Insecure => BuildError::InsecureProxy { url: url.to_string() },
    })
}

/// Why a URL may not carry events.
enum Refused {
    /// Not a URL, no host, or a scheme other than http(s).
    Invalid(String),
    /// Plain http to a host that is not loopback.
    Insecure,
}

fn check_transport_url(url: &str) -> Result<url::Url, Refused> {
    let u = url::Url::parse(url).map_err(|e| Refused::Invalid(e.to_string()))?;
    match u.scheme() {
        "https" => {}
        "http" => {
            let host = u.host_str().unwrap_or_default();
            let ip = host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>();
            let loopback = host.eq_ignore_ascii_case("localhost") || ip.is_ok_and(|ip| ip.is_loopback());
            if !loopback {
                return Err(Refused::Insecure);
            }
        }
        other => return Err(Refused::Invalid(format!("scheme {other:?} is not https"))),
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(Refused::Invalid("no host".into()));
    }
    Ok(u)
}

#[cfg(test)]
mod metrics_url_tests {
    use super::*;

    #[test]
    fn metrics_go_beside_the_logs() {
        let cases = [
            ("http://127.0.0.1:4318", WireFormat::Otlp, Some("http://127.0.0.1:4318/v1/metrics")),
            (
                "https://otel.example.org/otlp/v1/logs",
                WireFormat::OtlpProtobuf,
                Some("https://otel.example.org/otlp/v1/metrics"),
            ),
            ("https://otel.example.org/ingest", WireFormat::Otlp, None),
            ("https://eu.i.posthog.com", WireFormat::PostHog, None),
        ];
        for (url, format, want) in cases {
            let logs = endpoint_url(url, format).unwrap();
            assert_eq!(metrics_url(&logs, format).as_ref().map(url::Url::as_str), want, "{url}");
        }
    }
}
