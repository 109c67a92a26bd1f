//! The endpoint policy: events travel encrypted, or not off this machine.

use crate::error::BuildError;
use crate::format::WireFormat;

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
