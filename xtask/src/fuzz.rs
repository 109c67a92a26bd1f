//! `cargo xtask fuzz --seconds N`: runs the schema-loader fuzz target
//! (`fuzz/fuzz_targets/load_schema.rs`) under libFuzzer for N seconds and
//! prints what it did.
//!
//! cargo-fuzz needs nightly flags (`-Zsanitizer=address`); only the stable
//! toolchain is installed, so the run sets `RUSTC_BOOTSTRAP=1`. The corpus
//! (`fuzz/corpus/load_schema`, git-ignored) is seeded with every schema in
//! `schemas/` and every case of the schema loader `telemetry-schema/tests/cases/`,
//! and the dictionary `fuzz/load_schema.dict` supplies the schema keywords.
//! CI does not run this: it is a long, manual task.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// What one run did, from libFuzzer's final stats and the artifacts directory.
#[derive(Debug, Default)]
struct Summary {
    execs: Option<u64>,
    execs_per_sec: Option<u64>,
    peak_rss_mb: Option<u64>,
    new_artifacts: Vec<PathBuf>,
}

/// Parses `--seconds N` (default 60).
fn parse_seconds(args: &[String]) -> Result<u64, String> {
    let mut seconds = 60;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seconds" => {
                i += 1;
                seconds = args
                    .get(i)
                    .and_then(|s| s.parse::<u64>().ok())
                    .filter(|n| *n > 0)
                    .ok_or("error: `--seconds` takes a positive number")?;
            }
            other => return Err(format!("error: unknown option `{other}` for `fuzz`")),
        }
        i += 1;
    }
    Ok(seconds)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Installs cargo-fuzz if `cargo fuzz` is not available.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = Command::new(cargo())
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    println!("fuzz: cargo-fuzz not found; running `cargo install cargo-fuzz --locked`");
    let status = Command::new(cargo())
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .map_err(|e| format!("error: cannot run cargo install: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("error: `cargo install cargo-fuzz --locked` failed ({status})")) }
}

/// Copies every `.yaml` file of `from` into `corpus` as `seed-<dir>-<name>`.
/// Returns how many were copied.
fn seed(corpus: &Path, from: &Path, tag: &str) -> Result<usize, String> {
    let entries = std::fs::read_dir(from).map_err(|e| format!("error: cannot read {}: {e}", from.display()))?;
    let mut n = 0;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "yaml")
            && let Some(name) = path.file_name().and_then(|n| n.to_str())
        {
            std::fs::copy(&path, corpus.join(format!("seed-{tag}-{name}")))
                .map_err(|e| format!("error: cannot copy {}: {e}", path.display()))?;
            n += 1;
        }
    }
    Ok(n)
}

fn artifacts(dir: &Path) -> BTreeSet<PathBuf> {
    std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default()
}

/// The number after `key` in a libFuzzer final-stats line (`stat::key: N`).
fn stat(line: &str, key: &str) -> Option<u64> {
    line.trim().strip_prefix(key)?.trim().strip_prefix(':')?.trim().parse().ok()
}

/// Runs the fuzz target for `--seconds N`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let seconds = parse_seconds(args)?;
    ensure_cargo_fuzz()?;
    let fuzz = root.join("fuzz");
    let corpus = fuzz.join("corpus/load_schema");
    std::fs::create_dir_all(&corpus).map_err(|e| format!("error: cannot create {}: {e}", corpus.display()))?;
    let seeded = seed(&corpus, &root.join("telemetry-schema/tests/cases"), "bad")?
        + seed(&corpus, &root.join("schemas"), "schema")?;
    let artifact_dir = fuzz.join("artifacts/load_schema");
    let before = artifacts(&artifact_dir);
    println!("fuzz: load_schema for {seconds} s, {seeded} seed files, dictionary fuzz/load_schema.dict");

    let start = Instant::now();
    let mut child = Command::new(cargo())
        .current_dir(&fuzz)
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", "run", "load_schema", "corpus/load_schema", "--"])
        .arg(format!("-max_total_time={seconds}"))
        .args(["-dict=load_schema.dict", "-timeout=10", "-print_final_stats=1"])
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("error: cannot run cargo fuzz: {e}"))?;
    // libFuzzer reports on stderr: pass it through and pick out the final stats.
    let mut summary = Summary::default();
    if let Some(err) = child.stderr.take() {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            eprintln!("{line}");
            summary.execs = summary.execs.or(stat(&line, "stat::number_of_executed_units"));
            summary.execs_per_sec = summary.execs_per_sec.or(stat(&line, "stat::average_exec_per_sec"));
            summary.peak_rss_mb = summary.peak_rss_mb.or(stat(&line, "stat::peak_rss_mb"));
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    summary.new_artifacts = artifacts(&artifact_dir).difference(&before).cloned().collect();

    let show = |v: Option<u64>| v.map_or_else(|| "unknown".to_string(), |n| n.to_string());
    println!("fuzz: load_schema ran {:.0} s (wall, including the build)", start.elapsed().as_secs_f64());
    println!("  executions     {}", show(summary.execs));
    println!("  exec/s         {}", show(summary.execs_per_sec));
    println!("  peak RSS (MB)  {}", show(summary.peak_rss_mb));
    println!("  crashes        {}", summary.new_artifacts.len());
    for a in &summary.new_artifacts {
        println!("    {}", a.display());
    }
    if !summary.new_artifacts.is_empty() {
        return Err(format!("error: the fuzzer found {} crashing input(s)", summary.new_artifacts.len()));
    }
    if !status.success() {
        return Err(format!("error: cargo fuzz failed ({status})"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_flag() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_seconds(&a(&[])), Ok(60));
        assert_eq!(parse_seconds(&a(&["--seconds", "600"])), Ok(600));
        assert!(parse_seconds(&a(&["--seconds", "0"])).is_err());
        assert!(parse_seconds(&a(&["--seconds"])).is_err());
        assert!(parse_seconds(&a(&["--minutes", "1"])).is_err());
    }

    #[test]
    fn final_stats_lines() {
        assert_eq!(stat("stat::number_of_executed_units: 2506040", "stat::number_of_executed_units"), Some(2506040));
        assert_eq!(stat("stat::peak_rss_mb:              412", "stat::peak_rss_mb"), Some(412));
        assert_eq!(stat("#2506040 DONE cov: 1", "stat::peak_rss_mb"), None);
    }
}
