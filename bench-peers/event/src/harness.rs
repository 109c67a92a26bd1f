//! The bench modes every system's `peer-*-bench` binary runs, so each
//! system is timed by the same loop. One line of `key=value` results on
//! stdout, parsed by the runner.
//!
//! `peer-X-bench record --url U [--format F] [--runs R] [--per-run K]`:
//! the caller's cost per event (build the event with both HMACs, hand it
//! over), median over R runs of K events, the worker delivering to the
//! collector at U; each run is followed by an untimed flush, so the queue
//! never fills (a dropped event would skip work and flatter the figure).
//!
//! `peer-X-bench burst --url U [--format F] [--events N] [--raise]`: N events
//! as fast as the caller can, then a flush; seconds from the first event to
//! the end of the flush, and the process's peak RSS over its RSS before the
//! burst. `--raise` sizes the system's queue to hold the whole burst;
//! `--gzip` (either mode) gzips request bodies, where the system can.

use std::time::Instant;

/// One system under test, configured by [`Options`].
pub trait System {
    /// Builds one event (both HMACs included) and hands it to the system.
    fn record(&mut self);
    /// Blocks until everything recorded so far is delivered or given up.
    fn flush(&mut self);
    /// Shuts the system down; its own counters, if it keeps any.
    fn finish(self: Box<Self>) -> String;
}

/// What the runner asks of a system.
#[derive(Debug, Clone)]
pub struct Options {
    /// The collector's URL (the system appends nothing).
    pub url: String,
    /// Wire format, for systems that have several (`posthog`, `otlp`, `otlp-proto`).
    pub format: String,
    /// When set, the queue must hold this many events.
    pub queue: Option<usize>,
    /// `--gzip`: request bodies gzipped (`Content-Encoding: gzip`), where the system offers it.
    pub gzip: bool,
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn number(args: &[String], name: &str, default: usize) -> usize {
    flag(args, name)
        .map_or(default, |v| v.parse().unwrap_or_else(|_| fail(&format!("{name} takes a number, got `{v}`"))))
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}

/// A `/proc/self/status` figure in KiB (`VmRSS`, `VmHWM`); 0 where there is no procfs.
pub fn proc_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix(key)?.strip_prefix(':').map(|v| v.trim().trim_end_matches(" kB").to_string())
            })
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs the mode named on the command line against the system `make` builds.
pub fn main(make: impl FnOnce(&Options) -> Box<dyn System>) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().cloned().unwrap_or_else(|| fail("usage: record|burst --url URL [options]"));
    let url = flag(&args, "--url").unwrap_or_else(|| fail("--url is required"));
    let format = flag(&args, "--format").unwrap_or_else(|| "posthog".into());
    let gzip = args.iter().any(|a| a == "--gzip");
    match mode.as_str() {
        "record" => {
            let (runs, per_run) = (number(&args, "--runs", 200), number(&args, "--per-run", 500));
            let mut sys = make(&Options { url, format, queue: None, gzip });
            let mut per_event = Vec::with_capacity(runs);
            for run in 0..=runs {
                let start = Instant::now();
                for _ in 0..per_run {
                    sys.record();
                }
                let took = start.elapsed();
                sys.flush();
                // Run 0 warms up (connection, allocator, page faults).
                if run > 0 {
                    per_event.push(took.as_nanos() as f64 / per_run as f64);
                }
            }
            let stats = sys.finish();
            let m = median(&mut per_event);
            println!(
                "record runs={runs} per_run={per_run} median_ns={m:.1} min_ns={:.1} max_ns={:.1} stats={stats}",
                per_event[0],
                per_event[per_event.len() - 1]
            );
        }
        "burst" => {
            let events = number(&args, "--events", 100_000);
            let queue = args.iter().any(|a| a == "--raise").then_some(events);
            let mut sys = make(&Options { url, format, queue, gzip });
            let rss_before = proc_kib("VmRSS");
            let start = Instant::now();
            for _ in 0..events {
                sys.record();
            }
            let caller = start.elapsed();
            sys.flush();
            let took = start.elapsed();
            let hwm = proc_kib("VmHWM");
            let stats = sys.finish();
            println!(
                "burst events={events} secs={:.6} caller_secs={:.6} rss_before_kib={rss_before} hwm_kib={hwm} stats={stats}",
                took.as_secs_f64(),
                caller.as_secs_f64()
            );
        }
        other => fail(&format!("unknown mode `{other}`: record or burst")),
    }
}
