//! The review gate run over a project's schema directory: its schemas now
//! against BASE, a directory of schemas or a git revision of the same
//! directory. `cargo telemetry diff` and this repository's
//! `cargo xtask docs --diff` are two callers; a project's own xtask can be
//! a third.

use std::path::Path;
use std::process::Command;

use crate::diff::{self, Verdict};
use crate::{Diagnostic, Schema, SchemaError};

/// What [`review`] found: the classified changes and the gate's findings,
/// and the loader's warnings about the schemas now (an expiry far away, say).
#[derive(Debug, Clone)]
pub struct Review {
    /// The changes and the gate's verdict ([`Verdict::passed`]).
    pub verdict: Verdict,
    /// Warnings about the current schemas, located like errors.
    pub warnings: Vec<Diagnostic>,
}

/// Compares the schemas in `schemas` with `base`: a directory of schemas,
/// or else a git revision, read as the same directory at that revision
/// (`git show REV:./file`). `Err` says why nothing could be compared: a
/// schema that does not load (now or at BASE), or a BASE that is neither.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("review-doc-{}", std::process::id()));
/// let (base, head) = (dir.join("base"), dir.join("head"));
/// std::fs::create_dir_all(&base).unwrap();
/// std::fs::create_dir_all(&head).unwrap();
/// let app = "version: 1\napp: { name: app, title: App, description: Helps. }\nevents:\n  ping: { description: A ping. }\n";
/// std::fs::write(base.join("app.yaml"), app).unwrap();
/// std::fs::write(head.join("app.yaml"), app.replace("A ping.", "A ping sent once a day.")).unwrap();
/// let review = telemetry_schema::docs::review(&head, base.to_str().unwrap()).unwrap();
/// assert!(review.verdict.passed(), "wording only needs no new version");
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn review(schemas: &Path, base: &str) -> Result<Review, String> {
    let head = load_dir(schemas)?;
    let before = if Path::new(base).is_dir() { load_dir(Path::new(base))? } else { load_rev(schemas, base)? };
    let warnings = head.iter().flat_map(|s| s.warnings.iter().cloned()).collect();
    Ok(Review { verdict: diff::gate(&before, &head), warnings })
}

fn problems(e: &SchemaError) -> String {
    e.diagnostics().iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

fn load_dir(dir: &Path) -> Result<Vec<Schema>, String> {
    let files =
        super::schema_files(dir).map_err(|e| format!("{}: error: cannot read the directory: {e}", dir.display()))?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let cwd = std::env::current_dir().unwrap_or_default();
    for path in files {
        // Named relative to the current directory, so findings read `schemas/app.yaml:12:5`.
        let name = path.strip_prefix(&cwd).unwrap_or(&path);
        let loaded = std::fs::read(&path)
            .map_err(|e| format!("{}: error: cannot read: {e}", name.display()))
            .and_then(|bytes| crate::load_bytes(&bytes, name).map_err(|e| problems(&e)));
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
        match crate::load_str(&text, format!("{rev}:{prefix}{name}")) {
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
