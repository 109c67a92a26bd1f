//! `cargo xtask docs --diff BASE [--json]`: the schemas of the working tree
//! against BASE (a git revision or a directory), classified and gated by
//! `telemetry_schema::diff`.

use std::path::Path;
use std::process::Command;
use telemetry_schema::Schema;

/// Prints the gate's report; `Err` (non-zero exit) when a schema does not
/// load, BASE cannot be read, or the gate fails.
pub(crate) fn run(schemas: &Path, base: &str, json: bool) -> Result<(), String> {
    let head = load_dir(schemas)?;
    let base_schemas = if Path::new(base).is_dir() { load_dir(Path::new(base))? } else { load_rev(schemas, base)? };
    for s in &head {
        for w in &s.warnings {
            eprintln!("{w}");
        }
    }
    let verdict = telemetry_schema::diff::gate(&base_schemas, &head);
    if json {
        print!("{}", telemetry_schema::diff::json(&verdict));
    } else {
        print!("{}", telemetry_schema::diff::human(&verdict));
    }
    if verdict.passed() {
        Ok(())
    } else {
        Err(format!("error: the schema changes since `{base}` are not ready: fix the errors above"))
    }
}

fn problems(e: &telemetry_schema::SchemaError) -> String {
    e.diagnostics().iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

fn load_dir(dir: &Path) -> Result<Vec<Schema>, String> {
    let files = telemetry_schema::docs::schema_files(dir)
        .map_err(|e| format!("{}: error: cannot read the directory: {e}", dir.display()))?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let cwd = std::env::current_dir().unwrap_or_default();
    for path in files {
        // Named relative to the current directory, so findings read `schemas/app.yaml:12:5`.
        let name = path.strip_prefix(&cwd).unwrap_or(&path);
        let loaded = std::fs::read(&path)
            .map_err(|e| format!("{}: error: cannot read: {e}", name.display()))
            .and_then(|bytes| telemetry_schema::load_bytes(&bytes, name).map_err(|e| problems(&e)));
        match loaded {
            Ok(s) => out.push(s),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors.join("\n")) }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("error: cannot run git: {e}\n  help: install git, or pass a directory as BASE"))?;
    if !out.status.success() {
        return Err(format!(
            "error: `git {}` failed: {}\n  help: BASE must be a git revision (e.g. `HEAD~1`, `main`) or a directory of schemas",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("error: git printed text that is not UTF-8: {e}"))
}

/// The schemas of the same directory at revision `rev`, named `REV:path` in messages.
fn load_rev(dir: &Path, rev: &str) -> Result<Vec<Schema>, String> {
    let prefix = git(dir, &["rev-parse", "--show-prefix"])?;
    let prefix = prefix.trim();
    let names = git(dir, &["ls-tree", "--name-only", rev, "--", "."])?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for name in names.lines().filter(|n| n.ends_with(".yaml") || n.ends_with(".yml")) {
        let text = git(dir, &["show", &format!("{rev}:./{name}")])?;
        match telemetry_schema::load_str(&text, format!("{rev}:{prefix}{name}")) {
            Ok(s) => out.push(s),
            Err(e) => errors.push(problems(&e)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "{}\nerror: the schemas at `{rev}` do not load, so there is nothing to compare with",
            errors.join("\n")
        ))
    }
}
