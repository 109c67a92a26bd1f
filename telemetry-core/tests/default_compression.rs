//! The default compression (`Compression::Auto`), with no `.compression(..)`
//! call: a body over `Compression::AUTO_MIN_BYTES` in the OTLP (JSON,
//! protobuf), PostHog and Segment formats leaves gzipped with
//! `Content-Encoding: gzip` and inflates to exactly the bytes
//! `Compression::None` sends for the same events; a body under the bound,
//! every native body and the events file are written as they are.
//!
//! The same events are sent twice by spooling them once (nothing listens)
//! and sending each of two copies of that state from a later run. Only the
//! send time (`sent_at`, `sentAt`, written when the request leaves) differs
//! between the two sends; it is masked in both.
#![cfg(feature = "http")]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use telemetry_core::{Batching, Compression, Retry, TestBuilder, WireFormat};
use telemetry_testkit::{Collector, Encoding, Request, free_addr, temp_dir};

const GZIPPED: [WireFormat; 4] = [WireFormat::Otlp, WireFormat::OtlpProtobuf, WireFormat::PostHog, WireFormat::Segment];

fn to(b: TestBuilder, url: &str, format: WireFormat) -> TestBuilder {
    // One request for everything a flush finds queued or spooled.
    let batching = Batching::default().with_max_latency(Duration::from_secs(60));
    b.settings(|b| b.endpoint(url, format).api_key("phc_test").batching(batching))
}

/// `events` recorded while nothing listens, spooled in `dir`.
fn spool(dir: &Path, format: WireFormat, events: u64) {
    let b = to(quiet_builder(dir), &format!("http://{}", free_addr()), format);
    let b = b.settings(|b| {
        b.retry(Retry::default().with_backoff(Duration::from_secs(30), Duration::from_secs(30)))
            .shutdown_deadline(Duration::from_millis(100))
    });
    let t = b.build().unwrap();
    for n in 0..events {
        t.record(&run(n));
    }
    let s = t.shutdown();
    assert_eq!((s.recorded, s.spooled), (events, events), "{format:?}: {s:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// The requests a later run from `dir` sends, `compression` set or (`None`) the default.
fn next_run(dir: &Path, format: WireFormat, compression: Option<Compression>) -> Vec<Request> {
    let c = Collector::ok();
    let mut b = to(quiet_builder(dir), &c.url(), format);
    if let Some(compression) = compression {
        b = b.settings(|b| b.compression(compression));
    }
    let t = b.build().unwrap();
    assert!(t.flush(Duration::from_secs(10)), "{format:?}");
    drop(t);
    c.requests()
}

/// `events` sent at the default and with `Compression::None`, from two
/// copies of one spool: `(default, none)` requests.
fn sent_both_ways(format: WireFormat, events: u64) -> (Vec<Request>, Vec<Request>) {
    let base = temp_dir(&format!("default-gzip-{}", format.name()));
    let (a, b): (PathBuf, PathBuf) = (base.join("a"), base.join("b"));
    spool(&a, format, events);
    copy_dir(&a, &b);
    let sent = (next_run(&a, format, None), next_run(&b, format, Some(Compression::None)));
    std::fs::remove_dir_all(&base).unwrap();
    sent
}

/// `body` with the value of its send time, if it has one (JSON), replaced by `SENT`.
fn send_time_masked(body: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(body) else { return body.to_vec() };
    for key in ["\"sent_at\":\"", "\"sentAt\":\""] {
        if let Some(at) = text.find(key) {
            let start = at + key.len();
            let end = start + text[start..].find('"').unwrap();
            return format!("{}SENT{}", &text[..start], &text[end..]).into_bytes();
        }
    }
    body.to_vec()
}

#[test]
fn a_body_over_the_bound_leaves_gzipped_at_defaults_and_inflates_to_the_plain_bytes() {
    for format in GZIPPED {
        let (auto, none) = sent_both_ways(format, 20);
        assert_eq!((auto.len(), none.len()), (1, 1), "{format:?}: one request each");
        let (auto, none) = (&auto[0], &none[0]);
        assert_eq!(none.encoding, Encoding::Identity, "{format:?}");
        assert!(none.body.len() > Compression::AUTO_MIN_BYTES, "{format:?}: {} bytes", none.body.len());
        assert_eq!(auto.header("content-encoding"), Some("gzip"), "{format:?}");
        assert_eq!(auto.header("content-type"), Some(format.content_type()), "{format:?}");
        assert_eq!(auto.encoding, Encoding::Gzip, "{format:?}: the collector inflated it");
        assert!(auto.wire_len * 4 < none.wire_len, "{format:?}: {} vs {} bytes", auto.wire_len, none.wire_len);
        let masked = send_time_masked(&none.body);
        assert_eq!(masked != none.body, matches!(format, WireFormat::PostHog | WireFormat::Segment), "{format:?}");
        assert_eq!(send_time_masked(&auto.body), masked, "{format:?}: not the bytes None sends");
        assert_eq!(events_in(format, &auto.body), 20, "{format:?}");
    }
}

#[test]
fn a_cli_s_one_event_and_native_bodies_leave_as_written_at_defaults() {
    // One event of a CLI: under the bound in every format, OTLP JSON's 1.4 KB included.
    for format in [WireFormat::OtlpProtobuf, WireFormat::Otlp, WireFormat::PostHog, WireFormat::Segment] {
        let (auto, none) = sent_both_ways(format, 1);
        assert!(none[0].body.len() <= Compression::AUTO_MIN_BYTES, "{format:?}: {} bytes", none[0].body.len());
        assert_eq!(auto[0].header("content-encoding"), None, "{format:?}");
        assert_eq!((&auto[0].encoding, auto[0].wire_len), (&Encoding::Identity, auto[0].body.len()), "{format:?}");
        assert_eq!(send_time_masked(&auto[0].body), send_time_masked(&none[0].body), "{format:?}");
    }
    let (auto, _) = sent_both_ways(WireFormat::Native, 20);
    assert!(auto[0].body.len() > Compression::AUTO_MIN_BYTES);
    assert_eq!((auto[0].header("content-encoding"), &auto[0].encoding), (None, &Encoding::Identity));
    assert_eq!(auto[0].json()["batch"].as_array().unwrap().len(), 20);
}

#[test]
fn the_events_file_is_written_as_it_is_at_defaults() {
    let dir = temp_dir("default-gzip-file");
    let t = quiet_builder(&dir).build().unwrap();
    for n in 0..20 {
        t.record(&run(n));
    }
    assert_eq!(t.shutdown().sent, 20);
    let text = std::fs::read_to_string(dir.join("events.jsonl")).expect("UTF-8 JSON lines");
    assert!(text.len() > Compression::AUTO_MIN_BYTES);
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 20);
    std::fs::remove_dir_all(&dir).unwrap();
}
