//! `cargo xtask <task>`: see `cargo xtask help`. This file only reads the
//! arguments and hands each task to its module.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;
use telemetry_schema::docs::Base;
use xtask::workspace_root;

mod bench;
mod diff;
mod docs;
mod fuzz;
mod package;
mod public_api;

/// Every task: name, arguments, what it does (one line of text per line).
const TASKS: &[(&str, &str, &str)] = &[
    (
        "docs",
        "[--check] [--schemas DIR] [--out DIR] | --diff BASE | --base-dir DIR [--json] [--schemas DIR]",
        "Render every schema in DIR (default: schemas/) to the out directory
(default: docs/): <app>.md, <app>.events.schema.json, telemetry-schema.json.
--check writes nothing and fails when a file is stale, missing or extra.
With --diff BASE (a git revision, e.g. HEAD~1) or --base-dir DIR (a
directory of schemas): list each schema change and its class (widens /
narrows collection, breaks collectors, wording only), and fail unless the
versions, data_review entries and history the changes need are there.
--json prints that report as JSON.",
    ),
    (
        "bench-docs",
        "[--events N] [--runs N]",
        "Time loading and rendering a generated N-event schema (default 1000
events, 11 runs) and print the medians.",
    ),
    (
        "bench",
        "[--quick] [--peers]",
        "Run every benchmark beside its baseline (record, hashing, delivery, exit
time, compile time, docs) and write the summary at the top of BENCHMARKS.md.
--peers runs the peer bench instead (bench-peers/: posthog-rs and the
OpenTelemetry logs SDK beside telemetry-core) and writes its `## Peers` section.",
    ),
    (
        "bench-compile",
        "[--quick]",
        "Time clean builds and rebuilds of 100 derived events against serde-only
structs and write the `## Compile time` section of BENCHMARKS.md.",
    ),
    (
        "fuzz",
        "[--seconds N]",
        "Fuzz the schema loader (fuzz/, cargo-fuzz, RUSTC_BOOTSTRAP=1) for N seconds
(default 60), seeded from schemas/ and telemetry-schema/tests/cases/; prints executions
and crashes. Installs cargo-fuzz if missing. Not run by CI.",
    ),
    (
        "package",
        "[--allow-dirty]",
        "Package the publishable crates with verification (cargo package), unpack
them into target/package-doctest/ and run their doctests there, each
crate against the packaged others. Run by CI.",
    ),
    (
        "public-api",
        "[--bless]",
        "List the public API of telemetry-core (default features, and with clap),
telemetry-schema and telemetry-derive from rustdoc JSON (nightly toolchain)
and fail when it differs from the snapshots in public-api/; --bless writes
them. Run by CI.",
    ),
    ("help", "", "This text."),
];

/// A task and its arguments, as read from the command line.
#[derive(Debug, PartialEq)]
enum Task {
    Docs {
        check: bool,
        schemas: PathBuf,
        out: PathBuf,
    },
    DocsDiff {
        base: Base,
        json: bool,
        schemas: PathBuf,
    },
    BenchDocs {
        events: usize,
        runs: usize,
    },
    Bench {
        quick: bool,
        /// The peer bench (bench-peers/) instead of the project's own.
        peers: bool,
    },
    BenchCompile {
        quick: bool,
    },
    Fuzz(Vec<String>),
    Package(Vec<String>),
    PublicApi(Vec<String>),
    /// Print the usage of every task, or of the one named.
    Help(Option<&'static str>),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse(&args).and_then(|task| match task {
        Task::Docs { check, schemas, out } => docs::run(check, schemas, out),
        Task::DocsDiff { base, json, schemas } => diff::run(&schemas, &base, json),
        Task::BenchDocs { events, runs } => bench::docs::task(events, runs),
        Task::Bench { quick, peers: false } => bench::run(&workspace_root(), quick),
        Task::Bench { quick, peers: true } => bench::peers::run(&workspace_root(), quick),
        Task::BenchCompile { quick } => bench::compile::task(&workspace_root(), quick),
        Task::Fuzz(args) => fuzz::run(&workspace_root(), &args),
        Task::Package(args) => package::run(&workspace_root(), &args),
        Task::PublicApi(args) => public_api::run(&workspace_root(), &args),
        Task::Help(task) => {
            println!("{}", task.map_or_else(usage, task_usage));
            Ok(())
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The usage of every task.
fn usage() -> String {
    let mut s = String::from("usage: cargo xtask <task>\n\ntasks:");
    for (name, synopsis, text) in TASKS {
        s.push_str(&format!("\n  {}", format!("{name} {synopsis}").trim_end()));
        for line in text.lines() {
            s.push_str(&format!("\n      {line}"));
        }
    }
    s
}

/// The usage of one task (a name from [`TASKS`]).
fn task_usage(task: &str) -> String {
    let (name, synopsis, text) = TASKS.iter().find(|t| t.0 == task).copied().unwrap_or(("help", "", ""));
    let mut s = format!("usage: cargo xtask {}\n", format!("{name} {synopsis}").trim_end());
    for line in text.lines() {
        s.push_str(&format!("\n  {line}"));
    }
    s
}

fn parse(args: &[String]) -> Result<Task, String> {
    let Some(task) = args.first().map(String::as_str) else { return Ok(Task::Help(None)) };
    let rest = &args[1..];
    if matches!(task, "help" | "--help" | "-h") {
        return Ok(Task::Help(None));
    }
    if rest.iter().any(|a| a == "--help" || a == "-h")
        && let Some(t) = TASKS.iter().find(|t| t.0 == task)
    {
        return Ok(Task::Help(Some(t.0)));
    }
    match task {
        "docs" => parse_docs(rest),
        "bench-docs" => parse_bench_docs(rest),
        "bench" => {
            if let Some(bad) = rest.iter().find(|a| *a != "--quick" && *a != "--peers") {
                return Err(format!("error: unknown option `{bad}` for `bench`"));
            }
            Ok(Task::Bench { quick: rest.iter().any(|a| a == "--quick"), peers: rest.iter().any(|a| a == "--peers") })
        }
        "bench-compile" => Ok(Task::BenchCompile { quick: rest.iter().any(|a| a == "--quick") }),
        "fuzz" => Ok(Task::Fuzz(rest.to_vec())),
        "package" => Ok(Task::Package(rest.to_vec())),
        "public-api" => Ok(Task::PublicApi(rest.to_vec())),
        other => Err(format!("error: unknown task `{other}`\n\n{}", usage())),
    }
}

/// The value after `flag`, if given.
fn flag_value(args: &[String], i: &mut usize, flag: &str) -> Result<String, String> {
    *i += 1;
    args.get(*i).cloned().ok_or_else(|| format!("error: `{flag}` needs a value\n\n{}", usage()))
}

fn parse_docs(args: &[String]) -> Result<Task, String> {
    let root = workspace_root();
    let (mut check, mut schemas, mut out) = (false, root.join("schemas"), root.join("docs"));
    let (mut base, mut json) = (None, false);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--check" => check = true,
            "--schemas" => schemas = PathBuf::from(flag_value(args, &mut i, "--schemas")?),
            "--out" => out = PathBuf::from(flag_value(args, &mut i, "--out")?),
            "--diff" => base = Some(Base::Rev(flag_value(args, &mut i, "--diff")?)),
            "--base-dir" => base = Some(Base::Dir(PathBuf::from(flag_value(args, &mut i, "--base-dir")?))),
            "--json" => json = true,
            other => return Err(format!("error: unknown option `{other}` for `docs`\n\n{}", usage())),
        }
        i += 1;
    }
    Ok(match base {
        Some(base) => Task::DocsDiff { base, json, schemas },
        None => Task::Docs { check, schemas, out },
    })
}

fn parse_bench_docs(args: &[String]) -> Result<Task, String> {
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
            other => return Err(format!("error: unknown option `{other}` for `bench-docs`\n\n{}", usage())),
        }
        i += 1;
    }
    Ok(Task::BenchDocs { events, runs })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Task, String> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn help_anywhere_asks_for_usage() {
        assert_eq!(parse_str(&[]), Ok(Task::Help(None)));
        assert_eq!(parse_str(&["--help"]), Ok(Task::Help(None)));
        assert_eq!(parse_str(&["docs", "--help"]), Ok(Task::Help(Some("docs"))));
        assert_eq!(parse_str(&["docs", "--check", "-h"]), Ok(Task::Help(Some("docs"))));
        assert_eq!(parse_str(&["bench", "--help"]), Ok(Task::Help(Some("bench"))));
        assert_eq!(parse_str(&["fuzz", "--help"]), Ok(Task::Help(Some("fuzz"))));
    }

    #[test]
    fn docs_diff_is_its_own_task() {
        let root = workspace_root();
        assert_eq!(
            parse_str(&["docs", "--diff", "HEAD~1", "--json"]),
            Ok(Task::DocsDiff { base: Base::Rev("HEAD~1".into()), json: true, schemas: root.join("schemas") })
        );
        assert_eq!(
            parse_str(&["docs", "--base-dir", "HEAD"]),
            Ok(Task::DocsDiff { base: Base::Dir("HEAD".into()), json: false, schemas: root.join("schemas") })
        );
    }

    #[test]
    fn task_usage_names_its_flags() {
        assert_eq!(
            task_usage("docs"),
            "usage: cargo xtask docs [--check] [--schemas DIR] [--out DIR] | --diff BASE | --base-dir DIR [--json] [--schemas DIR]\n\n  \
             Render every schema in DIR (default: schemas/) to the out directory\n  \
             (default: docs/): <app>.md, <app>.events.schema.json, telemetry-schema.json.\n  \
             --check writes nothing and fails when a file is stale, missing or extra.\n  \
             With --diff BASE (a git revision, e.g. HEAD~1) or --base-dir DIR (a\n  \
             directory of schemas): list each schema change and its class (widens /\n  \
             narrows collection, breaks collectors, wording only), and fail unless the\n  \
             versions, data_review entries and history the changes need are there.\n  \
             --json prints that report as JSON."
        );
        assert!(usage().ends_with("\n  help\n      This text."), "{}", usage());
    }

    #[test]
    fn flags_are_read_and_checked() {
        let root = workspace_root();
        assert_eq!(
            parse_str(&["docs", "--check", "--out", "x"]),
            Ok(Task::Docs { check: true, schemas: root.join("schemas"), out: PathBuf::from("x") })
        );
        assert_eq!(parse_str(&["bench-docs", "--runs", "3"]), Ok(Task::BenchDocs { events: 1000, runs: 3 }));
        assert_eq!(parse_str(&["bench-docs", "--runs", "0"]), Err("error: `--runs` takes a positive number".into()));
        assert_eq!(parse_str(&["bench", "--quick"]), Ok(Task::Bench { quick: true, peers: false }));
        assert_eq!(parse_str(&["bench", "--peers"]), Ok(Task::Bench { quick: false, peers: true }));
        assert_eq!(parse_str(&["bench", "--slow"]), Err("error: unknown option `--slow` for `bench`".into()));
        assert!(parse_str(&["docs", "--out"]).unwrap_err().starts_with("error: `--out` needs a value\n\nusage:"));
        assert!(parse_str(&["nope"]).unwrap_err().starts_with("error: unknown task `nope`\n\nusage:"));
    }
}
