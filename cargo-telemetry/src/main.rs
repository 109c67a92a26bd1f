//! `cargo telemetry`: the docs of a project's telemetry schemas, written and
//! checked, schemas validated and captured bodies checked against them, from
//! the command line. A thin front over [`telemetry_schema::docs`] and
//! [`cargo_telemetry::wire`], which a project's own xtask can call instead.
#![forbid(unsafe_code)]

mod init;

use cargo_telemetry::wire::{Format, Pages, Report};
use std::path::PathBuf;
use std::process::ExitCode;
use telemetry_schema::docs::{self, Base, Options};

pub(crate) const USAGE: &str = "\
usage: cargo telemetry <command>

commands:
  init [--name NAME] [--schemas DIR]
      Write a starter schema, DIR/app.yaml (default: telemetry/app.yaml), for
      the crate in the current directory (NAME: its package name): one event
      with an allowed, a hashed and a forbidden field, a context, consent
      with the product's own switch and opt-out command, a version, an owner
      and an expiry, each commented. Then print the dependency line, the code
      that records the event, and the commands for CI. Never overwrites.
  docs [--schemas DIR] [--out DIR] [--check] [--command CMD]
      Render every schema in DIR (default: telemetry/) to the out directory
      (default: docs/): <app>.md, the \"what we collect\" page, and
      <app>.events.schema.json, the JSON Schema of the payloads; plus
      telemetry-schema.json, the JSON Schema of the YAML format. Hand-written
      files beside them are left alone.
      --check writes nothing and exits 1 naming each stale, missing or extra file.
      --command names the command the pages tell readers to run after a schema
      change (default: cargo telemetry docs).
  validate FILE...
      Load and check each schema file; print every problem with file:line:col
      and how to fix it. Exits 1 when any file has a problem.
  validate --format FORMAT [--schemas DIR] BODY...
      Check captured request bodies against the pages: map each BODY (a file
      holding one request body, as sent, gzipped or not) back to its events
      and validate each against the payload JSON Schema of the app and schema
      version the body names, rendered from the schemas in DIR (default:
      telemetry/). FORMAT:
      native (also the events file, one envelope a line), posthog, segment,
      otlp-json, otlp-protobuf. Prints each violation with the event, the JSON
      pointer in its envelope and the rule; exits 1 on any.
  diff BASE | --base-dir BASE_DIR [--schemas DIR] [--json]
      The review gate: compare the schemas in DIR (default: telemetry/) with
      BASE, a git revision of DIR (e.g. HEAD~1, main), or with the schemas of
      BASE_DIR. Lists each change as widening or narrowing collection, breaking
      collectors, or wording only, and exits 1 unless the schema_version
      bump, data_review entries and history each change needs are there.
      --json prints the report as JSON.
  help, --help, -h
      This text. `cargo telemetry <command> --help` works too.
  --version, -V
      The version.";

/// How `main` ends: success, a failure already explained, or a usage mistake.
pub(crate) enum Outcome {
    Ok,
    Failed(String),
    Usage(String),
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // Run as `cargo telemetry ...`, cargo passes the subcommand name first.
    if args.first().map(String::as_str) == Some("telemetry") {
        args.remove(0);
    }
    let outcome = match args.first().map(String::as_str) {
        Some("init") => init::run(&args[1..]),
        Some("docs") => docs_command(&args[1..]),
        Some("validate") => validate(&args[1..]),
        Some("diff") => diff(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Outcome::Ok
        }
        Some("--version" | "-V") => {
            println!("cargo-telemetry {}", env!("CARGO_PKG_VERSION"));
            Outcome::Ok
        }
        Some(other) => Outcome::Usage(format!("error: unknown command `{other}`")),
    };
    match outcome {
        Outcome::Ok => ExitCode::SUCCESS,
        Outcome::Failed(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
        Outcome::Usage(message) => {
            eprintln!("{message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn docs_command(args: &[String]) -> Outcome {
    let mut options = Options::new("telemetry", "docs");
    let mut check = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| rest.next().cloned().ok_or_else(|| format!("error: `{flag}` needs a value"));
        let parsed = match arg.as_str() {
            "--check" => {
                check = true;
                Ok(())
            }
            "--schemas" => value("--schemas").map(|v| options.schemas = PathBuf::from(v)),
            "--out" => value("--out").map(|v| options.out = PathBuf::from(v)),
            "--command" => value("--command").map(|v| options.render.command = v),
            "--help" | "-h" => {
                println!("{USAGE}");
                return Outcome::Ok;
            }
            other => Err(format!("error: unknown option `{other}` for `docs`")),
        };
        if let Err(message) = parsed {
            return Outcome::Usage(message);
        }
    }
    let result = if check { docs::check(&options) } else { docs::write(&options) };
    match result {
        Ok(report) => {
            println!("{report}");
            Outcome::Ok
        }
        Err(failure) => Outcome::Failed(failure.to_string()),
    }
}

fn validate(args: &[String]) -> Outcome {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Outcome::Ok;
    }
    if args.iter().any(|a| a == "--format" || a == "--schemas") {
        return validate_bodies(args);
    }
    if let Some(flag) = args.iter().find(|a| a.starts_with('-')) {
        return Outcome::Usage(format!("error: unknown option `{flag}` for `validate`"));
    }
    if args.is_empty() {
        return Outcome::Usage("error: `validate` needs at least one schema file".to_string());
    }
    let mut problems = 0;
    for file in args {
        match telemetry_schema::load_path(file.as_ref()) {
            Ok(schema) => println!("{file}: ok ({} events)", schema.events.len()),
            Err(e) => {
                problems += e.diagnostics().len();
                eprintln!("{e}");
            }
        }
    }
    match problems {
        0 => Outcome::Ok,
        n => Outcome::Failed(format!("error: {n} problem(s) in the schema file(s) above")),
    }
}

/// `validate --format FORMAT [--schemas DIR] BODY...`.
fn validate_bodies(args: &[String]) -> Outcome {
    let (mut format, mut schemas, mut bodies) = (None, PathBuf::from("telemetry"), Vec::new());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.clone().next()) {
            ("--format", Some(name)) => match Format::parse(name) {
                Some(f) => format = Some(f),
                None => {
                    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                    return Outcome::Usage(format!("error: unknown format `{name}`; one of: {}", names.join(", ")));
                }
            },
            ("--schemas", Some(dir)) => schemas = PathBuf::from(dir),
            ("--format" | "--schemas", None) => return Outcome::Usage(format!("error: `{arg}` needs a value")),
            (flag, _) if flag.starts_with('-') => {
                return Outcome::Usage(format!("error: unknown option `{flag}` for `validate`"));
            }
            (body, _) => {
                bodies.push(body);
                continue;
            }
        }
        rest.next();
    }
    let Some(format) = format else {
        return Outcome::Usage("error: `--schemas` checks bodies: name their `--format` too".into());
    };
    if bodies.is_empty() {
        return Outcome::Usage("error: `validate --format` needs at least one body file".into());
    }
    let pages = match Pages::load(&schemas) {
        Ok(p) => p,
        Err(message) => return Outcome::Failed(message),
    };
    let mut problems = 0;
    for body in bodies {
        let report = match std::fs::read(body) {
            Ok(bytes) => pages.check(format, &bytes),
            Err(e) => Report { problems: vec![format!("cannot read it: {e}")], ..Report::default() },
        };
        for p in &report.problems {
            eprintln!("{body}: {p}");
        }
        problems += report.problems.len();
        if report.problems.is_empty() {
            println!("{body}: ok ({} events of {})", report.events, report.schemas.join(", "));
        }
    }
    match problems {
        0 => Outcome::Ok,
        n => Outcome::Failed(format!("error: {n} problem(s) in the {} body file(s) above", format.name())),
    }
}

fn diff(args: &[String]) -> Outcome {
    let (mut schemas, mut base, mut json) = (PathBuf::from("telemetry"), None, false);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--schemas" => match rest.next() {
                Some(v) => schemas = PathBuf::from(v),
                None => return Outcome::Usage("error: `--schemas` needs a value".to_string()),
            },
            "--base-dir" => match rest.next() {
                Some(_) if base.is_some() => {
                    return Outcome::Usage("error: `diff` takes one BASE: a revision or `--base-dir DIR`".into());
                }
                Some(v) => base = Some(Base::Dir(PathBuf::from(v))),
                None => return Outcome::Usage("error: `--base-dir` needs a value".to_string()),
            },
            "--help" | "-h" => {
                println!("{USAGE}");
                return Outcome::Ok;
            }
            flag if flag.starts_with('-') => {
                return Outcome::Usage(format!("error: unknown option `{flag}` for `diff`"));
            }
            value if base.is_none() => base = Some(Base::Rev(value.to_string())),
            extra => return Outcome::Usage(format!("error: `diff` takes one BASE, got a second: `{extra}`")),
        }
    }
    let Some(base) = base else {
        return Outcome::Usage(
            "error: `diff` needs BASE: a git revision (e.g. HEAD~1), or `--base-dir DIR` for a directory of schemas"
                .into(),
        );
    };
    match docs::review(&schemas, &base).and_then(|review| review.print(&base, json)) {
        Ok(()) => Outcome::Ok,
        Err(e) => Outcome::Failed(e.to_string()),
    }
}
