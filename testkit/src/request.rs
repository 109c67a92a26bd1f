//! One HTTP/1.1 request as the collector reads it off the socket.

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
    /// The body, `content-length` bytes (empty when the collector keeps no requests).
    pub body: Vec<u8>,
    /// When the body was read in full.
    pub at: Instant,
}

impl Request {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (panics otherwise: a test failure).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }

    /// The body as UTF-8 (panics otherwise: a test failure).
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
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
