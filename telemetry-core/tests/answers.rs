//! The collector's answers, read as RFC 9110 and the OTLP/HTTP
//! specification say: a body read no further than a small bound,
//! `Retry-After` as an HTTP-date, exactly OTLP's retryable statuses, and
//! Segment's write key required like PostHog's project key.
#![cfg(feature = "http")]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use telemetry_core::{Batching, BuildError, Retry, Stats, WireFormat};
use telemetry_testkit::{Collector, Reply, temp_dir};

fn stats(recorded: u64, sent: u64, retried: u64, dropped: u64) -> Stats {
    Stats { recorded, sent, retried, dropped, ..Stats::default() }
}

/// Records `n` events in batches of 5 to `c` in `format`, flushes, shuts
/// down and returns the final counters.
fn send(c: &Collector, format: WireFormat, n: u64) -> Stats {
    let dir = temp_dir("answers");
    let t = quiet_builder(&dir)
        .settings(|b| {
            b.endpoint(c.url(), format)
                .batching(
                    Batching::default()
                        .with_max_events(5)
                        .with_max_bytes(1 << 20)
                        .with_max_latency(Duration::from_millis(10)),
                )
                .retry(
                    Retry::default()
                        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
                        .with_request_timeout(Duration::from_secs(2)),
                )
        })
        .build()
        .unwrap();
    for i in 0..n {
        t.record(&run(i));
    }
    assert!(t.flush(Duration::from_secs(60)), "not settled: {:?}", t.stats());
    let stats = t.shutdown();
    std::fs::remove_dir_all(&dir).unwrap();
    stats
}

#[test]
fn an_endless_answer_is_read_no_further_than_its_bound() {
    let (_, peak_before) = memory_kib().unwrap_or_default();
    for chunked in [false, true] {
        let written = Arc::new(AtomicU64::new(0));
        let c = Collector::start(Vec::new(), Reply::Endless { chunked, written: written.clone() });
        // Every batch delivered (the status was 200), none stalled behind an answer.
        assert_eq!(send(&c, WireFormat::Native, 20), stats(20, 20, 0, 0), "chunked: {chunked}");
        let answers = c.answered().len() as u64;
        assert_eq!((answers, c.events_accepted()), (4, 20), "chunked: {chunked}");
        // The client read at most 64 KiB of each, then closed: what the
        // collector could write is that and the loopback socket buffers,
        // not the 1 GiB (or endless body) it offered.
        let written = written.load(SeqCst);
        assert!(written <= answers * (16 << 20), "chunked: {chunked}: {written} bytes taken from {answers} answers");
    }
    if let Some((_, peak_after)) = memory_kib() {
        let grown = peak_after.saturating_sub(peak_before);
        assert!(grown < 64 << 10, "peak RSS grew by {grown} KiB");
    }
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    let (t0, sys0) = (Instant::now(), SystemTime::now());
    // A whole second, two to three seconds from now (HTTP-dates have no fractions).
    let date = UNIX_EPOCH + Duration::from_secs(sys0.duration_since(UNIX_EPOCH).unwrap().as_secs() + 3);
    let c =
        Collector::start(vec![Reply::Status(503, vec![("Retry-After", httpdate::fmt_http_date(date))])], Reply::ok());
    assert_eq!(send(&c, WireFormat::Native, 1), stats(1, 1, 1, 0));
    let reqs = c.requests();
    assert_eq!(reqs.len(), 2);
    // Not before the date (a little slack for the wall clock against the monotonic one).
    let due = t0 + date.duration_since(sys0).unwrap() - Duration::from_millis(50);
    assert!(reqs[1].at >= due, "retried {:?} before the date", due - reqs[1].at);
}

#[test]
fn an_answer_head_up_to_16_kib_is_read_and_a_longer_one_retried() {
    // 8 KiB of headers (a collector's own, or a proxy's cookies) are read as
    // the 200 they carry.
    let c = Collector::start(vec![Reply::Status(200, vec![("x-pad", "a".repeat(8 << 10))])], Reply::ok());
    assert_eq!(send(&c, WireFormat::Native, 1), stats(1, 1, 0, 0));
    assert_eq!(c.requests().len(), 1);
    // A head past the client's 16 KiB buffer is not an answer it can read:
    // the batch is sent again, not dropped and not counted as delivered.
    let c = Collector::start(vec![Reply::Status(200, vec![("x-pad", "a".repeat(20 << 10))])], Reply::ok());
    assert_eq!(send(&c, WireFormat::Native, 1), stats(1, 1, 1, 0));
    assert_eq!(c.requests().len(), 2);
}

#[test]
fn otlp_retries_only_429_502_503_504() {
    for format in [WireFormat::Otlp, WireFormat::OtlpProtobuf] {
        let retried: Vec<Reply> = [429, 502, 503, 504].into_iter().map(|s| Reply::Status(s, vec![])).collect();
        let c = Collector::start(retried, Reply::ok());
        assert_eq!(send(&c, format, 1), stats(1, 1, 4, 0), "{format:?}");
        assert_eq!(c.requests().len(), 5);
        for status in [500, 501, 301, 307, 408, 413] {
            let c = Collector::start(vec![Reply::Status(status, vec![])], Reply::ok());
            assert_eq!(send(&c, format, 1), stats(1, 0, 0, 1), "{format:?}, HTTP {status}");
            assert_eq!(c.requests().len(), 1, "{format:?}, HTTP {status}");
        }
    }
}

#[test]
fn segment_without_a_write_key_is_refused_at_build() {
    let dir = temp_dir("segment-key");
    let c = Collector::ok();
    let err = quiet_builder(&dir).settings(|b| b.endpoint(c.url(), WireFormat::Segment)).build().unwrap_err();
    assert_eq!(err, BuildError::MissingApiKey { format: WireFormat::Segment });
    assert_eq!(err.to_string(), "the segment wire format needs an API key: call .api_key(..)");
    assert!(!dir.exists(), "nothing written");
    assert_eq!(c.connections(), 0, "nothing sent");
}
