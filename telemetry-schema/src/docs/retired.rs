//! Schemas leaving the gated directory. A derive names its schema by path,
//! so a schema moved to a subdirectory, renamed to `app.yaml.in`, or kept
//! anywhere else in the tree still builds events the gate no longer sees.
//! So a schema of BASE missing from the directory now is refused: when a
//! file elsewhere still declares its app, it must come back; when it is
//! gone, the directory's `retired.yaml` must say so, with a date and a
//! reason (a review link or a sentence), as a reviewer reads it.
//!
//! ```yaml
//! # schemas/retired.yaml
//! - { app: old-cli, date: 2026-12-02, reason: "https://example.org/reviews/31" }
//! ```

use super::{Error, Read};
use crate::Schema;
use crate::date::Date;
use crate::diff::{Finding, Level};
use crate::error::Diags;
use crate::parse::govern;
use crate::parse::shape::{Map, string};
use crate::yaml::{Node, NodeKind};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The file of a schema directory that lists retired apps; not a schema.
pub const RETIRED_FILE: &str = "retired.yaml";

/// Files larger than this are not read while looking for moved schemas.
const MAX_SCAN_BYTES: u64 = crate::MAX_SCHEMA_BYTES as u64;

/// One entry of `retired.yaml`.
struct Retirement {
    app: String,
    loc: crate::Loc,
}

/// The entries of `dir/retired.yaml` (none when it does not exist), or every problem in it, located.
fn load(dir: &Path, shown: &Path) -> Result<Vec<Retirement>, Error> {
    let path = dir.join(RETIRED_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(shown, "read", e)),
    };
    let mut d = Diags::new(shown);
    let entries = crate::yaml::parse(&text, &mut d).map_or_else(Vec::new, |root| entries(&root, &mut d));
    d.finish(entries).map_err(|e| Error::Schemas {
        problems: e.diagnostics().iter().map(|d| d.to_string()).collect(),
        read: Read::Compared,
    })
}

fn entries(root: &Node, d: &mut Diags) -> Vec<Retirement> {
    const WHAT: &str = "a `retired.yaml` entry";
    let NodeKind::Seq(items) = &root.kind else {
        d.error(
            root.loc,
            format!("`retired.yaml` must be a list, found {}", root.describe()),
            "write one `- { app: NAME, date: YYYY-MM-DD, reason: \"<link to the review, or why>\" }` per retired app",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(m) = Map::new(item, WHAT, &["app", "date", "reason"], d) else { continue };
        let app = m.required("app", WHAT, "old-cli", d).and_then(|n| string(n, "`app`", d));
        let date = m.required("date", WHAT, "2026-12-02", d).and_then(|n| {
            let text = string(n, "`date`", d)?;
            text.parse::<Date>()
                .map_err(|e| d.error(n.loc, format!("`date` is `{text}`: {e}"), "write the day, e.g. `2026-12-02`"))
                .ok()
        });
        let reason = m
            .required("reason", WHAT, "\"https://example.org/reviews/31\"", d)
            .and_then(|n| govern::review(n, "the `reason` of a retirement", d));
        if let (Some(app), Some(_), Some(_)) = (app, date, reason) {
            out.push(Retirement { app, loc: item.loc });
        }
    }
    out
}

/// The findings about schemas that left `dir` since BASE: `base` and
/// `head` are the schemas loaded there; `shown` is `dir` as messages name it.
pub(super) fn check(
    dir: &Path,
    shown: &Path,
    base: &[Schema],
    head: &[Schema],
    today: Date,
) -> Result<Vec<Finding>, Error> {
    let list = shown.join(RETIRED_FILE);
    let retired = load(dir, &list)?;
    let mut out = Vec::new();
    let mut error = |app: &str, location: String, message: String, help: String| {
        out.push(Finding { level: Level::Error, app: app.to_string(), location, message, help: Some(help) });
    };
    for r in &retired {
        if let Some(s) = head.iter().find(|s| s.app.name == r.app) {
            error(
                &r.app,
                format!("{}:{}", list.display(), r.loc),
                format!("`{}` is listed as retired, but {} declares it", r.app, s.file.display()),
                "remove the schema, or the retirement entry".into(),
            );
        }
    }
    let gone: Vec<&Schema> = base.iter().filter(|b| !head.iter().any(|h| h.app.name == b.app.name)).collect();
    if gone.is_empty() {
        return Ok(out);
    }
    let files = tree_files(dir);
    for b in gone {
        let app = &b.app.name;
        if let Some(elsewhere) = declared_elsewhere(&files, dir, app) {
            error(
                app,
                elsewhere.display().to_string(),
                format!(
                    "the schema of `{app}` left {}, but this file still declares it: a derive can name it, and the gate would not see it",
                    shown.display()
                ),
                format!(
                    "move it back to {} so the gate compares it, or delete it and retire the app in {}",
                    shown.display(),
                    list.display()
                ),
            );
        } else if !retired.iter().any(|r| &r.app == app) {
            error(
                app,
                list.display().to_string(),
                format!("the schema of `{app}` was removed without a retirement entry"),
                format!(
                    "add the line `- {{ app: {app}, date: {today}, reason: \"<link to the review, or why>\" }}` to {}",
                    list.display()
                ),
            );
        }
    }
    Ok(out)
}

/// The files of the tree `dir` lies in: git's tracked and untracked (not
/// ignored) files, or, outside git, every file under `dir`'s parent.
fn tree_files(dir: &Path) -> Vec<PathBuf> {
    let git = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name", ":/"])
        .output();
    let top = Command::new("git").arg("-C").arg(dir).args(["rev-parse", "--show-toplevel"]).output();
    if let (Ok(list), Ok(top)) = (git, top)
        && list.status.success()
        && top.status.success()
    {
        let root = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
        return list
            .stdout
            .split(|b| *b == 0)
            .filter(|n| !n.is_empty())
            .map(|n| root.join(String::from_utf8_lossy(n).as_ref()))
            .collect();
    }
    let mut out = Vec::new();
    let mut todo = vec![dir.parent().unwrap_or(dir).to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.') || e.file_name() == "target";
            match e.file_type() {
                Ok(t) if t.is_dir() && !hidden => todo.push(path),
                Ok(t) if t.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    out
}

/// A file outside the schema directory itself (or in it under another
/// name) that loads as a schema of `app`.
fn declared_elsewhere(files: &[PathBuf], dir: &Path, app: &str) -> Option<PathBuf> {
    let gated = super::schema_files(dir).unwrap_or_default();
    let gated: Vec<PathBuf> = gated.iter().filter_map(|p| p.canonicalize().ok()).collect();
    files
        .iter()
        .find(|path| {
            let small = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= MAX_SCAN_BYTES);
            if !small || path.canonicalize().is_ok_and(|c| gated.contains(&c)) {
                return false;
            }
            let Ok(text) = std::fs::read_to_string(path) else { return false };
            text.contains(app)
                && text.contains("events")
                && crate::load_str(&text, path).is_ok_and(|s| s.app.name == app)
        })
        .map(|p| {
            let cwd = std::env::current_dir().unwrap_or_default();
            p.strip_prefix(&cwd).unwrap_or(p).to_path_buf()
        })
}
