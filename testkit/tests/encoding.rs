//! The collector decodes `Content-Encoding` as a collector does: a gzipped
//! body is stored, counted and read inflated, with how it travelled kept; a
//! body it cannot decode is answered 400, kept as sent, and never counted.

use std::io::{Read, Write};
use std::net::TcpStream;

use telemetry_testkit::{Collector, Encoding, Reply};

const BODY: &[u8] = br#"{"batch":[{"message_id":"a"},{"message_id":"b"}]}"#;

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(body).unwrap();
    e.finish().unwrap()
}

/// POSTs `body` with `encoding` (a `Content-Encoding` value, if any); returns the status line.
fn post(c: &Collector, encoding: Option<&str>, body: &[u8]) -> String {
    let mut s = TcpStream::connect(c.addr).unwrap();
    let coding = encoding.map(|e| format!("content-encoding: {e}\r\n")).unwrap_or_default();
    let head = format!("POST /batch/ HTTP/1.1\r\n{coding}content-length: {}\r\n\r\n", body.len());
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut status = [0u8; 12];
    s.read_exact(&mut status).unwrap();
    String::from_utf8_lossy(&status).into_owned()
}

#[test]
fn a_gzipped_body_is_inflated_counted_and_marked() {
    let c = Collector::ok();
    let zipped = gzip(BODY);
    assert_eq!(post(&c, Some("gzip"), &zipped), "HTTP/1.1 200");
    assert_eq!(post(&c, None, BODY), "HTTP/1.1 200");
    let r = c.requests();
    assert_eq!((r[0].body.as_slice(), &r[0].encoding, r[0].wire_len), (BODY, &Encoding::Gzip, zipped.len()));
    assert_eq!(r[0].header("content-encoding"), Some("gzip"));
    assert_eq!(r[0].json()["batch"][1]["message_id"], "b");
    assert_eq!((r[1].body.as_slice(), &r[1].encoding, r[1].wire_len), (BODY, &Encoding::Identity, BODY.len()));
    assert_eq!(c.events_accepted(), 4);
}

#[test]
fn a_body_that_does_not_decode_is_refused_and_not_counted() {
    // Scripted to accept: the body it cannot read is refused all the same.
    let c = Collector::start(vec![Reply::ok(), Reply::ok(), Reply::ok()], Reply::ok());
    let mut trailing = gzip(BODY);
    trailing.extend_from_slice(b"{}");
    for (coding, body) in [("gzip", BODY.to_vec()), ("gzip", trailing), ("br", BODY.to_vec())] {
        assert_eq!(post(&c, Some(coding), &body), "HTTP/1.1 400", "{coding}");
    }
    assert_eq!(c.events_accepted(), 0);
    let r = c.requests();
    assert_eq!(r.len(), 3);
    for r in &r {
        let Encoding::Undecodable(why) = &r.encoding else { panic!("{:?}", r.encoding) };
        assert!(why.contains("Content-Encoding: "), "{why}");
    }
    assert_eq!(r[0].body, BODY, "kept as sent");
    assert!(
        matches!(&r[1].encoding, Encoding::Undecodable(why) if why.contains("bytes follow")),
        "{:?}",
        r[1].encoding
    );
    assert_eq!(c.answered().iter().map(|a| a.status).collect::<Vec<_>>(), [400, 400, 400]);
    let text = std::panic::catch_unwind(|| r[0].text()).unwrap_err();
    assert!(text.downcast_ref::<String>().unwrap().contains("cannot be decoded"));
}
