//! The loopback collector every system sends to: HTTP/1.1 with keep-alive
//! on 127.0.0.1, a pool of serving threads, 200 to every request, and a count
//! of the events each request carried, per wire format. Bodies are decoded
//! and counted on a thread of their own: a connection reads its next
//! request as soon as it has answered, so decoding never delays a sender
//! (it did when each connection decoded before reading on, which held the
//! JSON senders to the collector's serde_json speed).
//!
//! For the caller-cost measure the other order is right: [`Collector::settled`]
//! counts a body before answering it, so a sender's untimed flush returns
//! only once the collector is idle, and its decoding never shares the cores
//! with the next timed run (it did: some runs of 500 events took twice as
//! long, for every JSON column, while the collector decoded the last batch).
//!
//! A hanging collector accepts connections and never reads or answers. A
//! distant one ([`Collector::distant`]) counts each request as it arrives
//! and answers it after a delay, as a collector across the internet would.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use serde::de::IgnoredAny;

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use prost::Message;

/// Events received, per wire format, and requests whose body could not be read.
#[derive(Debug, Default)]
pub struct Counts {
    /// PostHog `/batch/` items.
    pub posthog: AtomicU64,
    /// OTLP/HTTP JSON log records.
    pub otlp_json: AtomicU64,
    /// OTLP/HTTP protobuf log records.
    pub otlp_proto: AtomicU64,
    /// Requests with a body none of the above.
    pub unreadable: AtomicU64,
    /// Bytes read: request lines, headers and bodies.
    pub bytes: AtomicU64,
    /// Requests read.
    pub requests: AtomicU64,
    /// Bodies read and not yet counted (waiting for the counting thread).
    pub uncounted: AtomicU64,
}

impl Counts {
    /// All events, whatever their format.
    pub fn events(&self) -> u64 {
        self.posthog.load(Relaxed) + self.otlp_json.load(Relaxed) + self.otlp_proto.load(Relaxed)
    }

    /// Sets every count to zero.
    pub fn reset(&self) {
        for c in [&self.posthog, &self.otlp_json, &self.otlp_proto, &self.unreadable, &self.bytes, &self.requests] {
            c.store(0, Relaxed);
        }
    }
}

/// A running collector.
pub struct Collector {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// What it received.
    pub counts: Arc<Counts>,
}

impl Collector {
    /// Answers 200 to every request, then counts its events.
    pub fn ok() -> std::io::Result<Collector> {
        Self::start(false, false, Duration::ZERO)
    }

    /// Counts each request's events, then answers 200.
    pub fn settled() -> std::io::Result<Collector> {
        Self::start(false, true, Duration::ZERO)
    }

    /// Counts each request's events as it arrives, then answers 200 after `delay`.
    pub fn distant(delay: Duration) -> std::io::Result<Collector> {
        Self::start(false, true, delay)
    }

    /// Accepts connections and never answers.
    pub fn hanging() -> std::io::Result<Collector> {
        Self::start(true, false, Duration::ZERO)
    }

    fn start(hang: bool, count_first: bool, delay: Duration) -> std::io::Result<Collector> {
        let l = TcpListener::bind("127.0.0.1:0")?;
        let port = l.local_addr()?.port();
        let counts = Arc::new(Counts::default());
        let (c, c2) = (counts.clone(), counts.clone());
        let (bodies, received) = channel::<(bool, Vec<u8>, usize)>();
        std::thread::spawn(move || {
            for (proto, body, head) in received {
                count(proto, &body, head, &c);
                c.uncounted.fetch_sub(1, Relaxed);
            }
        });
        if hang {
            let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
            std::thread::spawn(move || {
                for s in l.incoming().flatten() {
                    held.lock().unwrap_or_else(|p| p.into_inner()).push(s);
                }
            });
            return Ok(Collector { port, counts });
        }
        // Serving threads started before any client connects, each taking
        // the next connection as it finishes one, as a collector's worker
        // pool does: a thread started per connection put its start (~0.1
        // ms, more on two busy cores) into every client's first request,
        // and so into every system's exit time with the collector up.
        for _ in 0..SERVERS {
            let l = l.try_clone()?;
            let to =
                if count_first { Counting::Here(c2.clone()) } else { Counting::Thread(c2.clone(), bodies.clone()) };
            std::thread::spawn(move || {
                for s in l.incoming().flatten() {
                    serve(s, &to, delay);
                }
            });
        }
        Ok(Collector { port, counts })
    }
}

/// Connections served at once: more than any system opens (one or two
/// each; posthog-rs's async client a few).
const SERVERS: usize = 16;

/// A loopback port nothing listens on: connections are refused.
pub fn refused_port() -> std::io::Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    l.local_addr().map(|a| a.port())
}

/// Where a connection's bodies are counted.
enum Counting {
    /// On the connection, before answering.
    Here(Arc<Counts>),
    /// On the counting thread (the body is handed over before the answer,
    /// and counted after it).
    Thread(Arc<Counts>, Sender<(bool, Vec<u8>, usize)>),
}

fn serve(s: TcpStream, counting: &Counting, delay: Duration) {
    let _ = s.set_nodelay(true);
    let Ok(mut out) = s.try_clone() else { return };
    let mut r = BufReader::new(s);
    while let Some((proto, body, head)) = read_request(&mut r) {
        let answer: &[u8] = if proto {
            b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n"
        } else {
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
        };
        match counting {
            Counting::Here(c) => count(proto, &body, head, c),
            // Handed over before the answer: once a sender has its answers
            // and exits, `uncounted` holds every body not yet counted.
            Counting::Thread(c, to) => {
                c.uncounted.fetch_add(1, Relaxed);
                let _ = to.send((proto, body, head));
            }
        }
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        if out.write_all(answer).is_err() {
            return;
        }
    }
}

/// One request: whether its body is protobuf, the body, and the bytes of
/// its request line and headers; `None` at end of stream.
fn read_request(r: &mut impl BufRead) -> Option<(bool, Vec<u8>, usize)> {
    let (mut len, mut chunked, mut proto, mut head) = (0usize, false, false, 0usize);
    let mut line = String::new();
    loop {
        line.clear();
        let n = r.read_line(&mut line).ok()?;
        if n == 0 {
            return None;
        }
        head += n;
        if line == "\r\n" {
            break;
        }
        let Some((k, v)) = line.split_once(':') else { continue };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
        match k.as_str() {
            "content-length" => len = v.parse().ok()?,
            "transfer-encoding" => chunked = v.contains("chunked"),
            "content-type" => proto = v.contains("protobuf"),
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            head += r.read_line(&mut line).ok()?;
            let size = usize::from_str_radix(line.trim().split(';').next()?, 16).ok()?;
            let start = body.len();
            body.resize(start + size, 0);
            r.read_exact(&mut body[start..]).ok()?;
            line.clear();
            head += r.read_line(&mut line).ok()?;
            if size == 0 {
                break;
            }
        }
    } else {
        body.resize(len, 0);
        r.read_exact(&mut body).ok()?;
    }
    Some((proto, body, head))
}

fn count(proto: bool, body: &[u8], head: usize, c: &Counts) {
    c.bytes.fetch_add((head + body.len()) as u64, Relaxed);
    c.requests.fetch_add(1, Relaxed);
    // A gzipped body (by its magic bytes: posthog-rs marks it in the query,
    // the others with `Content-Encoding`) is counted from what it inflates to.
    let inflated;
    let body = if body.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        if std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body), &mut out).is_err() {
            c.unreadable.fetch_add(1, Relaxed);
            return;
        }
        inflated = out;
        &inflated[..]
    } else {
        body
    };
    if proto {
        match ExportLogsServiceRequest::decode(body) {
            Ok(req) => {
                let n: usize = req.resource_logs.iter().flat_map(|r| &r.scope_logs).map(|s| s.log_records.len()).sum();
                c.otlp_proto.fetch_add(n as u64, Relaxed);
            }
            Err(_) => {
                c.unreadable.fetch_add(1, Relaxed);
            }
        }
        return;
    }
    // The shapes counted, every item parsed as JSON but not kept.
    #[derive(Deserialize)]
    struct PostHog {
        batch: Vec<IgnoredAny>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Otlp {
        resource_logs: Vec<ResourceLogs>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct ResourceLogs {
        #[serde(default)]
        scope_logs: Vec<ScopeLogs>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct ScopeLogs {
        #[serde(default)]
        log_records: Vec<IgnoredAny>,
    }
    if let Ok(p) = serde_json::from_slice::<PostHog>(body) {
        c.posthog.fetch_add(p.batch.len() as u64, Relaxed);
    } else if let Ok(o) = serde_json::from_slice::<Otlp>(body) {
        let n: usize = o.resource_logs.iter().flat_map(|r| &r.scope_logs).map(|s| s.log_records.len()).sum();
        c.otlp_json.fetch_add(n as u64, Relaxed);
    } else {
        c.unreadable.fetch_add(1, Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn head(ctype: &str, body: &[u8]) -> String {
        format!("POST /x HTTP/1.1\r\nhost: a\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\n\r\n", body.len())
    }

    fn post(port: u16, ctype: &str, body: &[u8]) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let head = head(ctype, body);
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut buf = [0u8; 256];
        let n = s.read(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    fn settle(c: &Counts, events: u64) {
        for _ in 0..200 {
            if c.events() + c.unreadable.load(Relaxed) >= events {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn counts_each_format() {
        let c = Collector::ok().unwrap();
        let ph = br#"{"api_key":"k","batch":[{"event":"a"},{"event":"b"}]}"#;
        assert!(post(c.port, "application/json", ph).starts_with("HTTP/1.1 200 OK\r\n"));
        let otlp =
            br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{},{},{}]}]},{"scopeLogs":[{"logRecords":[{}]}]}]}"#;
        post(c.port, "application/json", otlp);
        let req = ExportLogsServiceRequest {
            resource_logs: vec![opentelemetry_proto::tonic::logs::v1::ResourceLogs {
                scope_logs: vec![opentelemetry_proto::tonic::logs::v1::ScopeLogs {
                    log_records: vec![Default::default(); 5],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        post(c.port, "application/x-protobuf", &req.encode_to_vec());
        post(c.port, "application/json", b"[1]");
        settle(&c.counts, 2 + 4 + 5 + 1);
        let sent: usize =
            [("application/json", &ph[..]), ("application/json", &otlp[..]), ("application/json", b"[1]")]
                .iter()
                .map(|(t, b)| head(t, b).len() + b.len())
                .sum::<usize>()
                + head("application/x-protobuf", &req.encode_to_vec()).len()
                + req.encode_to_vec().len();
        assert_eq!(c.counts.bytes.load(Relaxed), sent as u64, "every byte read is counted");
        assert_eq!(c.counts.requests.load(Relaxed), 4);
        let n = |a: &AtomicU64| a.load(Relaxed);
        assert_eq!(
            (n(&c.counts.posthog), n(&c.counts.otlp_json), n(&c.counts.otlp_proto), n(&c.counts.unreadable)),
            (2, 4, 5, 1)
        );
    }
}
