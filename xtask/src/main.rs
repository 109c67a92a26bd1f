//! `cargo xtask <task>`: see `cargo xtask help`.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use xtask::{Drift, generate, workspace_root};

mod bench;
mod bench_compile;
mod diff;
mod fuzz;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  docs [--check] [--schemas DIR] [--out DIR]
      Render every schema in DIR (default: schemas/) to the out directory
      (default: docs/): <app>.md, <app>.events.schema.json, telemetry-schema.json.
      --check writes nothing and fails when a file is stale, missing or extra.
  docs --diff BASE [--json] [--schemas DIR]
      Compare the schemas with BASE (a git revision or a directory): list each
      change and its class (widens / narrows collection, breaks collectors,
      wording only), and fail unless the versions, data_review entries and
      history the changes need are there. --json prints the report as JSON.
  bench-docs [--events N] [--runs N]
      Time loading and rendering a generated N-event schema (default 1000
      events, 11 runs) and print the medians.
  bench [--quick]
      Run every benchmark beside its baseline (record, hashing, delivery, exit
      time, compile time, docs) and write the summary at the top of BENCHMARKS.md.
  fuzz [--seconds N]
      Fuzz the schema loader (fuzz/, cargo-fuzz, RUSTC_BOOTSTRAP=1) for N seconds
      (default 60), seeded from schemas/ and telemetry-schema/tests/cases/;
      prints executions and crashes. Installs cargo-fuzz if missing. Not run by CI.
  help
      This text.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("docs") => docs(&args[1..]),
        Some("bench-docs") => bench_docs(&args[1..]),
        Some("bench-compile") => {
            let (clean, rebuild) = if args.iter().any(|a| a == "--quick") { (1, 2) } else { (3, 5) };
            let root = workspace_root();
            bench_compile::run(&root, clean, rebuild).and_then(|md| {
                print!("{md}");
                bench_compile::upsert_section(&root.join("BENCHMARKS.md"), "## Compile time", &md)
            })
        }
        Some("bench") => bench::run(&workspace_root(), &args[1..]),
        Some("fuzz") => fuzz::run(&workspace_root(), &args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("error: unknown task `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The value after `flag`, if given.
fn flag_value(args: &[String], i: &mut usize, flag: &str) -> Result<String, String> {
    *i += 1;
    args.get(*i).cloned().ok_or_else(|| format!("error: `{flag}` needs a value\n\n{USAGE}"))
}

/// `path` relative to the current directory when it lies below it, for short messages.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd).unwrap_or(path).display().to_string()
}

fn docs(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let (mut check, mut schemas, mut out) = (false, root.join("schemas"), root.join("docs"));
    let (mut base, mut json) = (None, false);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--check" => check = true,
            "--schemas" => schemas = PathBuf::from(flag_value(args, &mut i, "--schemas")?),
            "--out" => out = PathBuf::from(flag_value(args, &mut i, "--out")?),
            "--diff" => base = Some(flag_value(args, &mut i, "--diff")?),
            "--json" => json = true,
            other => return Err(format!("error: unknown option `{other}` for `docs`\n\n{USAGE}")),
        }
        i += 1;
    }
    if let Some(base) = base {
        return diff::run(&schemas, &base, json);
    }
    let generated = generate(&schemas)
        .map_err(|e| format!("{e}\nerror: docs not generated: {} problem(s) in the schemas above", e.problems.len()))?;
    let counts = format!("{} schemas, {} events, {} fields", generated.schemas, generated.events, generated.fields);
    if check {
        let found = xtask::drift(&generated, &out).map_err(|e| format!("{}: error: {e}", shown(&out)))?;
        if found.is_empty() {
            println!("docs: up to date ({counts}, {} files in {})", generated.files.len(), shown(&out));
            return Ok(());
        }
        let mut msg = String::new();
        for d in &found {
            let what = match d {
                Drift::Stale(_) => "stale",
                Drift::Missing(_) => "missing",
                Drift::Extra(_) => "extra (no schema generates it)",
                Drift::Clash(_) => "hand-written file in the way of a generated one",
            };
            msg.push_str(&format!("{}: {what}\n", shown(&out.join(d.name()))));
        }
        msg.push_str(&format!(
            "error: {} generated file(s) out of date; run `cargo xtask docs` and commit the result",
            found.len()
        ));
        return Err(msg);
    }
    let done = xtask::write(&generated, &out)?;
    for name in &done.written {
        println!("wrote {}", shown(&out.join(name)));
    }
    for name in &done.removed {
        println!("removed {}", shown(&out.join(name)));
    }
    println!(
        "docs: {counts}; {} files written, {} unchanged, {} removed in {}",
        done.written.len(),
        done.unchanged,
        done.removed.len(),
        shown(&out)
    );
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn bench_docs(args: &[String]) -> Result<(), String> {
    let (mut events, mut runs) = (1000usize, 11usize);
    let mut i = 0;
    while i < args.len() {
        let parse = |s: String| s.parse::<usize>().ok().filter(|n| *n > 0);
        match args[i].as_str() {
            "--events" => {
                events =
                    parse(flag_value(args, &mut i, "--events")?).ok_or("error: `--events` takes a positive number")?
            }
            "--runs" => {
                runs = parse(flag_value(args, &mut i, "--runs")?).ok_or("error: `--runs` takes a positive number")?
            }
            other => return Err(format!("error: unknown option `{other}` for `bench-docs`\n\n{USAGE}")),
        }
        i += 1;
    }
    let text = xtask::bench_schema(events);
    let (mut load, mut md, mut js, mut total) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut sizes = (0, 0);
    for _ in 0..runs {
        let t0 = Instant::now();
        let schema = telemetry_schema::load_str(&text, "bench.yaml").map_err(|e| e.to_string())?;
        let t1 = Instant::now();
        let page = telemetry_schema::render::markdown(&schema);
        let t2 = Instant::now();
        let json = telemetry_schema::render::payload_schema_text(&schema);
        let t3 = Instant::now();
        sizes = (page.len(), json.len());
        load.push(t1 - t0);
        md.push(t2 - t1);
        js.push(t3 - t2);
        total.push(t3 - t0);
    }
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!("bench-docs: {events} events ({} KiB of YAML), {runs} runs, {profile} build; medians:", text.len() / 1024);
    println!("  load + validate      {}", ms(median(load)));
    println!("  markdown page        {}  ({} KiB)", ms(median(md)), sizes.0 / 1024);
    println!("  payload JSON Schema  {}  ({} KiB)", ms(median(js)), sizes.1 / 1024);
    let worst = total.iter().max().copied().unwrap_or_default();
    println!("  total                {}  (slowest run {})", ms(median(total)), ms(worst));
    Ok(())
}
