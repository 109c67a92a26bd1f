//! `cargo run --release -p peer-runner -- [--quick]` (or `cargo xtask bench --peers`):
//! the peer bench of issue 13. Builds each system's package on its own,
//! starts the loopback collector, runs every measure, and prints the
//! markdown section (figures and ratios to telemetry-core) on stdout;
//! progress goes to stderr. Loopback only; every loop is bounded.
//!
//! For working on one measure: `-- --bursts [LABEL]` runs only the 100k
//! bursts, `-- --callers [LABEL]` only the caller cost, one run each, a
//! line per system (LABEL: the systems whose label contains it).
//! `-- --bytes [LABEL]` prints the bytes per event each system sends (request
//! lines, headers and bodies as the collector read them), for one event in
//! a run and for a batch of 500, at the system's defaults and with gzip (the
//! full run has the same table, and issue 24's targets). `-- --distant
//! [LABEL]` only the distant-collector rows (`distant.rs`). `-- --exits`
//! only the exit rows with the collector up, every system, as the full run
//! takes them, against both of the collector's orders (answer then count, as
//! the full run; count then answer). `-- --serve` runs the collector alone
//! and prints its URL, for timing or tracing one system by hand.
#![forbid(unsafe_code)]

mod bytes;
mod collector;
mod distant;
mod measure;
mod report;
mod systems;

use std::time::Instant;

use collector::Collector;
use measure::{Timing, num};
use report::{Burst, Figures, Run};
use systems::{ALL, NONE_CLI};

/// How many of everything (`--quick`: fewer, and no clean builds).
struct Plan {
    quick: bool,
    record_runs: usize,
    per_run: usize,
    burst_events: usize,
    burst_runs: usize,
    exit_runs: usize,
    /// Runs of each minimal CLI counted against the distant collector.
    distant_runs: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--bursts [LABEL]`, `--callers [LABEL]`: LABEL keeps the systems whose label contains it.
    let mode =
        args.iter().position(|a| matches!(a.as_str(), "--bursts" | "--callers" | "--bytes" | "--distant" | "--exits"));
    let only = mode.and_then(|i| args.get(i + 1)).cloned();
    if let Some(bad) = args.iter().find(|a| {
        !matches!(a.as_str(), "--quick" | "--bursts" | "--callers" | "--bytes" | "--distant" | "--exits" | "--serve")
            && Some(*a) != only.as_ref()
    }) {
        eprintln!(
            "error: unknown option `{bad}` (options: --quick, --bursts [LABEL], --callers [LABEL], --bytes [LABEL], --distant [LABEL], --exits, --serve)"
        );
        std::process::exit(2);
    }
    if args.iter().any(|a| a == "--bytes") {
        if let Err(e) = bytes_only(only.as_deref().unwrap_or("")) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    if args.iter().any(|a| a == "--serve") {
        // The loopback collector alone, for timing or tracing one system by hand.
        match Collector::ok() {
            Ok(c) => {
                println!("http://127.0.0.1:{}/", c.port);
                loop {
                    std::thread::park();
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    }
    if args.iter().any(|a| a == "--exits") {
        if let Err(e) = exits_only() {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    if args.iter().any(|a| a == "--distant") {
        if let Err(e) = distant_only(only.as_deref().unwrap_or("")) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    if args.iter().any(|a| a == "--callers") {
        // Only the caller cost, 200 runs of 500 events, a line per system.
        if let Err(e) = callers_only(only.as_deref().unwrap_or("")) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    if args.iter().any(|a| a == "--bursts") {
        // Only the 100k bursts, one run each, a line per system: for working on delivery.
        if let Err(e) = bursts_only(only.as_deref().unwrap_or("")) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    let plan = if quick {
        Plan {
            quick,
            record_runs: 30,
            per_run: 500,
            burst_events: 100_000,
            burst_runs: 1,
            exit_runs: 10,
            distant_runs: 10,
        }
    } else {
        Plan {
            quick,
            record_runs: 200,
            per_run: 500,
            burst_events: 100_000,
            burst_runs: 3,
            exit_runs: 40,
            distant_runs: 20,
        }
    };
    match run(&plan) {
        Ok(md) => print!("{md}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

fn run(plan: &Plan) -> Result<String, String> {
    let started = Instant::now();
    let load_before = measure::load_average();
    measure::ensure_hyperfine()?;
    let mut pkgs: Vec<&str> = ALL.iter().map(|s| s.pkg).collect();
    pkgs.dedup();
    pkgs.push("peer-none");
    for p in &pkgs {
        measure::build(p)?;
    }
    let mut figs: Vec<Figures> = ALL.iter().map(|_| Figures::default()).collect();

    // Exit first, on a quiet machine and against a collector that has
    // served nothing else. Measured after the bursts (as until stop 33),
    // the no-telemetry CLI itself exited 0.45 ms slower (1.9 ms against
    // 1.44 in `--exits` a minute later), and the senders, talking to a
    // collector that had just taken 1.2 million events, more than that.
    let up = Collector::ok().map_err(|e| e.to_string())?;
    let hang = Collector::hanging().map_err(|e| e.to_string())?;
    let down = collector::refused_port().map_err(|e| e.to_string())?;
    let state = std::env::temp_dir().join(format!("peer-exit-{}", std::process::id()));
    let exit = |bin: &str, args: Vec<String>, case: &str, extra: &[(&str, &str)]| -> Result<Timing, String> {
        let dir = state.join(format!("{bin}-{case}"));
        let mut env = vec![("BENCH_TELEMETRY_DIR".to_string(), dir.display().to_string())];
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        eprintln!("peers: exit, {bin} {case}");
        let first = measure::probe(bin, &args, &env)?;
        // A case that takes seconds (a peer waiting out its own timeout) gets 3 runs, not 40.
        let t = if first > 2000.0 {
            measure::hyperfine(bin, &args, &env, 3, 0)?
        } else {
            measure::hyperfine(bin, &args, &env, plan.exit_runs, 3)?
        };
        let _ = std::fs::remove_dir_all(&dir);
        Ok(t)
    };
    let (none, ups) = exits_up_interleaved(&up, plan.exit_runs, &state)?;
    let core_off = exit(&ALL[0].cli(), ALL[0].cli_args(up.port), "off", &[("DO_NOT_TRACK", "1")])?;
    for ((s, f), t) in ALL.iter().zip(figs.iter_mut()).zip(ups) {
        f.exit_up = Some(t);
        f.exit_down = Some(exit(&s.cli(), s.cli_args(down), "down", &[])?);
        f.exit_hang = Some(exit(&s.cli(), s.cli_args(hang.port), "hanging", &[])?);
    }
    for (s, f) in ALL.iter().zip(figs.iter_mut()) {
        for d in distant::DELAYS {
            f.distant.push(distant::measure(s, d, plan.exit_runs, plan.distant_runs, &state)?);
        }
    }
    let _ = std::fs::remove_dir_all(&state);

    let settled = Collector::settled().map_err(|e| e.to_string())?;
    let up = Collector::ok().map_err(|e| e.to_string())?;

    for (s, f) in ALL.iter().zip(figs.iter_mut()) {
        eprintln!("peers: caller cost, {}", s.label);
        let mut a = vec!["record".into(), "--url".into(), s.url(settled.port)];
        a.extend(s.format.iter().flat_map(|f| ["--format".to_string(), f.to_string()]));
        a.extend(["--runs".into(), plan.record_runs.to_string(), "--per-run".into(), plan.per_run.to_string()]);
        let r = measure::bench(&s.bench(), &a, "record")?;
        f.record_ns = Some(num(&r, "median_ns")?);
        f.record_stats = r.get("stats").cloned();
    }
    for (s, f) in ALL.iter().zip(figs.iter_mut()) {
        eprintln!("peers: bytes per event, {}", s.label);
        f.bytes = Some(bytes::measure(s, &settled)?);
    }

    for raise in [false, true] {
        for (s, f) in ALL.iter().zip(figs.iter_mut()) {
            eprintln!("peers: 100k burst{}, {}", if raise { " (queue raised)" } else { "" }, s.label);
            let mut runs = Vec::new();
            for _ in 0..plan.burst_runs {
                up.counts.reset();
                let mut a = vec!["burst".into(), "--url".into(), s.url(up.port)];
                a.extend(s.format.iter().flat_map(|f| ["--format".to_string(), f.to_string()]));
                a.extend(["--events".into(), plan.burst_events.to_string()]);
                if raise {
                    a.push("--raise".into());
                }
                let r = measure::bench(&s.bench(), &a, "burst")?;
                // The sender has exited: everything it delivered has been answered and counted.
                let delivered = settled_count(&up);
                let secs = num(&r, "secs")?;
                runs.push(Burst {
                    events: plan.burst_events as u64,
                    delivered,
                    rate: delivered as f64 / secs,
                    rss_growth_mib: (num(&r, "hwm_kib")? - num(&r, "rss_before_kib")?) / 1024.0,
                    stats: r.get("stats").cloned().unwrap_or_default(),
                });
            }
            let b = Burst::median(runs);
            if raise { f.burst_raised = Some(b) } else { f.burst_default = Some(b) }
        }
    }

    for (i, s) in ALL.iter().enumerate() {
        figs[i].size = Some(measure::size(&s.cli())?);
        // telemetry-core's two columns are one binary: build it once.
        let same = ALL[..i].iter().position(|o| o.pkg == s.pkg);
        figs[i].build_secs = match same {
            Some(j) => figs[j].build_secs,
            None if plan.quick => None,
            None => Some(measure::clean_build(s.pkg, &s.cli())?),
        };
    }
    let none_size = measure::size(NONE_CLI)?;

    Ok(report::render(&Run {
        figs,
        none,
        core_off,
        none_size,
        quick: plan.quick,
        record_runs: plan.record_runs,
        per_run: plan.per_run,
        burst_runs: plan.burst_runs,
        exit_runs: plan.exit_runs,
        distant_runs: plan.distant_runs,
        secs: started.elapsed().as_secs_f64(),
        load_before,
        load_after: measure::load_average(),
    }))
}

/// Exit with the collector up, for the no-telemetry CLI (returned first)
/// and every system, in rounds of 10 runs (each after 3 warm-ups) taking
/// turns, `runs` in all per CLI. Each "over no telemetry" figure compares
/// runs made minutes apart otherwise: the systems measured first, right
/// after the bursts, came out up to 0.6 ms slower than the same code
/// measured last (two full runs), while `perf stat` counted the same CPU
/// time and page faults for all three telemetry-core wires.
fn exits_up_interleaved(
    up: &Collector,
    runs: usize,
    state: &std::path::Path,
) -> Result<(measure::Timing, Vec<measure::Timing>), String> {
    let mut cases: Vec<(String, Vec<String>)> = vec![(NONE_CLI.to_string(), Vec::new())];
    cases.extend(ALL.iter().map(|s| (s.cli(), s.cli_args(up.port))));
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let per_round = runs.min(10);
    for round in 0..runs.div_ceil(per_round) {
        for (i, (bin, args)) in cases.iter().enumerate() {
            let n = per_round.min(runs - round * per_round);
            let dir = state.join(format!("{bin}-up-{i}"));
            let env = [("BENCH_TELEMETRY_DIR".to_string(), dir.display().to_string())];
            eprintln!("peers: exit, {bin} up, round {}", round + 1);
            times[i].extend(measure::hyperfine_times(bin, args, &env, n, 3)?);
        }
    }
    for (i, (bin, _)) in cases.iter().enumerate() {
        let _ = std::fs::remove_dir_all(state.join(format!("{bin}-up-{i}")));
    }
    let mut all = times.into_iter().map(measure::Timing::of);
    let none = all.next().ok_or("no baseline")?;
    Ok((none, all.collect()))
}

/// `--bursts [LABEL]`: each system's 100k burst at defaults and with its queue
/// raised, one run each, printed as they come (not a report: no medians).
fn bursts_only(only: &str) -> Result<(), String> {
    let systems: Vec<_> = ALL.iter().filter(|s| s.label.contains(only)).collect();
    for s in &systems {
        measure::build(s.pkg)?;
    }
    let up = Collector::ok().map_err(|e| e.to_string())?;
    for raise in [false, true] {
        for s in &systems {
            up.counts.reset();
            let mut a = vec!["burst".into(), "--url".into(), s.url(up.port)];
            a.extend(s.format.iter().flat_map(|f| ["--format".to_string(), f.to_string()]));
            if raise {
                a.push("--raise".into());
            }
            let r = measure::bench(&s.bench(), &a, "burst")?;
            let delivered = settled_count(&up);
            let secs = num(&r, "secs")?;
            let rss = (num(&r, "hwm_kib")? - num(&r, "rss_before_kib")?) / 1024.0;
            println!(
                "{}{}: {:.0}k/s, {delivered} delivered, caller {:.3} s, peak RSS growth {rss:.1} MiB, {}",
                s.label,
                if raise { ", queue raised" } else { "" },
                delivered as f64 / secs / 1000.0,
                num(&r, "caller_secs")?,
                r.get("stats").map_or("", String::as_str)
            );
        }
    }
    Ok(())
}

/// `--bytes [LABEL]`: bytes per event on the wire, each system at its
/// defaults and with gzip (`--gzip`: where the system offers it): one event
/// in a run (a CLI's usual case), and 500 (one burst, batched as the system
/// batches). Bytes are deterministic but for the lengths of times and ids;
/// a markdown table on stdout.
fn bytes_only(only: &str) -> Result<(), String> {
    let systems: Vec<_> = ALL.iter().filter(|s| s.label.contains(only)).collect();
    for s in &systems {
        measure::build(s.pkg)?;
    }
    let up = Collector::settled().map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for s in &systems {
        rows.push((s.label, bytes::measure(s, &up)?));
    }
    print!("{}", bytes::table(&rows));
    Ok(())
}

/// `--distant [LABEL]`: each system against the distant collector (20 exit
/// runs, 10 counted runs per delay), a line each, with the no-telemetry
/// CLI's exit time beside.
fn distant_only(only: &str) -> Result<(), String> {
    let systems: Vec<_> = ALL.iter().filter(|s| s.label.contains(only)).collect();
    for s in &systems {
        measure::build(s.pkg)?;
    }
    measure::build("peer-none")?;
    let state = std::env::temp_dir().join(format!("peer-distant-{}", std::process::id()));
    println!("load average {}", measure::load_average());
    let none = measure::hyperfine(NONE_CLI, &[], &[], 20, 3)?;
    println!("no telemetry: exit {:.1} ms", none.median);
    for s in &systems {
        for d in distant::DELAYS {
            let r = distant::measure(s, d, 20, 10, &state)?;
            println!(
                "{}, collector after {d} ms: exit {:.1} ms ({:.1}–{:.1}), of {} runs' events {} arrived before exit, {} left for the next run",
                s.label, r.exit.median, r.exit.min, r.exit.max, r.runs, r.arrived, r.left
            );
        }
    }
    let _ = std::fs::remove_dir_all(&state);
    println!("load average {}", measure::load_average());
    Ok(())
}

/// `--exits`: the full run's collector-up exit rows (every system, rounds
/// taking turns: [`exits_up_interleaved`]), against a collector that
/// answers then counts (the full run's) and one that counts then answers.
fn exits_only() -> Result<(), String> {
    for s in &ALL {
        measure::build(s.pkg)?;
    }
    measure::build("peer-none")?;
    measure::ensure_hyperfine()?;
    let state = std::env::temp_dir().join(format!("peer-exits-{}", std::process::id()));
    println!("load average {}", measure::load_average());
    for (order, c) in [("answer, count", Collector::ok()), ("count, answer", Collector::settled())] {
        let c = c.map_err(|e| e.to_string())?;
        let (none, ups) = exits_up_interleaved(&c, 40, &state)?;
        println!("{order}: no telemetry: exit {:.2} ms ({:.2}–{:.2})", none.median, none.min, none.max);
        for (s, t) in ALL.iter().zip(ups) {
            println!(
                "{order}: {}: exit {:.2} ms ({:.2}–{:.2}), {:+.2} ms",
                s.label,
                t.median,
                t.min,
                t.max,
                t.median - none.median
            );
        }
    }
    let _ = std::fs::remove_dir_all(&state);
    println!("load average {}", measure::load_average());
    Ok(())
}

/// `--callers [LABEL]`: each system's caller cost as the full run measures
/// it, printed as it comes.
fn callers_only(only: &str) -> Result<(), String> {
    let systems: Vec<_> = ALL.iter().filter(|s| s.label.contains(only)).collect();
    for s in &systems {
        measure::build(s.pkg)?;
    }
    let up = Collector::settled().map_err(|e| e.to_string())?;
    for s in &systems {
        let mut a = vec!["record".into(), "--url".into(), s.url(up.port)];
        a.extend(s.format.iter().flat_map(|f| ["--format".to_string(), f.to_string()]));
        let r = measure::bench(&s.bench(), &a, "record")?;
        println!(
            "{}: median {} ns, min {} ns, max {} ns",
            s.label,
            num(&r, "median_ns")?,
            num(&r, "min_ns")?,
            num(&r, "max_ns")?
        );
    }
    Ok(())
}

/// The collector's count once its counting thread has counted every body
/// read, and the count stops moving.
pub(crate) fn settled_count(c: &Collector) -> u64 {
    // Every body a sender got an answer for was handed to the counting
    // thread before that answer: wait for the thread, however loaded the
    // machine (a count taken while it lagged read up to 40 % short, and
    // the rest leaked into the next system's count).
    let since = std::time::Instant::now();
    while c.counts.uncounted.load(std::sync::atomic::Ordering::Relaxed) > 0 && since.elapsed().as_secs() < 300 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut last = c.counts.events();
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let now = c.counts.events();
        if now == last {
            return now;
        }
        last = now;
    }
    last
}
