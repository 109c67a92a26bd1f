//! The collector's answer: what its status means for the batch (per wire
//! format), when to try again (`Retry-After`, both forms), and its body,
//! read no further than a small bound.
//!
//! Which statuses are retried:
//! - OTLP (JSON and protobuf): exactly the OTLP/HTTP specification's
//!   "Retryable Response Codes", 429, 502, 503 and 504; "all other 4xx or
//!   5xx response status codes MUST NOT be retried". A 3xx (never followed)
//!   is not listed either, and is not retried.
//! - Native, Segment, PostHog: 429 and every 5xx, as the official clients
//!   retry (segmentio/analytics-python and PostHog/posthog-python,
//!   `consumer.py`: `fatal_exception` gives up only on a 4xx other than
//!   429), and a 3xx (never followed: the endpoint policy checked this URL,
//!   not the target), kept for a later try as a moved endpoint.
//!
//! A network error (no answer at all) is retried in every format.

use std::io::Read;
use std::time::{Duration, SystemTime};

use ureq::http::StatusCode;
use ureq::http::header::RETRY_AFTER;

/// An answer as ureq gives it, its body unread.
type Response = ureq::http::Response<ureq::Body>;

use crate::format::WireFormat;
use crate::transport::Outcome;

/// The most of an answer's body ever read. Collectors answer `{}` or a
/// short status; anything longer is not read, and the connection is
/// dropped instead of reused (a `Content-Length: 1 GiB` or an endless
/// chunked answer once grew the process by as much and stalled delivery).
pub(super) const MAX_ANSWER_BYTES: u64 = 64 << 10;

/// What `resp` means for the batch just sent; consumes it.
pub(super) fn outcome(format: WireFormat, resp: Response) -> Outcome {
    let status = resp.status();
    let after =
        resp.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| retry_after(v, SystemTime::now()));
    drain(resp);
    classify(format, status, after)
}

/// Reads a small body to its end, so that the connection can be reused;
/// a larger one (declared or found) is dropped unread, which closes it.
fn drain(mut resp: Response) {
    if resp.body().content_length().is_some_and(|n| n > MAX_ANSWER_BYTES) {
        return;
    }
    let _ = resp.body_mut().as_reader().take(MAX_ANSWER_BYTES + 1).read_to_end(&mut Vec::new());
}

/// The outcome of a status, with the wait the collector asked for.
fn classify(format: WireFormat, status: StatusCode, after: Option<Duration>) -> Outcome {
    if status.is_success() {
        return Outcome::Delivered;
    }
    let retried = match format {
        WireFormat::Otlp | WireFormat::OtlpProtobuf => matches!(status.as_u16(), 429 | 502 | 503 | 504),
        WireFormat::Native | WireFormat::Segment | WireFormat::PostHog => {
            status.is_redirection() || status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
        }
    };
    let why = if status.is_redirection() {
        format!("HTTP {status}, a redirect (not followed)")
    } else {
        format!("HTTP {status}")
    };
    if retried { Outcome::Retry { after, why } } else { Outcome::Reject(why) }
}

/// A `Retry-After` value (RFC 9110 section 10.2.3): delta-seconds, or an
/// HTTP-date, as a wait from `now` (a date already past waits nothing).
/// Anything else is ignored (the backoff applies). The worker caps the wait.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Digits too many for a u64 are still a (very long) wait.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(unix: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(unix)
    }

    #[test]
    fn retry_after_takes_seconds_and_all_three_date_forms() {
        // 1994-11-06 08:49:37 UTC, RFC 9110's own example, in its three forms.
        let now = at(784_111_777 - 90);
        for date in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(retry_after(date, now), Some(Duration::from_secs(90)), "{date}");
        }
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn retry_after_in_the_past_waits_nothing_and_junk_is_ignored() {
        let now = at(784_111_777 + 5);
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(Duration::ZERO));
        for junk in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994 08:49:37 CET", "0x10"] {
            assert_eq!(retry_after(junk, now), None, "{junk:?}");
        }
    }

    fn retried(format: WireFormat) -> Vec<u16> {
        (100..600)
            .filter(|&c| {
                let status = StatusCode::from_u16(c).unwrap();
                matches!(classify(format, status, None), Outcome::Retry { .. })
            })
            .collect()
    }

    #[test]
    fn otlp_retries_exactly_what_the_otlp_http_spec_lists() {
        for format in [WireFormat::Otlp, WireFormat::OtlpProtobuf] {
            assert_eq!(retried(format), [429, 502, 503, 504], "{format:?}");
        }
    }

    #[test]
    fn other_formats_retry_429_5xx_and_redirects_as_their_clients_do() {
        let expected: Vec<u16> = (300..400).chain([429]).chain(500..600).collect();
        for format in [WireFormat::Native, WireFormat::Segment, WireFormat::PostHog] {
            assert_eq!(retried(format), expected, "{format:?}");
        }
        let ok = classify(WireFormat::Native, StatusCode::NO_CONTENT, None);
        assert_eq!(ok, Outcome::Delivered);
        let moved = classify(WireFormat::Otlp, StatusCode::MOVED_PERMANENTLY, None);
        assert_eq!(moved, Outcome::Reject("HTTP 301 Moved Permanently, a redirect (not followed)".into()));
    }
}
