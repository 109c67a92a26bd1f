//! Test support: a real HTTP/1.1 collector on 127.0.0.1 (std only, one
//! thread per connection), hand-written events for the example schema, and
//! temp dirs. Not a mock of the client: reqwest talks to it over TCP.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use telemetry_core::meta::{AppMeta, Collect, EnvSwitch, EventMeta, FieldMeta, SwitchAction, Trigger};
use telemetry_core::{PropertyWriter, TelemetryEvent};

/// How the collector answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A status code and extra headers, with body `{}`.
    Status(u16, Vec<(&'static str, String)>),
    /// Read the request, never answer (until the collector is dropped, or 20 s).
    Hang,
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

struct Inner {
    requests: Mutex<Vec<Request>>,
    connections: AtomicUsize,
    script: Mutex<VecDeque<Reply>>,
    default: Reply,
    stop: AtomicBool,
}

/// A collector listening on 127.0.0.1.
pub struct Collector {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
}

impl Collector {
    /// Answers with `script` in order, then `default` for every later request.
    pub fn start(script: Vec<Reply>, default: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let inner = Arc::new(Inner {
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            script: Mutex::new(script.into()),
            default,
            stop: AtomicBool::new(false),
        });
        let i = inner.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if i.stop.load(SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                i.connections.fetch_add(1, SeqCst);
                let i = i.clone();
                std::thread::spawn(move || serve(stream, &i));
            }
        });
        Collector { addr, inner }
    }

    /// Always answers 200.
    pub fn ok() -> Self {
        Self::start(Vec::new(), Reply::Status(200, Vec::new()))
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.inner.requests.lock().unwrap().clone()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.inner.connections.load(SeqCst)
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.inner.stop.store(true, SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(stream: TcpStream, i: &Inner) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    let mut out = stream.try_clone().unwrap();
    let mut r = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if r.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
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
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        i.requests.lock().unwrap().push(Request { method, path, headers, body, at: Instant::now() });
        let reply = i.script.lock().unwrap().pop_front().unwrap_or_else(|| i.default.clone());
        match reply {
            Reply::Hang => {
                let guard = Instant::now();
                while !i.stop.load(SeqCst) && guard.elapsed() < Duration::from_secs(20) {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return;
            }
            Reply::Status(code, extra) => {
                let mut resp = format!("HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: 2\r\n");
                for (k, v) in extra {
                    resp.push_str(&format!("{k}: {v}\r\n"));
                }
                resp.push_str("\r\n{}");
                if out.write_all(resp.as_bytes()).is_err() {
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
};

/// The `command_run` event, as the derive would write it.
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
pub static FOREIGN: EventMeta = EventMeta { app: "other-app", name: "command_run", fields: &[] };
impl TelemetryEvent for Foreign {
    const META: &'static EventMeta = &FOREIGN;
    fn write_properties(&self, _: &mut PropertyWriter<'_>) {}
}

/// The install's key and anonymous id, from its state file.
pub fn state_of(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("state.json")).unwrap()).unwrap()
}
