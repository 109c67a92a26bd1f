//! The default byte bound of a batch is the wire format's: 500 events of
//! ~860 bytes (430 KB of envelopes) leave in one request to PostHog and
//! OTLP, whose backends take 20 MB and 4 MiB, and in two to Segment (500 KB
//! per batch, a body larger than its envelopes) and a native collector.
//! A gzipped batch with more events behind it is compressed at level 1, the
//! last one at level 2 (`transport/http/gzip.rs`).
#![cfg(feature = "http")]

mod common;

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use common::*;
use telemetry_core::{Retry, WireFormat};
use telemetry_testkit::{Collector, Request, free_addr, temp_dir};

/// 500 events of ~860 bytes recorded in a run from `dir` sending to `url`.
fn record_500(dir: &Path, url: &str, format: WireFormat, retry: Retry) -> telemetry_core::Telemetry {
    let b = quiet_builder(dir).settings(|b| {
        b.endpoint(url, format).api_key("phc_test").retry(retry).shutdown_deadline(Duration::from_millis(100))
    });
    let t = b.build().unwrap();
    let flag = "f".repeat(32);
    for n in 0..500 {
        let mut e = run(n);
        e.flags = vec![&flag; 10];
        t.record(&e);
    }
    t
}

/// The events in each request of 500 recorded events, at the default batching.
fn requests_for_500(format: WireFormat) -> Vec<usize> {
    let c = Collector::ok();
    let dir = temp_dir(&format!("batch-bytes-{}", format.name()));
    let t = record_500(&dir, &c.url(), format, Retry::default());
    assert!(t.flush(Duration::from_secs(10)), "{format:?}");
    assert_eq!(t.shutdown().sent, 500, "{format:?}");
    std::fs::remove_dir_all(&dir).unwrap();
    c.requests().iter().map(|r| events_in(format, &r.body)).collect()
}

fn gzipped_len(level: u32, body: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(body).unwrap();
    e.finish().unwrap().len()
}

#[test]
fn a_batch_of_500_leaves_in_one_request_where_the_backend_takes_it() {
    for format in [WireFormat::PostHog, WireFormat::Otlp, WireFormat::OtlpProtobuf] {
        assert_eq!(requests_for_500(format), [500], "{format:?}");
    }
    for format in [WireFormat::Segment, WireFormat::Native] {
        let sizes = requests_for_500(format);
        assert_eq!((sizes.len(), sizes.iter().sum::<usize>()), (2, 500), "{format:?}: {sizes:?}");
    }
}

#[test]
fn a_batch_with_more_behind_it_is_gzipped_fast_and_the_last_one_smaller() {
    // Spooled while nothing listens; the next run reads the 500 back at
    // once, so the first of its two Segment batches has 200-odd behind it.
    let dir = temp_dir("batch-bytes-levels");
    let down = format!("http://{}", free_addr());
    let never = Retry::default().with_backoff(Duration::from_secs(30), Duration::from_secs(30));
    assert_eq!(record_500(&dir, &down, WireFormat::Segment, never).shutdown().spooled, 500);
    let c = Collector::ok();
    let t = quiet_builder(&dir).settings(|b| b.endpoint(c.url(), WireFormat::Segment).api_key("k")).build().unwrap();
    assert!(t.flush(Duration::from_secs(10)));
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
    let requests: Vec<Request> = c.requests();
    let levels: Vec<Option<u32>> =
        requests.iter().map(|r| [1, 2].into_iter().find(|&level| r.wire_len == gzipped_len(level, &r.body))).collect();
    assert_eq!(levels, [Some(1), Some(2)], "{:?}", requests.iter().map(|r| r.wire_len).collect::<Vec<_>>());
}
