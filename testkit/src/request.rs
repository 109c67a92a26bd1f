//! One HTTP/1.1 request as the collector reads it off the socket, its body
//! decoded as a collector decodes it (`Content-Encoding: gzip` inflated).

use std::io::Read;
use std::net::TcpStream;
use std::time::Instant;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    /// `POST`, `GET`, ...
    pub method: String,
    /// The request target, such as `/ingest`.
    pub path: String,
    /// Headers in the order sent, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body as the client wrote it before any `Content-Encoding`: a
    /// gzipped body inflated (see [`Request::encoding`]; the bytes as sent
    /// when it could not be decoded). Empty when the collector keeps no requests.
    pub body: Vec<u8>,
    /// How the body travelled: whether it was gzipped, or could not be decoded.
    pub encoding: Encoding,
    /// The body's bytes on the wire (`content-length`), before inflating.
    pub wire_len: usize,
    /// When the body was read in full.
    pub at: Instant,
}

impl Request {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (panics otherwise, or when it could not be
    /// decoded: a test failure).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(self.decoded()).expect("request body is JSON")
    }

    /// The body as UTF-8 (panics otherwise, or when it could not be
    /// decoded: a test failure).
    pub fn text(&self) -> String {
        String::from_utf8(self.decoded().to_vec()).expect("UTF-8 body")
    }

    fn decoded(&self) -> &[u8] {
        if let Encoding::Undecodable(why) = &self.encoding {
            panic!("{} {}: the body cannot be decoded: {why}", self.method, self.path);
        }
        &self.body
    }
}

/// How a request body travelled, by its `Content-Encoding`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoding {
    /// No `Content-Encoding` (or `identity`): the body as sent.
    Identity,
    /// `Content-Encoding: gzip`, inflated into [`Request::body`].
    Gzip,
    /// A `Content-Encoding` the collector cannot decode: one it does not
    /// know, or gzip that does not inflate; the reason. The collector
    /// answered such a request 400 (as the OpenTelemetry Collector does),
    /// whatever it was scripted to answer, and counted none of its events.
    Undecodable(String),
}

/// The body as the client wrote it, by the request's `Content-Encoding`
/// (`headers`): `(body, how it travelled)`.
pub(crate) fn decode(headers: &[(String, String)], wire: Vec<u8>) -> (Vec<u8>, Encoding) {
    let coding = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-encoding")).map(|(_, v)| v.trim());
    match coding {
        None => (wire, Encoding::Identity),
        Some(c) if c.eq_ignore_ascii_case("identity") => (wire, Encoding::Identity),
        Some(c) if c.eq_ignore_ascii_case("gzip") => {
            let mut plain = Vec::new();
            let mut gz = flate2::bufread::GzDecoder::new(&wire[..]);
            let why = match gz.read_to_end(&mut plain) {
                Ok(_) if gz.into_inner().is_empty() => return (plain, Encoding::Gzip),
                Ok(_) => "bytes follow the gzip stream".to_string(),
                Err(e) => e.to_string(),
            };
            (wire, Encoding::Undecodable(format!("`Content-Encoding: gzip` but the body does not inflate: {why}")))
        }
        Some(c) => (wire, Encoding::Undecodable(format!("unsupported `Content-Encoding: {c}`"))),
    }
}

/// A request the collector committed to answering, with the status and when.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The request.
    pub request: Request,
    /// The status it was (or was being) answered with.
    pub status: u16,
    /// When the collector committed to the answer.
    pub done: Instant,
}

/// The request line and headers, read before the body.
pub(crate) struct Head {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    /// The `content-length` value (0 when absent or unreadable).
    pub(crate) len: usize,
}

/// Reads the request line and the headers; `None` when the peer closed or
/// the read timed out.
pub(crate) fn read_head(stream: &mut TcpStream) -> Option<Head> {
    let line = read_line(stream)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let h = read_line(stream)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    Some(Head { method, path, headers, len })
}

/// Reads one CRLF-terminated line a byte at a time, so that nothing past
/// the headers is taken from the socket (see [`crate::Reply::ResetMidRequest`]).
fn read_line(s: &mut TcpStream) -> Option<String> {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    loop {
        match s.read(&mut b) {
            Ok(1) => {
                line.push(b[0]);
                if b[0] == b'\n' {
                    return String::from_utf8(line).ok();
                }
            }
            _ => return None,
        }
    }
}
