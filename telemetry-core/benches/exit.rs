//! Where exit's time goes with the collector up (issue 24): each step of a
//! CLI's telemetry run timed in a fresh process, as a CLI meets it.
//!
//! The parent starts the loopback collector of `telemetry-testkit` and runs
//! this binary again as a child for every sample, the cases interleaved
//! (case A, case B, ..., case A, ...), so that a busy moment of a shared
//! machine falls on every case alike. Each child prints its steps in
//! microseconds; the parent prints the median of each, and the whole
//! process's wall time as the parent saw it (spawn to exit).
//!
//! The cases:
//! - `none`: a process that starts and exits (the baseline).
//! - `off`: `build()` with `DO_NOT_TRACK=1` (consent only).
//! - `<format>`: the real path with the collector up: `build()` (consent,
//!   state read and lock, identity, the worker thread started), `record()`,
//!   and dropping the handle (the shutdown: the exiting thread opens its
//!   own HTTP client, connects, sends and reads the answer, since the
//!   worker has not taken the batch: `delivery/exit.rs`).
//! - `steps`: the worker's steps one after another on their own, with the
//!   crates and settings the transport uses (`transport/http/mod.rs`): a
//!   thread's start, the HTTP client's construction (ureq's agent: its TLS
//!   configuration waits for a first https connection), a first request
//!   (connect, send, answer), a second on the same connection, and dropping
//!   the client.
//!
//! `cargo bench -p telemetry-core --bench exit -- [--runs N]`

#[path = "support.rs"]
mod support;
// The transport's client, so that `steps` opens and connects as the worker does.
#[allow(dead_code)] // its unit test's helper
#[path = "../src/transport/http/client.rs"]
mod client;

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use support::*;
use telemetry_core::{EnvSource, Telemetry, TestBuilder, WireFormat};
use telemetry_testkit::Collector;

const FORMATS: [WireFormat; 3] = [WireFormat::PostHog, WireFormat::Otlp, WireFormat::OtlpProtobuf];

fn micros(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e6
}

/// A builder as a CLI sets one up, its state in `dir` (made by a first run).
/// The shutdown deadline is raised from 100 ms so that on a loaded machine
/// a slow sample is measured, not spooled (which would end the bench).
fn builder(dir: &str, url: &str, format: WireFormat, env: &[(&str, &str)]) -> TestBuilder {
    let b = Telemetry::builder(&BENCH_APP).app_version("1.0.0").state_dir(dir).notice(false).endpoint(url, format);
    let b = b.shutdown_deadline(Duration::from_secs(10));
    let b = if format.needs_api_key() { b.api_key("phc_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG") } else { b };
    b.with_test_knobs().env(EnvSource::from_pairs(env.iter().copied()))
}

/// The child: one case, its steps printed as `step=µs` on one line.
fn child(case: &str, dir: &str, url: &str) {
    let mut steps: Vec<(&str, f64)> = Vec::new();
    match case {
        "none" => {}
        "off" => {
            let t0 = Instant::now();
            let t = builder(dir, url, WireFormat::PostHog, &[("DO_NOT_TRACK", "1")]).build().unwrap();
            steps.push(("build", micros(t0)));
            let t0 = Instant::now();
            drop(t);
            steps.push(("drop", micros(t0)));
        }
        "steps" => worker_steps(url, &mut steps),
        format => {
            let format = WireFormat::parse(format).unwrap();
            let e = build_finished();
            let t0 = Instant::now();
            let t = builder(dir, &format!("{url}{}", path(format)), format, &[]).build().unwrap();
            steps.push(("build", micros(t0)));
            let t1 = Instant::now();
            t.record(&e);
            steps.push(("record", micros(t1)));
            let t1 = Instant::now();
            let stats = t.shutdown();
            steps.push(("shutdown", micros(t1)));
            steps.push(("total", micros(t0)));
            assert_eq!((stats.sent, stats.spooled), (1, 0), "{stats:?}");
        }
    }
    let line: Vec<String> = steps.iter().map(|(k, v)| format!("{k}={v:.0}")).collect();
    println!("steps {}", line.join(" "));
}

/// The worker's steps, each on its own, as `transport/http/mod.rs` takes them.
fn worker_steps(url: &str, steps: &mut Vec<(&'static str, f64)>) {
    let t0 = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    let h = std::thread::Builder::new().name("t".into()).spawn(move || tx.send(Instant::now())).unwrap();
    let started = rx.recv().unwrap();
    steps.push(("thread_start", started.duration_since(t0).as_secs_f64() * 1e6));
    let _ = h.join();
    let t0 = Instant::now();
    let agent = client::agent(Duration::from_secs(10), None);
    steps.push(("client_build", micros(t0)));
    let url = format!("{url}/batch/");
    for step in ["first_request", "second_request"] {
        let t0 = Instant::now();
        let mut r = agent.post(&url).header("content-type", "application/json").send("{\"batch\":[]}").unwrap();
        assert!(r.status().is_success());
        // Read to its end, as the transport does, so that the connection is reused.
        r.body_mut().read_to_vec().unwrap();
        steps.push((step, micros(t0)));
    }
    let t0 = Instant::now();
    drop(agent);
    steps.push(("client_drop", micros(t0)));
}

fn path(format: WireFormat) -> &'static str {
    match format {
        WireFormat::PostHog => "/batch/",
        _ => "/v1/logs",
    }
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        return child(&args[i + 1], &args[i + 2], &args[i + 3]);
    }
    let runs = arg("--runs", 41);
    let collector = Collector::ok();
    collector.keep_requests(false);
    let dir = state_dir("exit");
    let dir = dir.to_str().unwrap();
    let mut cases: Vec<String> = ["none", "off", "steps"].map(String::from).into();
    cases.extend(FORMATS.iter().map(|f| f.name().to_string()));
    let me = std::env::current_exe().unwrap();
    // case -> step -> samples (µs); "process" is the parent's spawn-to-exit.
    let mut figures: BTreeMap<&str, BTreeMap<String, Vec<f64>>> = BTreeMap::new();
    // One warm-up round: the state dir's first run (identity, key) is not a CLI's usual run.
    for round in 0..=runs {
        for case in &cases {
            let t0 = Instant::now();
            let out = Command::new(&me).args(["--child", case, dir, &collector.url()]).output().unwrap();
            let wall = micros(t0);
            assert!(out.status.success(), "{case}: {}", String::from_utf8_lossy(&out.stderr));
            if round == 0 {
                continue;
            }
            let text = String::from_utf8_lossy(&out.stdout);
            let line = text.lines().find_map(|l| l.strip_prefix("steps")).unwrap_or("");
            let fig = figures.entry(case).or_default();
            fig.entry("process".into()).or_default().push(wall);
            for (k, v) in line.split_whitespace().filter_map(|kv| kv.split_once('=')) {
                fig.entry(k.into()).or_default().push(v.parse().unwrap());
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("Exit steps, medians of {runs} fresh processes per case (µs), cases interleaved; load average {load}");
    println!("| case | step | median µs | min µs |");
    println!("| --- | --- | ---: | ---: |");
    for case in &cases {
        for (step, v) in figures.get_mut(case.as_str()).into_iter().flatten() {
            let min = v.iter().copied().fold(f64::INFINITY, f64::min);
            println!("| {case} | {step} | {:.0} | {min:.0} |", median(v));
        }
    }
}
