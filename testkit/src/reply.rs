//! The collector's answers, including the faults it can play: what a
//! crashed, slow, overloaded or broken collector sends (or does not).

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::time::{Duration, Instant};

/// How the collector answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A status code and extra headers, with body `{}`.
    Status(u16, Vec<(&'static str, String)>),
    /// Read the request, never answer (until the collector is stopped, or 20 s).
    Hang,
    /// Read the request, then write a 200 answer one byte every `0` (about 100 bytes).
    Drip(Duration),
    /// Read the headers and half the body, then close with the rest unread:
    /// the kernel answers the client with a TCP reset.
    ResetMidRequest,
    /// Answer 200 with `content-length: 100`, write 10 bytes of body, close.
    CutMidResponse,
    /// Answer 200 with a body of non-UTF-8, non-JSON bytes.
    Garbage200,
    /// Close the connection, without a response, when it is idle (keep-alive).
    Close,
    /// Answer 200 with a body that does not end: `Content-Length: 1 GiB`
    /// (or, `chunked`, chunks without a last one), written 64 KiB at a time
    /// until the client stops reading and closes (or the collector stops).
    /// `written` counts the body bytes the kernel took.
    Endless {
        /// Chunked transfer encoding instead of a `Content-Length`.
        chunked: bool,
        /// Body bytes written so far.
        written: Arc<AtomicU64>,
    },
}

impl Reply {
    /// `200` with body `{}`: a collector that accepts the batch.
    pub fn ok() -> Reply {
        Reply::Status(200, Vec::new())
    }
}

/// Whether the connection stays open for the next request.
pub(crate) enum Next {
    KeepAlive,
    Close,
}

/// Plays `reply` on `stream` (any reply but [`Reply::ResetMidRequest`],
/// which happens before the body is read). `commit(status)` is called when
/// the collector commits to an answer: before writing a status answer (as a
/// real collector stores a batch before saying 200), before the last byte
/// of a dripped one. `stop` cuts hanging and dripping short.
pub(crate) fn play(reply: Reply, stream: &mut TcpStream, stop: &AtomicBool, commit: impl FnOnce(u16)) -> Next {
    let sent = |r: std::io::Result<()>| if r.is_ok() { Next::KeepAlive } else { Next::Close };
    match reply {
        Reply::Hang => {
            let guard = Instant::now();
            while !stop.load(SeqCst) && guard.elapsed() < Duration::from_secs(20) {
                std::thread::sleep(Duration::from_millis(10));
            }
            Next::Close
        }
        Reply::Close | Reply::ResetMidRequest => Next::Close,
        Reply::Status(code, extra) => {
            commit(code);
            sent(stream.write_all(&response(code, &extra, b"{}")))
        }
        Reply::Drip(every) => {
            let bytes = response(200, &[], format!("{{\"ok\":true,\"pad\":\"{}\"}}", "-".repeat(8)).as_bytes());
            let (last, rest) = bytes.split_last().unwrap();
            for b in rest {
                if stop.load(SeqCst) || stream.write_all(&[*b]).is_err() {
                    return Next::Close;
                }
                std::thread::sleep(every);
            }
            commit(200);
            sent(stream.write_all(&[*last]))
        }
        Reply::CutMidResponse => {
            let mut bytes = b"HTTP/1.1 200 X\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n".to_vec();
            bytes.extend_from_slice(b"{\"ok\":tru");
            commit(200);
            let _ = stream.write_all(&bytes);
            Next::Close
        }
        Reply::Endless { chunked, written } => {
            commit(200);
            endless(stream, chunked, &written, stop);
            Next::Close
        }
        Reply::Garbage200 => {
            let garbage: Vec<u8> = (0..64u8).map(|b| b.wrapping_mul(37) | 0x80).collect();
            commit(200);
            sent(stream.write_all(&response(200, &[], &garbage)))
        }
    }
}

/// Writes an endless 200 answer; see [`Reply::Endless`].
fn endless(stream: &mut TcpStream, chunked: bool, written: &AtomicU64, stop: &AtomicBool) {
    const BLOCK: usize = 64 << 10;
    let length =
        if chunked { "transfer-encoding: chunked".to_string() } else { format!("content-length: {}", 1u64 << 30) };
    let head = format!("HTTP/1.1 200 X\r\ncontent-type: application/json\r\n{length}\r\n\r\n");
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut block = Vec::with_capacity(BLOCK + 16);
    if chunked {
        block.extend_from_slice(format!("{BLOCK:x}\r\n").as_bytes());
    }
    block.resize(block.len() + BLOCK, b' ');
    if chunked {
        block.extend_from_slice(b"\r\n");
    }
    while !stop.load(SeqCst) && (chunked || written.load(SeqCst) < 1 << 30) {
        if stream.write_all(&block).is_err() {
            return;
        }
        written.fetch_add(BLOCK as u64, SeqCst);
    }
}

fn response(code: u16, extra: &[(&'static str, String)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}
