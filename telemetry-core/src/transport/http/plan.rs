//! What `build()` checks and hands the worker: an endpoint and proxy that
//! passed the policy, and opening the client from them on the worker.
//! `transport/no_http.rs` has the same names for a build without HTTP.

use std::time::Duration;

use super::Http;
use super::endpoint::{endpoint_url, proxy_url};
use crate::error::BuildError;
use crate::format::{Compression, WireFormat};

/// An endpoint and the app's proxy, both passed the policy.
#[derive(Clone)]
pub(crate) struct Endpoint {
    url: url::Url,
    proxy: Option<url::Url>,
}

/// The endpoint, if one is set: `https://` or loopback (and the proxy too),
/// with the API key its format needs.
pub(crate) fn checked(
    url: Option<&str>,
    proxy: Option<&str>,
    format: WireFormat,
    has_api_key: bool,
) -> Result<Option<Endpoint>, BuildError> {
    let proxy = proxy.map(proxy_url).transpose()?;
    let Some(url) = url else { return Ok(None) };
    let url = endpoint_url(url, format)?;
    if format.needs_api_key() && !has_api_key {
        return Err(BuildError::MissingApiKey { format });
    }
    Ok(Some(Endpoint { url, proxy }))
}

/// The client for `endpoint`, built on the worker thread.
pub(crate) fn open(
    endpoint: Endpoint,
    format: WireFormat,
    api_key: Option<String>,
    timeout: Duration,
    compression: Compression,
) -> Result<Http, String> {
    Http::new(endpoint.url, format, api_key, timeout, endpoint.proxy).map(|h| Http { compression, ..h })
}
