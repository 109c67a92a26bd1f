//! Row 5: how long the release `example-cli` takes as a whole process with
//! the collector (from `telemetry-testkit`) up, down, hanging, and with
//! telemetry off: `hyperfine` when on PATH, otherwise timed child runs.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use telemetry_testkit::{Collector, Reply, TempDir, free_addr};

use super::command::{cargo, installed, run_capture};
use super::stats::spread;
use super::summary::{Row, yes};

struct Timing {
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
}

fn time_cli(exe: &Path, args: &[String], env: &[(&str, String)], cwd: &Path, runs: usize) -> Result<Timing, String> {
    if installed("hyperfine") {
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
    let (median_ms, min_ms, max_ms) = spread(&mut v);
    Ok(Timing { median_ms, min_ms, max_ms })
}

fn shell_quote(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Builds the release `example-cli` and times it in each case (fewer runs when `quick`).
pub fn rows(quick: bool, root: &Path, rows: &mut Vec<Row>, notes: &mut Vec<String>) -> Result<(), String> {
    run_capture(cargo().args(["build", "-q", "--release", "-p", "example-cli"]), "build example-cli (release)")?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let exe = target.join("release/example-cli");
    let runs = if quick { 10 } else { 40 };
    notes.push(if installed("hyperfine") {
        format!(
            "Exit timings: `hyperfine -N --warmup 3 --runs {runs}`, whole process, `example-cli build` (sleeps 5 ms)."
        )
    } else {
        format!(
            "Exit timings: hyperfine is not on PATH, so `cargo xtask bench` timed {runs} child runs itself \
             (after 3 warm-up runs; includes process spawn), `example-cli build` (sleeps 5 ms)."
        )
    });
    // Counting only: hundreds of runs would otherwise keep every body.
    let up = Collector::ok();
    up.keep_requests(false);
    let hang = Collector::start(Vec::new(), Reply::Hang);
    hang.keep_requests(false);
    let base = TempDir::new("xtask-bench-exit")?;
    let cases: [(&str, Option<SocketAddr>, bool); 4] = [
        ("telemetry off (`DO_NOT_TRACK=1`)", None, true),
        ("collector up (HTTP 200)", Some(up.addr), false),
        ("collector down (connection refused)", Some(free_addr()), false),
        ("collector hanging (accepts, never answers)", Some(hang.addr), false),
    ];
    let mut off = None;
    for (i, (label, addr, is_off)) in cases.into_iter().enumerate() {
        let dir = base.path().join(format!("case{i}"));
        let cwd = dir.join("acme-website");
        std::fs::create_dir_all(&cwd).map_err(|e| format!("{}: {e}", cwd.display()))?;
        let mut env = vec![("EXAMPLE_CLI_TELEMETRY_DIR", dir.join("state").display().to_string())];
        if is_off {
            env.push(("DO_NOT_TRACK", "1".into()));
        }
        let mut args = Vec::new();
        if let Some(addr) = addr {
            args.extend(["--endpoint".to_string(), format!("http://{addr}/ingest")]);
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
    Ok(())
}
