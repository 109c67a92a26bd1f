//! The endpoint policy covers proxies (issue 15, item 3): the runtime never
//! takes a proxy from `HTTP_PROXY`, `HTTPS_PROXY` or `ALL_PROXY`, and a proxy
//! the app sets with `Builder::proxy` passes the same policy as the endpoint
//! (`https://`, or plain `http://` to loopback only).
//!
//! The HTTP client (ureq, left to its defaults) reads the proxy variables
//! from the process environment, not from the injected `EnvSource`, and
//! setting them in a multi-threaded test is not sound; so the test runs
//! itself again as a child process with them set.
#![cfg(feature = "http")]

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use common::*;
use telemetry_core::{BuildError, EnvSource, Retry, Telemetry, WireFormat};
use telemetry_testkit::*;

/// Set in the child: the collector's URL.
const CHILD_VAR: &str = "TELEMETRY_PROXY_TEST_COLLECTOR";

/// A "proxy" on 127.0.0.1 that counts the connections it gets and answers
/// none of them: any connection means the runtime used it.
struct Trap {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl Trap {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let c = connections.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                c.fetch_add(1, SeqCst);
                // Drain what the client sends, then close without answering.
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                    let _ = stream.read(&mut [0u8; 4096]);
                });
            }
        });
        Trap { url, connections }
    }
}

fn telemetry(collector: &str, dir: &std::path::Path) -> telemetry_core::TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.0.0")
        .endpoint(collector, WireFormat::Native)
        .state_dir(dir)
        .notice(false)
        .retry(Retry::default().with_request_timeout(Duration::from_secs(2)))
        .shutdown_deadline(Duration::from_secs(3))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
}

/// The child's half: records 3 events to the collector named in its
/// environment, with the proxy variables set by the parent.
fn child(collector: &str) {
    let dir = temp_dir("proxy-child");
    let t = telemetry(collector, &dir).build().unwrap();
    for n in 0..3 {
        t.record(&run(n));
    }
    let s = t.shutdown();
    println!("stats: recorded {} sent {} spooled {} dropped {}", s.recorded, s.sent, s.spooled, s.dropped);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn proxy_variables_are_never_used() {
    if let Ok(collector) = std::env::var(CHILD_VAR) {
        return child(&collector);
    }
    let collector = Collector::ok();
    let trap = Trap::start();
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["proxy_variables_are_never_used", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, collector.url())
        .env("HTTP_PROXY", &trap.url)
        .env("http_proxy", &trap.url)
        .env("HTTPS_PROXY", &trap.url)
        .env("ALL_PROXY", &trap.url)
        .env("all_proxy", &trap.url)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("stats: recorded 3 sent 3 spooled 0 dropped 0"), "{stdout}");
    assert_eq!(collector.events_accepted(), 3);
    assert_eq!(trap.connections.load(SeqCst), 0, "the proxy from the environment was used");
}

#[test]
fn an_explicit_proxy_passes_the_endpoint_policy() {
    let dir = temp_dir("proxy-policy");
    let build = |proxy: &str| {
        telemetry("https://collector.example.org/ingest", &dir).settings(|b| b.proxy(proxy)).build().map(drop)
    };
    assert_eq!(
        build("http://proxy.example.org:3128"),
        Err(BuildError::InsecureProxy { url: "http://proxy.example.org:3128".into() })
    );
    assert_eq!(
        build("http://proxy.example.org:3128").unwrap_err().to_string(),
        "telemetry proxy \"http://proxy.example.org:3128\" uses plain http to a host that is not loopback: \
         events would reach it unencrypted; use an https:// proxy, or http:// only to 127.0.0.1, localhost or [::1]"
    );
    assert_eq!(
        build("socks5://proxy.example.org:1080"),
        Err(BuildError::InvalidProxy {
            url: "socks5://proxy.example.org:1080".into(),
            reason: "scheme \"socks5\" is not https".into()
        })
    );
    // Refused on every machine, whether or not telemetry is on here.
    let off = Telemetry::builder(&APP)
        .endpoint("https://collector.example.org/ingest", WireFormat::Native)
        .proxy("http://10.0.0.1:3128")
        .with_test_knobs()
        .env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")]))
        .build();
    assert_eq!(off.map(drop), Err(BuildError::InsecureProxy { url: "http://10.0.0.1:3128".into() }));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_explicit_loopback_proxy_is_used() {
    let trap = Trap::start();
    let dir = temp_dir("proxy-explicit");
    // The collector's name never resolves: only the proxy can be reached.
    let t = telemetry("https://collector.invalid/ingest", &dir)
        .settings(|b| {
            b.proxy(&trap.url)
                .retry(Retry::default().with_request_timeout(Duration::from_millis(300)))
                .shutdown_deadline(Duration::from_millis(100))
        })
        .build()
        .unwrap();
    t.record(&run(1));
    let s = t.shutdown();
    assert!(trap.connections.load(SeqCst) >= 1, "the app's proxy was not used");
    assert_eq!((s.recorded, s.sent, s.spooled + s.dropped), (1, 0, 1));
    let _ = std::fs::remove_dir_all(&dir);
}
