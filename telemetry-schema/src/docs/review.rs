//! The review gate run over a project's schema directory: its schemas now
//! against BASE, a git revision of the same directory or, only when asked
//! for explicitly, another directory of schemas. `cargo telemetry diff` and
//! this repository's `cargo xtask docs --diff` are two callers; a project's
//! own xtask can be a third.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Error, Read};
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

/// What the schemas are compared with.
///
/// A revision is always read from git, even when a directory of the same
/// name exists: a change that adds `HEAD/` or `origin/main/` must not choose
/// what it is compared with. A directory is used only when the caller says
/// so (`--base-dir DIR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// A git revision (`HEAD~1`, `main`, a commit id), read as the same directory at that revision.
    Rev(String),
    /// A directory of schemas.
    Dir(PathBuf),
}

impl Review {
    /// Prints what a command prints for this review: the warnings on
    /// stderr, then the report on stdout (the JSON report when `json`, else
    /// [`diff::human`]). [`Error::NotReady`] when the gate fails: its
    /// message is the line to exit with. `cargo telemetry diff` and
    /// `cargo xtask docs --diff` both print through this.
    ///
    /// ```
    /// use telemetry_schema::docs::{Base, review};
    /// let dir = std::env::temp_dir().join(format!("review-print-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let app = "version: 1\napp: { name: app, title: App, description: Helps. }\nevents:\n  ping: { description: A ping. }\n";
    /// std::fs::write(dir.join("app.yaml"), app).unwrap();
    /// let base = Base::Dir(dir.clone());
    /// // The same directory on both sides: no change, so the gate passes.
    /// assert_eq!(review(&dir, &base).unwrap().print(&base, false), Ok(()));
    /// std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn print(&self, base: &Base, json: bool) -> Result<(), Error> {
        for w in &self.warnings {
            eprintln!("{w}");
        }
        if json {
            print!("{}", diff::json(&self.verdict));
        } else {
            print!("{}", diff::human(&self.verdict));
        }
        if self.verdict.passed() { Ok(()) } else { Err(Error::NotReady { base: base.to_string() }) }
    }
}

impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base::Rev(rev) => f.write_str(rev),
            Base::Dir(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// Compares the schemas in `schemas` with `base`: a git revision, read as
/// the same directory at that revision (`git show COMMIT:./file`), or a
/// directory of schemas. `Err` says why nothing could be compared: a
/// schema that does not load (now or at BASE, [`Error::Schemas`]), or a BASE
/// that cannot be read (the git variants of [`Error`]).
///
/// ```
/// let dir = std::env::temp_dir().join(format!("review-doc-{}", std::process::id()));
/// let (base, head) = (dir.join("base"), dir.join("head"));
/// std::fs::create_dir_all(&base).unwrap();
/// std::fs::create_dir_all(&head).unwrap();
/// let app = "version: 1\napp: { name: app, title: App, description: Helps. }\nevents:\n  ping: { description: A ping. }\n";
/// std::fs::write(base.join("app.yaml"), app).unwrap();
/// std::fs::write(head.join("app.yaml"), app.replace("A ping.", "A ping sent once a day.")).unwrap();
/// let base = telemetry_schema::docs::Base::Dir(base);
/// let review = telemetry_schema::docs::review(&head, &base).unwrap();
/// assert!(review.verdict.passed(), "wording only needs no new version");
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn review(schemas: &Path, base: &Base) -> Result<Review, Error> {
    let head = load_dir(schemas)?;
    let before = match base {
        Base::Dir(dir) => load_dir(dir)?,
        Base::Rev(rev) => load_rev(schemas, rev)?,
    };
    let warnings = head.iter().flat_map(|s| s.warnings.iter().cloned()).collect();
    let mut verdict = diff::gate(&before, &head);
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = schemas.strip_prefix(&cwd).unwrap_or(schemas);
    verdict.findings.extend(super::retired::check(schemas, shown, &before, &head, crate::Date::today())?);
    Ok(Review { verdict, warnings })
}

fn problems(e: &SchemaError) -> impl Iterator<Item = String> + '_ {
    e.diagnostics().iter().map(|d| d.to_string())
}

fn load_dir(dir: &Path) -> Result<Vec<Schema>, Error> {
    let files = super::schema_files(dir).map_err(|e| Error::io(dir, "read the directory", e))?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let cwd = std::env::current_dir().unwrap_or_default();
    for path in files {
        // Named relative to the current directory, so findings read `schemas/app.yaml:12:5`.
        let name = path.strip_prefix(&cwd).unwrap_or(&path);
        match std::fs::read(&path) {
            Ok(bytes) => match crate::load_bytes(&bytes, name) {
                Ok(s) => out.push(s),
                Err(e) => errors.extend(problems(&e)),
            },
            Err(e) => errors.push(format!("{}: error: cannot read: {e}", name.display())),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(Error::Schemas { problems: errors, read: Read::Compared }) }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, Error> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Error::GitMissing { cause: e.to_string() })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(Error::GitFailed { args: args.join(" "), stderr });
    }
    String::from_utf8(out.stdout).map_err(|e| Error::GitOutput { args: args.join(" "), cause: e.to_string() })
}

/// The schemas of the same directory at revision `rev`, named `REV:path` in messages.
fn load_rev(dir: &Path, rev: &str) -> Result<Vec<Schema>, Error> {
    if rev.starts_with('-') || rev.is_empty() {
        return Err(Error::NotARevision { rev: rev.to_string() });
    }
    let prefix = git(dir, &["rev-parse", "--show-prefix"])?;
    let prefix = prefix.trim();
    // Resolved to a commit id first, so that nothing else (a path, an option) is read as BASE.
    let commit = git(dir, &["rev-parse", "--verify", "--quiet", "--end-of-options", &format!("{rev}^{{commit}}")])
        .map_err(|_| Error::NotACommit { rev: rev.to_string() })?;
    let commit = commit.trim();
    let names = git(dir, &["ls-tree", "--name-only", commit, "--", "."])?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for name in names.lines().filter(|n| super::is_schema_name(n)) {
        let text = git(dir, &["show", &format!("{commit}:./{name}")])?;
        match crate::load_str(&text, format!("{rev}:{prefix}{name}")) {
            Ok(s) => out.push(s),
            Err(e) => errors.extend(problems(&e)),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(Error::Schemas { problems: errors, read: Read::Revision(rev.into()) }) }
}
