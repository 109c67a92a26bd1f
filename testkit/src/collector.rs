//! The collector: a listener on 127.0.0.1, one thread per connection, and
//! the log of what it read and answered.
//!
//! It can be switched between answers while it runs
//! ([`Collector::set_reply`]), stopped and restarted on the same port, and
//! keeps a log of what it answered, so that fault tests can tell a batch it
//! accepted (a 2xx answer) from one it only saw.

use std::collections::{HashMap, VecDeque};
use std::io::Read;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::reply::{self, Next, Reply};
use crate::request::{self, Answered, Encoding, Request};

struct Inner {
    requests: Mutex<Vec<Request>>,
    answered: Mutex<Vec<Answered>>,
    connections: AtomicUsize,
    started: AtomicUsize,
    events: AtomicU64,
    keep: AtomicBool,
    open: Mutex<HashMap<u64, TcpStream>>,
    next_conn: AtomicU64,
    script: Mutex<VecDeque<Reply>>,
    default: Mutex<Reply>,
    delay: Mutex<Duration>,
    stop: AtomicBool,
}

/// A collector listening on 127.0.0.1; stopped when dropped.
pub struct Collector {
    /// Where it listens.
    pub addr: SocketAddr,
    inner: Arc<Inner>,
    acceptor: Option<JoinHandle<()>>,
}

impl Collector {
    /// Answers with `script` in order, then `default` for every later request.
    pub fn start(script: Vec<Reply>, default: Reply) -> Self {
        Self::start_at("127.0.0.1:0".parse().unwrap(), script, default)
    }

    /// Like [`Collector::start`] on a given address (a restart on the same
    /// port). Retries the bind for up to 5 s.
    pub fn start_at(addr: SocketAddr, script: Vec<Reply>, default: Reply) -> Self {
        let t0 = Instant::now();
        let listener = loop {
            match TcpListener::bind(addr) {
                Ok(l) => break l,
                Err(_) if t0.elapsed() < Duration::from_secs(5) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => panic!("cannot bind {addr}: {e}"),
            }
        };
        let addr = listener.local_addr().unwrap();
        let inner = Arc::new(Inner {
            requests: Mutex::new(Vec::new()),
            answered: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            started: AtomicUsize::new(0),
            events: AtomicU64::new(0),
            keep: AtomicBool::new(true),
            open: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(0),
            script: Mutex::new(script.into()),
            default: Mutex::new(default),
            delay: Mutex::new(Duration::ZERO),
            stop: AtomicBool::new(false),
        });
        let i = inner.clone();
        let acceptor = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if i.stop.load(SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                i.connections.fetch_add(1, SeqCst);
                let id = i.next_conn.fetch_add(1, SeqCst);
                if let Ok(c) = stream.try_clone() {
                    i.open.lock().unwrap().insert(id, c);
                }
                let i = i.clone();
                std::thread::spawn(move || {
                    serve(stream, &i);
                    // Forget our clone so that dropping `stream` closes the socket.
                    i.open.lock().unwrap().remove(&id);
                });
            }
        });
        Collector { addr, inner, acceptor: Some(acceptor) }
    }

    /// Always answers 200.
    pub fn ok() -> Self {
        Self::start(Vec::new(), Reply::ok())
    }

    /// `http://127.0.0.1:PORT`, without a path.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request read in full, whatever the answer.
    pub fn requests(&self) -> Vec<Request> {
        self.inner.requests.lock().unwrap().clone()
    }

    /// Requests whose headers were read (including those cut short).
    pub fn started(&self) -> usize {
        self.inner.started.load(SeqCst)
    }

    /// Every request the collector committed to an answer for: before
    /// writing a status answer (as a real collector stores a batch before
    /// saying 200), before the last byte of a dripped one.
    pub fn answered(&self) -> Vec<Answered> {
        self.inner.answered.lock().unwrap().clone()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.inner.connections.load(SeqCst)
    }

    /// Events (`"message_id":` keys, in the body inflated when gzipped) in
    /// requests answered 2xx so far.
    pub fn events_accepted(&self) -> u64 {
        self.inner.events.load(SeqCst)
    }

    /// Whether to keep requests for [`Collector::requests`] and
    /// [`Collector::answered`] (default true; load tests count only).
    pub fn keep_requests(&self, keep: bool) {
        self.inner.keep.store(keep, SeqCst);
    }

    /// Answers `reply` from now on (after the script).
    pub fn set_reply(&self, reply: Reply) {
        *self.inner.default.lock().unwrap() = reply;
    }

    /// Waits this long before each answer (a slow collector).
    pub fn set_delay(&self, d: Duration) {
        *self.inner.delay.lock().unwrap() = d;
    }

    /// Stops listening and closes every connection, as a crashed or
    /// restarting collector would. Idempotent.
    pub fn stop(&mut self) {
        self.inner.stop.store(true, SeqCst);
        if let Some(a) = self.acceptor.take() {
            let _ = TcpStream::connect(self.addr);
            let _ = a.join();
        }
        for (_, c) in self.inner.open.lock().unwrap().drain() {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A loopback address that was free a moment ago: nothing listens there,
/// so connections are refused (until a [`Collector::start_at`] on it).
///
/// ```
/// let addr = telemetry_testkit::free_addr();
/// let err = std::net::TcpStream::connect(addr).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
/// ```
pub fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("bind 127.0.0.1:0")
}

/// Answers the requests of one connection until the reply or the peer closes it.
fn serve(mut stream: TcpStream, i: &Inner) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    loop {
        let Some(head) = request::read_head(&mut stream) else { return };
        i.started.fetch_add(1, SeqCst);
        let reply = i.script.lock().unwrap().pop_front().unwrap_or_else(|| i.default.lock().unwrap().clone());
        if let Reply::ResetMidRequest = reply {
            let mut half = vec![0; head.len / 2];
            let _ = stream.read_exact(&mut half);
            // Dropping the socket with unread data makes the kernel send RST.
            return;
        }
        let mut wire = vec![0; head.len];
        if stream.read_exact(&mut wire).is_err() {
            return;
        }
        let (body, encoding) = request::decode(&head.headers, wire);
        let (reply, n_events) = match encoding {
            // Refused, as a real collector refuses a body it cannot read: never counted.
            Encoding::Undecodable(_) => (Reply::Status(400, Vec::new()), 0),
            _ => (reply, body.windows(13).filter(|w| w == b"\"message_id\":").count() as u64),
        };
        let keep = i.keep.load(SeqCst);
        let request = Request {
            method: head.method,
            path: head.path,
            headers: head.headers,
            body: if keep { body } else { Vec::new() },
            encoding,
            wire_len: head.len,
            at: Instant::now(),
        };
        if keep {
            i.requests.lock().unwrap().push(request.clone());
        }
        let delay = *i.delay.lock().unwrap();
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        let commit = |status: u16| {
            if (200..300).contains(&status) {
                i.events.fetch_add(n_events, SeqCst);
            }
            if keep {
                i.answered.lock().unwrap().push(Answered { request, status, done: Instant::now() });
            }
        };
        if let Next::Close = reply::play(reply, &mut stream, &i.stop, commit) {
            return;
        }
    }
}
