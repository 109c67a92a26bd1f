//! How the runner measures: cargo builds, the systems' bench binaries,
//! hyperfine, file sizes, clean builds. Every figure comes from a process
//! it runs here; nothing is estimated.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The bench workspace (this crate's parent directory).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Where cargo puts this workspace's builds (`.cargo/config.toml`: the repository's `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("../target"))
}

/// A release binary of this workspace.
pub fn binary(name: &str) -> PathBuf {
    target_dir().join("release").join(name)
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(workspace());
    c
}

/// `cargo build --release -p <pkg>`, one package at a time so features do not unify across systems.
pub fn build(pkg: &str) -> Result<(), String> {
    eprintln!("peers: building {pkg}");
    let st = cargo().args(["build", "-q", "--release", "-p", pkg]).status().map_err(|e| format!("cargo: {e}"))?;
    if st.success() { Ok(()) } else { Err(format!("cargo build --release -p {pkg} failed ({st})")) }
}

/// Seconds of `cargo build --release -p <pkg> --bin <bin>` into an empty target dir (crates already downloaded).
pub fn clean_build(pkg: &str, bin: &str) -> Result<f64, String> {
    let dir = std::env::temp_dir().join(format!("peer-clean-build-{pkg}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("peers: clean build of {bin}");
    let start = Instant::now();
    let st = cargo()
        .args(["build", "-q", "--release", "-p", pkg, "--bin", bin, "--target-dir"])
        .arg(&dir)
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    let secs = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    if st.success() { Ok(secs) } else { Err(format!("clean build of {bin} failed ({st})")) }
}

/// Size in bytes of a release binary.
pub fn size(bin: &str) -> Result<u64, String> {
    std::fs::metadata(binary(bin)).map(|m| m.len()).map_err(|e| format!("{}: {e}", binary(bin).display()))
}

/// Runs a bench binary and returns the `key=value` pairs of its result line (starting with `mode`).
pub fn bench(bin: &str, args: &[String], mode: &str) -> Result<HashMap<String, String>, String> {
    let out = Command::new(binary(bin))
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", binary(bin).display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("{bin} {args:?} failed ({}): {text}", out.status));
    }
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{mode} ")))
        .ok_or(format!("{bin} {args:?} printed no `{mode}` line: {text}"))?;
    Ok(line.split_whitespace().skip(1).filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect())
}

/// A number from a bench result.
pub fn num(m: &HashMap<String, String>, k: &str) -> Result<f64, String> {
    m.get(k).and_then(|v| v.parse().ok()).ok_or(format!("bench result lacks `{k}`: {m:?}"))
}

/// Wall times of a whole process, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Median of the runs.
    pub median: f64,
    /// Fastest run.
    pub min: f64,
    /// Slowest run.
    pub max: f64,
    /// How many runs.
    pub runs: usize,
}

impl Timing {
    /// The median, fastest and slowest of `times` (ms; at least one).
    pub fn of(mut times: Vec<f64>) -> Timing {
        times.sort_by(f64::total_cmp);
        let n = times.len();
        let median = if n % 2 == 1 { times[n / 2] } else { (times[n / 2 - 1] + times[n / 2]) / 2.0 };
        Timing { median, min: times[0], max: times[n - 1], runs: n }
    }
}

/// Makes sure hyperfine is on PATH, installing it with apt-get if it is not.
pub fn ensure_hyperfine() -> Result<(), String> {
    let ok = || Command::new("hyperfine").arg("--version").output().is_ok_and(|o| o.status.success());
    if ok() {
        return Ok(());
    }
    eprintln!("peers: hyperfine is missing; apt-get install -y hyperfine");
    let quiet =
        |args: &[&str]| Command::new("apt-get").args(args).stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    if !quiet(&["install", "-y", "hyperfine"]) {
        quiet(&["update"]);
        quiet(&["install", "-y", "hyperfine"]);
    }
    if ok() {
        Ok(())
    } else {
        Err("hyperfine is not installed and `apt-get install -y hyperfine` failed: install it".into())
    }
}

/// `hyperfine -N` of `bin args` with `env`, `runs` runs after `warmup`.
pub fn hyperfine(
    bin: &str,
    args: &[String],
    env: &[(String, String)],
    runs: usize,
    warmup: usize,
) -> Result<Timing, String> {
    Ok(Timing::of(hyperfine_times(bin, args, env, runs, warmup)?))
}

/// The wall time of each of `runs` runs, ms, as [`hyperfine`] times them.
pub fn hyperfine_times(
    bin: &str,
    args: &[String],
    env: &[(String, String)],
    runs: usize,
    warmup: usize,
) -> Result<Vec<f64>, String> {
    let json = std::env::temp_dir().join(format!("peer-hyperfine-{}.json", std::process::id()));
    let mut cmdline = binary(bin).display().to_string();
    for a in args {
        cmdline.push(' ');
        cmdline.push_str(a);
    }
    let st = Command::new("hyperfine")
        .args(["-N", "--style", "none", "--warmup", &warmup.to_string(), "--runs", &runs.to_string(), "--export-json"])
        .arg(&json)
        .arg(&cmdline)
        .env_remove("DO_NOT_TRACK")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("hyperfine: {e}"))?;
    if !st.success() {
        return Err(format!("hyperfine failed on `{cmdline}`"));
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&json);
    let times = v["results"][0]["times"].as_array().ok_or("hyperfine JSON lacks times")?;
    times
        .iter()
        .map(|t| t.as_f64().map(|s| s * 1e3).ok_or_else(|| "hyperfine JSON: a time is not a number".into()))
        .collect()
}

/// One timed run of `bin args` (to choose how many hyperfine runs a slow case gets).
pub fn probe(bin: &str, args: &[String], env: &[(String, String)]) -> Result<f64, String> {
    let start = Instant::now();
    Command::new(binary(bin))
        .args(args)
        .env_remove("DO_NOT_TRACK")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("{bin}: {e}"))?;
    Ok(start.elapsed().as_secs_f64() * 1e3)
}

/// The load average (1, 5, 15 min).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Median of `v` (sorted in place).
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
