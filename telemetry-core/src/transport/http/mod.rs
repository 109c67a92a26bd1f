//! The HTTP transport (cargo feature `http`, on by default): ureq, a
//! synchronous HTTP/1.1 client with rustls, on the worker thread only (no
//! async runtime and its thread: see ARCHITECTURE.md). Its children are
//! the endpoint policy and the request bodies of each wire format.

mod body;
mod client;
#[cfg(test)]
mod corpus;
mod endpoint;
mod gzip;
#[cfg(test)]
mod official;
mod ordered;
mod otlp;
mod otlp_metrics;
mod otlp_proto;
mod plan;
mod response;
mod semconv;
mod streamed_value;

use std::time::{Duration, SystemTime};

pub use endpoint::{check_endpoint, check_proxy};
pub(crate) use plan::{Endpoint, checked, open};

use super::{Outcome, Pace};
use crate::envelope::Event;
use crate::format::{Compression, WireFormat};

/// How the library names itself in wire formats that carry it.
const LIB: &str = "telemetry-core";
/// Its version, beside [`LIB`].
const LIB_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The key under which PostHog, Segment and OTLP bodies carry the schema's
/// `schema_version` (the native envelope's `schema_version`; the app is each
/// format's own app name: `$app_name`, `context.app.name`, `service.name`).
const SCHEMA_VERSION: &str = "schema.version";

/// Writes `items` separated by commas (the inside of a JSON array).
fn push_items<T>(b: &mut Vec<u8>, items: impl Iterator<Item = T>, mut write: impl FnMut(&mut Vec<u8>, T)) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            b.push(b',');
        }
        write(b, item);
    }
}

/// An HTTP endpoint.
pub(crate) struct Http {
    pub agent: ureq::Agent,
    pub url: url::Url,
    pub format: WireFormat,
    pub api_key: Option<String>,
    pub compression: Compression,
    /// Where an OTLP endpoint takes a period's metrics (`endpoint::metrics_url`).
    pub metrics_url: Option<url::Url>,
}

impl Http {
    pub(crate) fn new(
        url: url::Url,
        format: WireFormat,
        api_key: Option<String>,
        timeout: Duration,
        proxy: Option<url::Url>,
    ) -> Result<Self, String> {
        // `Proxy::new` reads no variable (not even `NO_PROXY`): only the
        // app's own proxy, checked by the endpoint policy, is used.
        let proxy = proxy.map(|p| ureq::Proxy::new(p.as_str()).map_err(|e| e.to_string())).transpose()?;
        let agent = client::agent(timeout, proxy);
        let metrics_url = endpoint::metrics_url(&url, format);
        Ok(Http { agent, url, format, api_key, compression: Compression::None, metrics_url })
    }

    /// POSTs `events`. With an OTLP endpoint, a period's `metrics` events go
    /// to `/v1/metrics` as metrics, after the batch's other events went to
    /// `/v1/logs`: a retry after the logs were taken may send them again
    /// (deduplicated by session and time, or `log.record.uid`), never a period's counts twice.
    pub(crate) fn send(&self, events: &[Event], pace: Pace) -> Outcome {
        let is_period = |e: &Event| otlp_metrics::period(e).is_some();
        if let Some(url) = &self.metrics_url
            && events.iter().any(is_period)
        {
            let (metrics, logs): (Vec<Event>, Vec<Event>) = events.iter().cloned().partition(is_period);
            if !logs.is_empty() {
                let out = self.send_body(&self.url, body::body(self.format, &logs, None, SystemTime::now()), pace);
                if out != Outcome::Delivered {
                    return out;
                }
            }
            let mut payload = Vec::new();
            match self.format {
                WireFormat::OtlpProtobuf => otlp_proto::metrics_body(&mut payload, &metrics),
                _ => otlp_metrics::body(&mut payload, &metrics),
            }
            return self.send_body(url, payload, pace);
        }
        let payload = body::body(self.format, events, self.api_key.as_deref(), SystemTime::now());
        self.send_body(&self.url, payload, pace)
    }

    fn send_body(&self, url: &url::Url, payload: Vec<u8>, pace: Pace) -> Outcome {
        let mut req = self.agent.post(url.as_str()).header("content-type", self.format.content_type());
        let gzipped =
            self.compression.gzips(self.format, payload.len()).then(|| gzip::encode(&payload, pace)).flatten();
        if gzipped.is_some() {
            req = req.header("content-encoding", "gzip");
        }
        if self.format == WireFormat::Segment
            && let Some(key) = &self.api_key
        {
            // Basic auth: the write key as the user, an empty password.
            use base64::Engine;
            let token = base64::prelude::BASE64_STANDARD.encode(format!("{key}:"));
            req = req.header("authorization", format!("Basic {token}"));
        }
        match req.send(gzipped.unwrap_or(payload)) {
            Err(e) => Outcome::Retry { after: None, why: e.to_string() },
            Ok(resp) => response::outcome(self.format, resp),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An https endpoint builds its TLS configuration (ring, the webpki
    /// roots) at the first connection: a peer that is not TLS is a network
    /// error, retried, not a panic on the worker.
    #[test]
    fn an_https_peer_that_is_not_tls_is_retried() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for s in listener.incoming().flatten() {
                drop(s);
            }
        });
        let url = url::Url::parse(&format!("https://127.0.0.1:{port}/ingest")).unwrap();
        let http = Http::new(url.clone(), WireFormat::Native, None, Duration::from_secs(5), None).unwrap();
        match http.send_body(&url, b"{}".to_vec(), Pace::CaughtUp) {
            Outcome::Retry { after: None, why } => assert!(!why.is_empty()),
            other => panic!("{other:?}"),
        }
    }
}
