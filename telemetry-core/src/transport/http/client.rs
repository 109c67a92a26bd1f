//! The HTTP client the worker opens: ureq's agent, configured once, and
//! its name resolution, where an IP address is used as it is.
//!
//! ureq's own resolver runs each lookup on a new thread when a timeout is
//! set (ours always is), even for `127.0.0.1`, which needs no lookup: a
//! thread's start on the way to exit (`cargo bench -p telemetry-core
//! --bench exit`, BENCHMARKS.md). A host name still goes to ureq's resolver,
//! its timeout kept.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use ureq::config::{AutoHeaderValue, Config};
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// The largest answer head read (status line and headers).
const INPUT_BUFFER: usize = 16 * 1024;

/// The agent: `proxy` or none (never one from the environment), `timeout`
/// for a whole request and for its connection, no redirect followed.
pub(super) fn agent(timeout: Duration, proxy: Option<ureq::Proxy>) -> ureq::Agent {
    // `proxy` replaces ureq's default, which takes one from ALL_PROXY,
    // HTTPS_PROXY or HTTP_PROXY: the endpoint policy never saw it, and a
    // plain-http proxy there would carry the payload (and an API key)
    // unencrypted. The TLS configuration (webpki roots) is built at the
    // first https connection: a plain-http endpoint (loopback only, by the
    // endpoint policy) without a proxy never builds a root store.
    let config = ureq::Agent::config_builder()
        .proxy(proxy)
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout))
        .max_redirects(0)
        // A 4xx or 5xx is an answer to classify (`response::outcome`), not an error.
        .http_status_as_error(false)
        // No `User-Agent`: every body already names the library and its
        // release where backends keep it (PostHog's `$lib`/`$lib_version`,
        // Segment's `context.library`, the OTLP scope), and 34 bytes on
        // every request were what kept a CLI's one event from being the
        // smallest on its wire (BENCHMARKS.md, "Bytes per event").
        .user_agent(AutoHeaderValue::None)
        // No `Accept: */*` on every request: whatever its type, an answer is read the same way.
        .accept(AutoHeaderValue::None)
        // ureq's buffers default to 128 KiB each, filled with zeros when a
        // connection opens (each TLS layer has its own pair): 64 pages
        // faulted in on the way to exit for a request of about 1 KiB. An
        // answer's head (ours are read, `response.rs`, and a collector's run
        // to about a kilobyte) fits in 16 KiB, and a 500-event batch leaves in
        // 32 KiB writes.
        .input_buffer_size(INPUT_BUFFER)
        .max_response_header_size(INPUT_BUFFER)
        .output_buffer_size(32 * 1024)
        .build();
    ureq::Agent::with_parts(config, DefaultConnector::new(), LiteralFirst::default())
}
/// [`DefaultResolver`], but an IP address is not looked up.
#[derive(Debug, Default)]
pub(super) struct LiteralFirst(DefaultResolver);

impl Resolver for LiteralFirst {
    fn resolve(&self, uri: &Uri, config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match literal(uri) {
            Some(addr) => {
                let mut addrs = self.empty();
                addrs.push(addr);
                Ok(addrs)
            }
            None => self.0.resolve(uri, config, timeout),
        }
    }
}

/// The address of a URI whose host is an IP address (`[::1]` bracketed),
/// with its port or its scheme's.
fn literal(uri: &Uri) -> Option<SocketAddr> {
    let host = uri.host()?;
    let ip: IpAddr = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).parse().ok()?;
    let port = uri.port_u16().or_else(|| match uri.scheme_str()? {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    })?;
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(uri: &str) -> Option<String> {
        literal(&uri.parse().unwrap()).map(|a| a.to_string())
    }

    #[test]
    fn addresses_are_taken_as_they_are_and_names_are_looked_up() {
        assert_eq!(lit("http://127.0.0.1:4318/v1/logs").as_deref(), Some("127.0.0.1:4318"));
        assert_eq!(lit("http://[::1]:8080/").as_deref(), Some("[::1]:8080"));
        assert_eq!(lit("https://10.0.0.1/ingest").as_deref(), Some("10.0.0.1:443"));
        assert_eq!(lit("http://127.0.0.1/").as_deref(), Some("127.0.0.1:80"));
        assert_eq!(lit("http://localhost:4318/"), None);
        assert_eq!(lit("https://eu.i.posthog.com/batch/"), None);
    }
}
