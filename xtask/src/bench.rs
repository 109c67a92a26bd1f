//! `cargo xtask bench [--quick]`: runs every benchmark side by side with its
//! baseline and writes the `## Summary` table at the top of BENCHMARKS.md
//! (and the `## Compile time` section). Medians; ratios are between figures
//! of the same run; the machine and its load are noted.
//!
//! What it runs (all from this workspace, nothing downloaded):
//! - `cargo bench -p telemetry-core --bench record` and `--bench hash` (divan),
//!   several times: the median of the run medians, and their range;
//! - `--bench delivery` (loopback collector in process, events per second);
//! - `--bench profile_record` under `valgrind --tool=callgrind` when valgrind
//!   is installed (instructions per `record()`, repeatable where time is not);
//! - the release `example-cli` with a collector up, down, hanging, and with
//!   telemetry off: `hyperfine` when on PATH, otherwise timed child runs;
//! - `bench-docs` (release and debug) and `bench-compile`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::bench_compile;

struct Config {
    quick: bool,
    /// Repetitions of each divan bench binary.
    repeats: usize,
}

/// One summary row.
struct Row {
    what: String,
    median: String,
    spread: String,
    baseline: String,
    ratio: String,
    target: String,
    met: String,
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run_capture(cmd: &mut Command, what: &str) -> Result<String, String> {
    eprintln!("bench: {what}");
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({})\n{}", out.status, String::from_utf8_lossy(&out.stdout)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// A divan time such as `609.2 ns` or `1.063 µs`, in nanoseconds.
fn parse_time(s: &str) -> Option<f64> {
    let mut it = s.split_whitespace();
    let v: f64 = it.next()?.parse().ok()?;
    let scale = match it.next()? {
        "ps" => 1e-3,
        "ns" => 1.0,
        "µs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(v * scale)
}

/// Median per bench name from divan's table (`name  fastest │ slowest │ median │ ...`).
fn divan_medians(out: &str) -> HashMap<String, f64> {
    let mut m = HashMap::new();
    for line in out.lines() {
        // Nested benches start with the tree: `│  ├─ name  fastest │ slowest │ median │ ...`.
        let line = line.trim_start_matches(|c: char| "├╰─│ ".contains(c));
        let cols: Vec<&str> = line.split('│').collect();
        if cols.len() < 4 {
            continue;
        }
        let Some(name) = cols[0].split_whitespace().next() else { continue };
        if let Some(median) = parse_time(cols[2].trim()) {
            m.insert(name.to_string(), median);
        }
    }
    m
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median and range over repeated runs of a divan bench binary.
struct Repeated {
    runs: HashMap<String, Vec<f64>>,
}

impl Repeated {
    fn get(&self, name: &str) -> Result<(f64, f64, f64), String> {
        let mut v = self.runs.get(name).cloned().ok_or_else(|| format!("bench `{name}` missing from divan output"))?;
        let med = median(&mut v);
        Ok((med, v[0], v[v.len() - 1]))
    }
}

fn divan(cfg: &Config, bench: &str, filters: &[&str], extra: &mut Vec<String>) -> Result<Repeated, String> {
    let mut runs: HashMap<String, Vec<f64>> = HashMap::new();
    for i in 0..cfg.repeats {
        let out = run_capture(
            cargo().args(["bench", "-q", "-p", "telemetry-core", "--bench", bench, "--"]).args(filters),
            &format!("divan --bench {bench} (run {} of {})", i + 1, cfg.repeats),
        )?;
        for (k, v) in divan_medians(&out) {
            runs.entry(k).or_default().push(v);
        }
        extra.extend(out.lines().filter(|l| l.starts_with("memory sink:")).map(str::to_string));
    }
    Ok(Repeated { runs })
}

fn ns(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.2} ms", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.2} µs", v / 1e3)
    } else if v >= 10.0 {
        format!("{v:.0} ns")
    } else {
        format!("{v:.2} ns")
    }
}

fn spread_ns(cfg: &Config, lo: f64, hi: f64) -> String {
    if cfg.repeats < 2 { "1 run".into() } else { format!("{}–{}", ns(lo), ns(hi)) }
}

fn yes(ok: bool) -> String {
    if ok { "yes".into() } else { "**no**".into() }
}

fn runtime_rows(cfg: &Config, rows: &mut Vec<Row>, notes: &mut Vec<String>) -> Result<(), String> {
    let mut extra = Vec::new();
    let rec = divan(cfg, "record", &["side_by_side", "parts"], &mut extra)?;
    let (on, on_lo, on_hi) = rec.get("record_enabled_memory")?;
    let (serde, s_lo, s_hi) = rec.get("serde_to_vec_baseline")?;
    let (off, off_lo, off_hi) = rec.get("record_disabled")?;
    let (props, _, _) = rec.get("properties_8_fields_2_hashed")?;
    let (hmacs, _, _) = rec.get("two_hmacs")?;
    rows.push(Row {
        what: "1. `record()` on, 8 fields (2 hashed), worker draining to memory".into(),
        median: ns(on),
        spread: spread_ns(cfg, on_lo, on_hi),
        baseline: format!(
            "`serde_json::to_vec`, plain struct, pre-hashed: {} ({})",
            ns(serde),
            spread_ns(cfg, s_lo, s_hi)
        ),
        ratio: format!("{:.2}×", on / serde),
        target: "≤ 2×".into(),
        met: yes(on / serde <= 2.0),
    });
    notes.push(format!(
        "Where `record()` goes (medians): the two HMAC-SHA256 alone {} ({:.0} % of the call); the properties with \
         both HMACs {}; the rest ({}) is the envelope (context, ids, timestamp) and the queue push. {}",
        ns(hmacs),
        100.0 * hmacs / on,
        ns(props),
        ns((on - props).max(0.0)),
        extra.last().map(|s| format!("Counters after the bench: {s}.")).unwrap_or_default()
    ));
    rows.push(Row {
        what: "2. `record()` off (`DO_NOT_TRACK=1`)".into(),
        median: ns(off),
        spread: spread_ns(cfg, off_lo, off_hi),
        baseline: "—".into(),
        ratio: "—".into(),
        target: "≤ 3 ns".into(),
        met: yes(off <= 3.0),
    });
    let hash = divan(cfg, "hash", &[], &mut extra)?;
    let (keyed, k_lo, k_hi) = hash.get("keyed_state_reused")?;
    let (rekey, r_lo, r_hi) = hash.get("rekey_per_value")?;
    rows.push(Row {
        what: "3. one hashed field: keyed HMAC state reused (`Hasher`)".into(),
        median: ns(keyed),
        spread: spread_ns(cfg, k_lo, k_hi),
        baseline: format!("`Hmac::new_from_slice` per value: {} ({})", ns(rekey), spread_ns(cfg, r_lo, r_hi)),
        ratio: format!("{:.2}× faster", rekey / keyed),
        target: "show the ratio".into(),
        met: "—".into(),
    });
    Ok(())
}

fn delivery_rows(cfg: &Config, rows: &mut Vec<Row>) -> Result<(), String> {
    let (batched, runs) = if cfg.quick { ("20000", "3") } else { ("50000", "5") };
    let out = run_capture(
        cargo().args(["bench", "-q", "-p", "telemetry-core", "--bench", "delivery", "--"]).args([
            "--batched",
            batched,
            "--per-event",
            "2000",
            "--runs",
            runs,
        ]),
        "delivery to the loopback collector",
    )?;
    let mut cases = HashMap::new();
    for line in out.lines().filter(|l| l.starts_with("delivery ")) {
        let mut f = line.split_whitespace();
        let name = f.nth(1).unwrap_or_default().to_string();
        let kv: HashMap<&str, f64> =
            f.filter_map(|p| p.split_once('=')).filter_map(|(k, v)| Some((k, v.parse().ok()?))).collect();
        cases.insert(name, kv);
    }
    let get = |name: &str, k: &str| {
        cases.get(name).and_then(|c| c.get(k).copied()).ok_or(format!("delivery output lacks {name} {k}"))
    };
    let rate = |v: f64| format!("{:.0}k/s", v / 1e3);
    let per = get("per-event", "median")?;
    for (name, label) in [("batched(100)", "default batches of 100"), ("batched(1000)", "batches of 1,000")] {
        let (m, lo, hi, n) = (get(name, "median")?, get(name, "min")?, get(name, "max")?, get(name, "events")?);
        let default = name == "batched(100)";
        rows.push(Row {
            what: format!("4. delivery over loopback, {label} ({n:.0} events, median of {runs} runs)"),
            median: rate(m),
            spread: format!("{}–{}", rate(lo), rate(hi)),
            baseline: format!(
                "one request per event ({:.0} events): {} ({}–{})",
                get("per-event", "events")?,
                rate(per),
                rate(get("per-event", "min")?),
                rate(get("per-event", "max")?)
            ),
            ratio: format!("{:.1}×", m / per),
            target: if default { "≥ 200k/s, ratio ≥ 50×".into() } else { "(for comparison)".into() },
            met: if default {
                format!("rate {}, ratio {}", yes(m >= 200e3), yes(m / per >= 50.0))
            } else {
                "—".into()
            },
        });
    }
    Ok(())
}

// ---- exit delay: the example CLI as a whole process ----

/// A collector that answers every request 200 (`hang`: never answers).
fn collector(hang: bool) -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = l.local_addr().map_err(|e| e.to_string())?.port();
    let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            if hang {
                held.lock().unwrap_or_else(|p| p.into_inner()).push(s);
                continue;
            }
            std::thread::spawn(move || answer(s));
        }
    });
    Ok(port)
}

fn answer(s: TcpStream) {
    let Ok(mut out) = s.try_clone() else { return };
    let mut r = BufReader::new(s);
    loop {
        let mut len = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err()
            || out
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
                .is_err()
        {
            return;
        }
    }
}

struct Timing {
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
}

fn time_cli(exe: &Path, args: &[String], env: &[(&str, String)], cwd: &Path, runs: usize) -> Result<Timing, String> {
    let hyperfine = Command::new("hyperfine").arg("--version").output().is_ok_and(|o| o.status.success());
    if hyperfine {
        let csv = cwd.join("hyperfine.csv");
        let mut cmdline = shell_quote(&exe.display().to_string());
        for a in args {
            cmdline.push(' ');
            cmdline.push_str(&shell_quote(a));
        }
        let mut c = Command::new("hyperfine");
        c.args(["-N", "--style", "none", "--warmup", "3", "--runs", &runs.to_string(), "--export-csv"])
            .arg(&csv)
            .arg(&cmdline)
            .current_dir(cwd)
            .env_remove("DO_NOT_TRACK")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null());
        let st = c.status().map_err(|e| format!("hyperfine: {e}"))?;
        if !st.success() {
            return Err(format!("hyperfine failed on `{cmdline}`"));
        }
        let text = std::fs::read_to_string(&csv).map_err(|e| e.to_string())?;
        let mut lines = text.lines();
        let head: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let vals: Vec<&str> = lines.next().unwrap_or_default().rsplitn(head.len(), ',').collect();
        // rsplitn: the command (which may hold commas) stays whole, last.
        let col = |name: &str| -> Result<f64, String> {
            let i = head.iter().position(|h| *h == name).ok_or(format!("hyperfine CSV lacks {name}"))?;
            let v = vals.get(head.len() - 1 - i).ok_or("short hyperfine CSV")?;
            v.parse::<f64>().map(|s| s * 1e3).map_err(|e| e.to_string())
        };
        return Ok(Timing { median_ms: col("median")?, min_ms: col("min")?, max_ms: col("max")? });
    }
    let mut v = Vec::new();
    for i in 0..runs + 3 {
        let start = Instant::now();
        let st = Command::new(exe)
            .args(args)
            .current_dir(cwd)
            .env_remove("DO_NOT_TRACK")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        let took = start.elapsed().as_secs_f64() * 1e3;
        if !st.success() {
            return Err(format!("{} {args:?} failed", exe.display()));
        }
        if i >= 3 {
            v.push(took);
        }
    }
    let m = median(&mut v);
    Ok(Timing { median_ms: m, min_ms: v[0], max_ms: v[v.len() - 1] })
}

fn shell_quote(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn exit_rows(cfg: &Config, root: &Path, rows: &mut Vec<Row>, notes: &mut Vec<String>) -> Result<(), String> {
    run_capture(cargo().args(["build", "-q", "--release", "-p", "example-cli"]), "build example-cli (release)")?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let exe = target.join("release/example-cli");
    let runs = if cfg.quick { 10 } else { 40 };
    let hyperfine = Command::new("hyperfine").arg("--version").output().is_ok_and(|o| o.status.success());
    notes.push(if hyperfine {
        format!(
            "Exit timings: `hyperfine -N --warmup 3 --runs {runs}`, whole process, `example-cli build` (sleeps 5 ms)."
        )
    } else {
        format!(
            "Exit timings: hyperfine is not on PATH, so `cargo xtask bench` timed {runs} child runs itself \
             (after 3 warm-up runs; includes process spawn), `example-cli build` (sleeps 5 ms)."
        )
    });
    let up = collector(false)?;
    let hang = collector(true)?;
    let down = {
        let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        l.local_addr().map_err(|e| e.to_string())?.port()
    };
    let base = std::env::temp_dir().join(format!("xtask-bench-exit-{}", std::process::id()));
    let mut cases: Vec<(&str, Option<u16>, bool)> = vec![
        ("telemetry off (`DO_NOT_TRACK=1`)", None, true),
        ("collector up (HTTP 200)", Some(up), false),
        ("collector down (connection refused)", Some(down), false),
        ("collector hanging (accepts, never answers)", Some(hang), false),
    ];
    let mut off = None;
    for (i, (label, port, is_off)) in cases.drain(..).enumerate() {
        let dir = base.join(format!("case{i}"));
        let cwd = dir.join("acme-website");
        std::fs::create_dir_all(&cwd).map_err(|e| e.to_string())?;
        let mut env = vec![("EXAMPLE_CLI_TELEMETRY_DIR", dir.join("state").display().to_string())];
        if is_off {
            env.push(("DO_NOT_TRACK", "1".into()));
        }
        let mut args = Vec::new();
        if let Some(p) = port {
            args.extend(["--endpoint".to_string(), format!("http://127.0.0.1:{p}/ingest")]);
        }
        args.push("build".into());
        eprintln!("bench: exit time, {label}");
        let t = time_cli(&exe, &args, &env, &cwd, runs)?;
        let base_ms = *off.get_or_insert(t.median_ms);
        rows.push(Row {
            what: format!("5. `example-cli build` wall time, {label}"),
            median: format!("{:.1} ms", t.median_ms),
            spread: format!("{:.1}–{:.1} ms", t.min_ms, t.max_ms),
            baseline: if is_off { "—".into() } else { format!("off: {base_ms:.1} ms") },
            ratio: if is_off { "—".into() } else { format!("+{:.1} ms", t.median_ms - base_ms) },
            target: if is_off { "—".into() } else { "≤ off + 150 ms".into() },
            met: if is_off { "—".into() } else { yes(t.median_ms - base_ms <= 150.0) },
        });
    }
    let _ = std::fs::remove_dir_all(&base);
    Ok(())
}

fn callgrind_note(notes: &mut Vec<String>) -> Result<(), String> {
    if !Command::new("valgrind").arg("--version").output().is_ok_and(|o| o.status.success()) {
        notes.push("valgrind is not installed: no instruction counts this run.".into());
        return Ok(());
    }
    let out = cargo()
        .args(["bench", "-p", "telemetry-core", "--bench", "profile_record", "--no-run"])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stderr);
    let exe = text
        .lines()
        .find_map(|l| l.split_once("profile_record.rs (").map(|(_, p)| p.trim_end_matches(')').to_string()))
        .ok_or("no profile_record executable in cargo's output")?;
    let count = |n: u64| -> Result<u64, String> {
        let o = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null", &exe, &n.to_string()])
            .output()
            .map_err(|e| e.to_string())?;
        let err = String::from_utf8_lossy(&o.stderr);
        err.lines()
            .find_map(|l| l.split_once("Collected :").map(|(_, v)| v.trim().replace(',', "")))
            .and_then(|v| v.parse().ok())
            .ok_or("no callgrind total".into())
    };
    eprintln!("bench: callgrind, instructions per record()");
    let (a, b) = (count(10_000)?, count(20_000)?);
    notes.push(format!(
        "callgrind (`benches/profile_record.rs`, 20,000 minus 10,000 events, worker included): {} instructions per \
         `record()`. Under valgrind SHA-256 runs its portable code (no SHA extensions), so hashing weighs more \
         there than on the CPU.",
        (b - a) / 10_000
    ));
    Ok(())
}

fn docs_rows(cfg: &Config, rows: &mut Vec<Row>) -> Result<(), String> {
    let parse_total = |out: &str| -> Result<f64, String> {
        out.lines()
            .find(|l| l.trim_start().starts_with("total"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or(format!("no total in bench-docs output:\n{out}"))
    };
    let (rel_runs, dbg_runs) = if cfg.quick { ("5", "3") } else { ("21", "5") };
    for (profile, runs) in [("release", rel_runs), ("debug", dbg_runs)] {
        let mut c = cargo();
        c.args(["run", "-q", "-p", "xtask"]);
        if profile == "release" {
            c.arg("--release");
        }
        c.args(["--", "bench-docs", "--runs", runs]);
        let out = run_capture(&mut c, &format!("bench-docs ({profile})"))?;
        print!("{out}");
        let total = parse_total(&out)?;
        rows.push(Row {
            what: format!("7. docs: load + render a 1,000-event schema, {profile} build ({runs} runs)"),
            median: format!("{total:.0} ms"),
            spread: "—".into(),
            baseline: "—".into(),
            ratio: "—".into(),
            target: "< 1 s".into(),
            met: yes(total < 1000.0),
        });
    }
    Ok(())
}

fn compile_rows(cfg: &Config, root: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    let (clean, rebuild) = if cfg.quick { (1, 2) } else { (3, 5) };
    eprintln!("bench: compile time ({clean} clean builds, {rebuild} rebuilds each)");
    let md = bench_compile::run(root, clean, rebuild)?;
    bench_compile::upsert_section(&root.join("BENCHMARKS.md"), "## Compile time", &md)?;
    for line in md.lines().filter(|l| l.starts_with("| clean") || l.starts_with("| rebuild")) {
        let c: Vec<&str> = line.split('|').map(str::trim).collect();
        if c.len() >= 5 {
            rows.push(Row {
                what: format!("6. compile 100 derived events: {}", c[1]),
                median: c[2].into(),
                spread: "—".into(),
                baseline: format!("`#[derive(serde::Serialize)]`: {}", c[3]),
                ratio: c[4].into(),
                target: "—".into(),
                met: "—".into(),
            });
        }
    }
    if let Some(l) = md.lines().find(|l| l.starts_with("Derive cost per event")) {
        rows.push(Row {
            what: "6. derive cost per event over serde's (crate rebuilds)".into(),
            median: l.split("rebuilds: ").nth(1).and_then(|s| s.split(" ms").next()).unwrap_or("?").to_string() + " ms",
            spread: "—".into(),
            baseline: "—".into(),
            ratio: "—".into(),
            target: "—".into(),
            met: "—".into(),
        });
    }
    Ok(())
}

/// `cargo xtask bench [--quick]`.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    if let Some(bad) = args.iter().find(|a| *a != "--quick") {
        return Err(format!("error: unknown option `{bad}` for `bench`"));
    }
    let cfg = Config { quick, repeats: if quick { 1 } else { 3 } };
    let started = Instant::now();
    let load_before = load_average();
    let (mut rows, mut notes) = (Vec::new(), Vec::new());
    runtime_rows(&cfg, &mut rows, &mut notes)?;
    delivery_rows(&cfg, &mut rows)?;
    exit_rows(&cfg, root, &mut rows, &mut notes)?;
    compile_rows(&cfg, root, &mut rows)?;
    docs_rows(&cfg, &mut rows)?;
    if let Err(e) = callgrind_note(&mut notes) {
        notes.push(format!("callgrind failed: {e}"));
    }
    let load_after = load_average();

    let mut md = String::from("## Summary\n\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench{}` in {:.0} s; machine: {}, {}; load average before {load_before}, after \
         {load_after} (1, 5, 15 min). Runtime figures: release builds, medians; \"spread\" is the range of the \
         medians of {} repeated runs of each bench binary (divan), or of the individual runs (delivery, exit).\n",
        if quick { " --quick" } else { "" },
        started.elapsed().as_secs_f64(),
        bench_compile::machine(),
        rustc_version(),
        cfg.repeats
    );
    let _ = writeln!(md, "| measure | median | spread | baseline (same run) | ratio | target | met |");
    let _ = writeln!(md, "| --- | ---: | --- | --- | ---: | --- | --- |");
    for r in &rows {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.what, r.median, r.spread, r.baseline, r.ratio, r.target, r.met
        );
    }
    md.push('\n');
    for n in &notes {
        let _ = writeln!(md, "- {n}");
    }
    md.push('\n');
    print!("{md}");
    let path = root.join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n\n".into());
    if text.contains("## Summary") {
        bench_compile::upsert_section(&path, "## Summary", &md)
    } else {
        let at = text.find("\n## ").map_or(text.len(), |i| i + 1);
        std::fs::write(&path, format!("{}{md}{}", &text[..at], &text[at..])).map_err(|e| e.to_string())
    }
}

fn rustc_version() -> String {
    Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).split(" (").next().unwrap_or_default().trim().to_string())
        .unwrap_or_else(|| "rustc ?".into())
}
