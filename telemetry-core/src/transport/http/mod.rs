//! The HTTP transport (cargo feature `http`, on by default): reqwest's
//! blocking client with rustls, on the worker thread only. Its children are
//! the endpoint policy and the request bodies of each wire format.

mod body;
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

use std::time::{Duration, SystemTime};

pub use endpoint::{check_endpoint, check_proxy};
pub(crate) use plan::{Endpoint, checked, open};

use super::Outcome;
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
    pub client: reqwest::blocking::Client,
    pub url: reqwest::Url,
    pub format: WireFormat,
    pub api_key: Option<String>,
    pub compression: Compression,
    /// Where an OTLP endpoint takes a period's metrics (`endpoint::metrics_url`).
    pub metrics_url: Option<reqwest::Url>,
}

impl Http {
    pub(crate) fn new(
        url: reqwest::Url,
        format: WireFormat,
        api_key: Option<String>,
        timeout: Duration,
        proxy: Option<reqwest::Url>,
    ) -> Result<Self, String> {
        // reqwest would take a proxy from HTTP_PROXY, HTTPS_PROXY or
        // ALL_PROXY, which the endpoint policy never saw: a plain-http proxy
        // there would carry the payload (and an API key) unencrypted. Only
        // the app's own, checked proxy is used.
        let mut client = reqwest::blocking::Client::builder().no_proxy();
        // Plain http (loopback only, by the endpoint policy) and no proxy:
        // nothing is ever verified, so the root store is not built.
        if url.scheme() == "http" && proxy.is_none() {
            client = client.tls_built_in_root_certs(false);
        }
        if let Some(p) = proxy {
            client = client.proxy(reqwest::Proxy::all(p).map_err(|e| e.to_string())?);
        }
        let client = client
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("telemetry-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        let metrics_url = endpoint::metrics_url(&url, format);
        Ok(Http { client, url, format, api_key, compression: Compression::None, metrics_url })
    }

    /// POSTs `events`. With an OTLP endpoint, a period's `metrics` events go
    /// to `/v1/metrics` as metrics, after the batch's other events went to
    /// `/v1/logs`: a retry after the logs were taken may send them again
    /// (deduplicated by session and time, or `log.record.uid`), never a period's counts twice.
    pub(crate) fn send(&self, events: &[Event]) -> Outcome {
        let is_period = |e: &Event| otlp_metrics::period(e).is_some();
        if let Some(url) = &self.metrics_url
            && events.iter().any(is_period)
        {
            let (metrics, logs): (Vec<Event>, Vec<Event>) = events.iter().cloned().partition(is_period);
            if !logs.is_empty() {
                let out = self.send_body(&self.url, body::body(self.format, &logs, None, SystemTime::now()));
                if out != Outcome::Delivered {
                    return out;
                }
            }
            let mut payload = Vec::new();
            match self.format {
                WireFormat::OtlpProtobuf => otlp_proto::metrics_body(&mut payload, &metrics),
                _ => otlp_metrics::body(&mut payload, &metrics),
            }
            return self.send_body(url, payload);
        }
        let payload = body::body(self.format, events, self.api_key.as_deref(), SystemTime::now());
        self.send_body(&self.url, payload)
    }

    fn send_body(&self, url: &reqwest::Url, payload: Vec<u8>) -> Outcome {
        let mut req = self.client.post(url.clone()).header("content-type", self.format.content_type());
        let gzipped = self.compression.gzips(self.format, payload.len()).then(|| gzip::encode(&payload)).flatten();
        req = match gzipped {
            Some(z) => req.header("content-encoding", "gzip").body(z),
            None => req.body(payload),
        };
        if self.format == WireFormat::Segment
            && let Some(key) = &self.api_key
        {
            req = req.basic_auth(key, Some(""));
        }
        match req.send() {
            Err(e) => Outcome::Retry { after: None, why: e.to_string() },
            Ok(resp) => response::outcome(self.format, resp),
        }
    }
}
