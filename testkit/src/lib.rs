//! Test support for this workspace: a real HTTP/1.1 collector on 127.0.0.1
//! (std only, one thread per connection) that can be scripted to fail in
//! the ways real collectors and networks fail, plus temp dirs and a
//! readable [`Write`](std::io::Write) sink.
//!
//! It is not a mock of the client: the client under test talks to it over
//! TCP. Like a real collector it decodes `Content-Encoding: gzip`:
//! [`Request::body`] is what the client wrote, [`Request::encoding`] and
//! [`Request::wire_len`] how it travelled, and a body it cannot decode is
//! answered 400 and never counted ([`Encoding::Undecodable`]). telemetry-core's integration tests, its `delivery` bench and
//! `cargo xtask bench` all use this one collector.
//!
//! ```
//! use std::io::{Read, Write};
//! use telemetry_testkit::{Collector, Reply};
//!
//! // First request answered 503, every later one 200.
//! let collector = Collector::start(vec![Reply::Status(503, vec![("Retry-After", "1".into())])], Reply::ok());
//! let mut s = std::net::TcpStream::connect(collector.addr).unwrap();
//! s.write_all(b"POST /ingest HTTP/1.1\r\ncontent-length: 2\r\n\r\n{}").unwrap();
//! let mut head = [0u8; 16];
//! s.read_exact(&mut head).unwrap();
//! assert_eq!(&head, b"HTTP/1.1 503 X\r\n");
//!
//! let requests = collector.requests();
//! assert_eq!((requests[0].method.as_str(), requests[0].path.as_str()), ("POST", "/ingest"));
//! assert_eq!(requests[0].text(), "{}");
//! assert_eq!(collector.answered()[0].status, 503);
//! ```
#![forbid(unsafe_code)]

mod capture;
mod collector;
mod reply;
mod request;
mod temp;

pub use capture::Buf;
pub use collector::{Collector, free_addr};
pub use reply::Reply;
pub use request::{Answered, Encoding, Request};
pub use temp::{TempDir, temp_dir};
