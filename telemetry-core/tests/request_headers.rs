//! The bytes of a request besides its body: exactly these headers, with
//! these values (issue 24: bytes on the wire). A header the HTTP client adds
//! on its own (`Accept`, `Accept-Encoding`, `Connection`, a `User-Agent`:
//! the body names the library where backends keep it) would reach every
//! collector with every batch.
#![cfg(feature = "http")]

mod common;

use std::time::Duration;

use common::*;
use telemetry_core::{Compression, EnvSource, Telemetry, WireFormat};
use telemetry_testkit::{Collector, temp_dir};

/// The headers of the one request `format` sends for one event, names
/// lowercased and sorted, with the host and body length on the wire as the collector saw them.
fn headers_sent(format: WireFormat, compression: Compression) -> (Vec<(String, String)>, String, usize) {
    let dir = temp_dir("headers");
    let c = Collector::ok();
    let t = Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(&dir)
        .notice(false)
        .endpoint(c.url(), format)
        .api_key("wk")
        .compression(compression)
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .build()
        .unwrap();
    t.record(&run(1));
    assert_eq!(t.shutdown().sent, 1, "{format:?}");
    let reqs = c.requests();
    assert_eq!(reqs.len(), 1, "{format:?}");
    let mut headers: Vec<(String, String)> =
        reqs[0].headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect();
    headers.sort();
    let host = c.url().strip_prefix("http://").unwrap().to_string();
    let _ = std::fs::remove_dir_all(&dir);
    (headers, host, reqs[0].wire_len)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn only_the_headers_the_format_needs_are_sent() {
    for format in [WireFormat::Native, WireFormat::PostHog, WireFormat::Otlp, WireFormat::OtlpProtobuf] {
        let (headers, host, len) = headers_sent(format, Compression::None);
        let len = len.to_string();
        let want = [("content-length", len.as_str()), ("content-type", format.content_type()), ("host", &host)];
        assert_eq!(headers, pairs(&want), "{format:?}");
    }
    // Segment: the write key as Basic auth's user, an empty password: base64("wk:").
    let (headers, host, len) = headers_sent(WireFormat::Segment, Compression::Gzip);
    let len = len.to_string();
    let want = [
        ("authorization", "Basic d2s6"),
        ("content-encoding", "gzip"),
        ("content-length", len.as_str()),
        ("content-type", WireFormat::Segment.content_type()),
        ("host", &host),
    ];
    assert_eq!(headers, pairs(&want));
}
