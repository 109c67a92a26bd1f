//! Test support: a real HTTP/1.1 collector on 127.0.0.1 (std only, one
//! thread per connection), hand-written events for the example schema, and
//! temp dirs. Not a mock of the client: reqwest talks to it over TCP.
//!
//! The collector can be switched between answers while it runs
//! ([`Collector::set_reply`]), stopped and restarted on the same port, and
//! keeps a log of what it answered, so that fault tests can tell a batch it
//! accepted (a 2xx answer) from one it only saw.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use telemetry_core::meta::{AppMeta, Collect, EnvSwitch, EventMeta, FieldMeta, SwitchAction, Trigger};
use telemetry_core::{PropertyWriter, TelemetryEvent};

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
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }
}

/// A request the collector committed to answering, with the status and when.
#[derive(Debug, Clone)]
pub struct Answered {
    pub request: Request,
    pub status: u16,
    pub done: Instant,
}

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

/// A collector listening on 127.0.0.1.
pub struct Collector {
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
                Err(e) if t0.elapsed() < Duration::from_secs(5) => {
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(20));
                }
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
        Self::start(Vec::new(), Reply::Status(200, Vec::new()))
    }

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

    /// Events (`"message_id":` keys) in requests answered 2xx so far.
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

/// Reads one CRLF-terminated line a byte at a time, so that nothing past
/// the headers is taken from the socket (see [`Reply::ResetMidRequest`]).
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

fn serve(mut stream: TcpStream, i: &Inner) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    loop {
        let Some(line) = read_line(&mut stream) else { return };
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        loop {
            let Some(h) = read_line(&mut stream) else { return };
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
        i.started.fetch_add(1, SeqCst);
        let reply = i.script.lock().unwrap().pop_front().unwrap_or_else(|| i.default.lock().unwrap().clone());
        if let Reply::ResetMidRequest = reply {
            let mut half = vec![0; len / 2];
            let _ = stream.read_exact(&mut half);
            // Dropping the socket with unread data makes the kernel send RST.
            return;
        }
        let mut body = vec![0; len];
        if stream.read_exact(&mut body).is_err() {
            return;
        }
        let n_events = body.windows(13).filter(|w| w == b"\"message_id\":").count() as u64;
        let keep = i.keep.load(SeqCst);
        let request = Request { method, path, headers, body: if keep { body } else { Vec::new() }, at: Instant::now() };
        if keep {
            i.requests.lock().unwrap().push(request.clone());
        }
        let delay = *i.delay.lock().unwrap();
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        let answered = |status: u16| {
            if (200..300).contains(&status) {
                i.events.fetch_add(n_events, SeqCst);
            }
            if keep {
                i.answered.lock().unwrap().push(Answered { request: request.clone(), status, done: Instant::now() });
            }
        };
        match reply {
            Reply::Hang => {
                let guard = Instant::now();
                while !i.stop.load(SeqCst) && guard.elapsed() < Duration::from_secs(20) {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return;
            }
            Reply::Close | Reply::ResetMidRequest => return,
            Reply::Status(code, extra) => {
                answered(code);
                if stream.write_all(&response(code, &extra, b"{}")).is_err() {
                    return;
                }
            }
            Reply::Drip(every) => {
                let bytes = response(200, &[], format!("{{\"ok\":true,\"pad\":\"{}\"}}", "-".repeat(8)).as_bytes());
                let (last, rest) = bytes.split_last().unwrap();
                for b in rest {
                    if i.stop.load(SeqCst) || stream.write_all(&[*b]).is_err() {
                        return;
                    }
                    std::thread::sleep(every);
                }
                answered(200);
                if stream.write_all(&[*last]).is_err() {
                    return;
                }
            }
            Reply::CutMidResponse => {
                let mut bytes =
                    b"HTTP/1.1 200 X\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n".to_vec();
                bytes.extend_from_slice(b"{\"ok\":tru");
                answered(200);
                let _ = stream.write_all(&bytes);
                return;
            }
            Reply::Garbage200 => {
                let garbage: Vec<u8> = (0..64u8).map(|b| b.wrapping_mul(37) | 0x80).collect();
                answered(200);
                if stream.write_all(&response(200, &[], &garbage)).is_err() {
                    return;
                }
            }
        }
    }
}

/// A fresh path under the temp dir (not created).
pub fn temp_dir(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("telemetry-core-test-{tag}-{}-{}", std::process::id(), uuid_like()))
}

fn uuid_like() -> u128 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(Instant::now()) as u128
}

/// A `Write` that tests can read back.
#[derive(Clone, Default)]
pub struct Buf(pub Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buf {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

const fn field(name: &'static str, ty: &'static str, collect: Collect, required: bool) -> FieldMeta {
    FieldMeta { name, ty, collect, required }
}

/// `schemas/example-cli.yaml`, written out by hand.
pub static APP: AppMeta = AppMeta {
    name: "example-cli",
    title: "Example CLI",
    docs_url: Some("https://example.org/example-cli/telemetry"),
    anonymous_id_env: None,
    enabled_by_default: true,
    do_not_track: true,
    env: &[EnvSwitch {
        name: "EXAMPLE_CLI_DISABLE_TELEMETRY",
        trigger: Trigger::Truthy,
        action: SwitchAction::Disable,
    }],
    context: &[
        field("os", "string", Collect::Allowed, true),
        field("arch", "string", Collect::Allowed, true),
        field("app_version", "string", Collect::Allowed, true),
        field("ci", "bool", Collect::Allowed, true),
    ],
    events: &["command_run", "telemetry_changed"],
    fingerprint: telemetry_core::meta::Fingerprint::NONE,
    schema_version: None,
};

/// Like [`APP`], with a log-only switch.
pub static LOGGING_APP: AppMeta = AppMeta {
    env: &[EnvSwitch { name: "TRACKING_STRATEGY", trigger: Trigger::Equals("logging"), action: SwitchAction::LogOnly }],
    ..APP
};

pub static COMMAND_RUN: EventMeta = EventMeta {
    app: "example-cli",
    name: "command_run",
    fields: &[
        field("command", "string", Collect::Allowed, true),
        field("duration_ms", "u64", Collect::Allowed, true),
        field("outcome", "enum", Collect::Allowed, true),
        field("exit_code", "i32", Collect::Allowed, true),
        field("project", "string", Collect::Hashed, true),
        field("flags", "list of string", Collect::Allowed, true),
        field("ci", "bool", Collect::Allowed, false),
    ],
    fingerprint: telemetry_core::meta::Fingerprint::NONE,
    expires: None,
};

/// The `command_run` event, as the derive would write it. Written by hand
/// (naming `__private::Derived`, outside the privacy guarantee) so these
/// tests of the runtime control every byte.
pub struct CommandRun<'a> {
    pub command: &'a str,
    pub duration_ms: u64,
    pub success: bool,
    pub exit_code: i32,
    pub project: &'a str,
    pub flags: Vec<&'a str>,
    pub ci: Option<bool>,
}

impl TelemetryEvent for CommandRun<'_> {
    const META: &'static EventMeta = &COMMAND_RUN;
    const DERIVED: telemetry_core::__private::Derived = telemetry_core::__private::DERIVED;
    fn write_properties(&self, w: &mut PropertyWriter<'_>) {
        w.str("command", self.command, Some(32));
        w.u64("duration_ms", self.duration_ms);
        w.str("outcome", if self.success { "success" } else { "failure" }, None);
        w.i64("exit_code", i64::from(self.exit_code));
        w.hashed("project", self.project);
        w.list("flags", |l| {
            for f in &self.flags {
                l.str(f, Some(32));
            }
        });
        if let Some(ci) = self.ci {
            w.bool("ci", ci);
        }
    }
}

/// A `command_run` numbered by `duration_ms`.
pub fn run(n: u64) -> CommandRun<'static> {
    CommandRun {
        command: "build",
        duration_ms: n,
        success: true,
        exit_code: 0,
        project: "acme-website",
        flags: vec!["release"],
        ci: None,
    }
}

/// The exact properties JSON of [`run`]`(n)` under `key_hex`.
pub fn run_properties(n: u64, key_hex: &str) -> String {
    let key: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&key_hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    let h = telemetry_core::Hasher::new(&key).hash_hex("acme-website");
    format!(
        r#"{{"command":"build","duration_ms":{n},"outcome":"success","exit_code":0,"project":"{h}","flags":["release"]}}"#
    )
}

/// An event of another app.
pub struct Foreign;
pub static FOREIGN: EventMeta = EventMeta {
    app: "other-app",
    name: "command_run",
    fields: &[],
    fingerprint: telemetry_core::__private::fingerprint(1),
    expires: None,
};
impl TelemetryEvent for Foreign {
    const META: &'static EventMeta = &FOREIGN;
    const DERIVED: telemetry_core::__private::Derived = telemetry_core::__private::DERIVED;
    fn write_properties(&self, _: &mut PropertyWriter<'_>) {}
}

/// The install's key and anonymous id, from its state file.
pub fn state_of(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("state.json")).unwrap()).unwrap()
}
