//! The two things a project runs, [`write`] and [`check`], and what they
//! print: the same lines from `cargo telemetry docs` and from any xtask.

use super::{Drift, GenerateError, Options, Written, apply, drift, generate};
use std::fmt;
use std::path::{Path, PathBuf};

/// What the schemas declare, over all of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Schemas read.
    pub schemas: usize,
    /// Events declared.
    pub events: usize,
    /// Fields declared (context, events, nested; forbidden ones included).
    pub fields: usize,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} schemas, {} events, {} fields", self.schemas, self.events, self.fields)
    }
}

/// What [`write()`] or [`check`] found when they succeed. Its `Display` is the
/// summary to print: one `wrote <path>` / `removed <path>` line per change,
/// then a `docs: ...` line. Paths under the current directory are shown relative to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// [`check`]: every generated file is as the schemas say.
    UpToDate {
        /// What was read.
        counts: Counts,
        /// Generated files checked.
        files: usize,
        /// The output directory.
        out: PathBuf,
    },
    /// [`write()`]: the output directory was brought up to date.
    Written {
        /// What was read.
        counts: Counts,
        /// What changed.
        done: Written,
        /// The output directory.
        out: PathBuf,
    },
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Report::UpToDate { counts, files, out } => {
                write!(f, "docs: up to date ({counts}, {files} files in {})", shown(out))
            }
            Report::Written { counts, done, out } => {
                for name in &done.written {
                    writeln!(f, "wrote {}", shown(&out.join(name)))?;
                }
                for name in &done.removed {
                    writeln!(f, "removed {}", shown(&out.join(name)))?;
                }
                write!(
                    f,
                    "docs: {counts}; {} files written, {} unchanged, {} removed in {}",
                    done.written.len(),
                    done.unchanged,
                    done.removed.len(),
                    shown(out)
                )
            }
        }
    }
}

/// Why [`write()`] or [`check`] failed. Its `Display` is the message to print on
/// stderr before exiting with a failure status: every problem, located, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A schema has problems (or the schema directory holds none); nothing was written.
    Schemas(GenerateError),
    /// [`check`]: files are stale, missing, extra, or hand-written where a generated one goes.
    OutOfDate {
        /// Each file that differs.
        drift: Vec<Drift>,
        /// The output directory.
        out: PathBuf,
        /// The command that brings it up to date.
        command: String,
    },
    /// The output directory could not be read or written.
    Io(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Schemas(e) => {
                write!(f, "{e}\nerror: docs not generated: {} problem(s) in the schemas above", e.problems.len())
            }
            Failure::OutOfDate { drift, out, command } => {
                for d in drift {
                    writeln!(f, "{}: {}", shown(&out.join(d.name())), d.describe())?;
                }
                write!(f, "error: {} generated file(s) out of date; run `{command}` and commit the result", drift.len())
            }
            Failure::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Failure {}

/// Renders every schema of `options.schemas` and brings `options.out` up to
/// date: writes what is stale or missing, removes generated files no schema
/// produces any more, never touches a hand-written file. Nothing is written
/// when a schema has problems.
pub fn write(options: &Options) -> Result<Report, Failure> {
    let generated = generate(&options.schemas, &options.render).map_err(Failure::Schemas)?;
    let done = apply(&generated, &options.out).map_err(Failure::Io)?;
    Ok(Report::Written { counts: generated.counts, done, out: options.out.clone() })
}

/// Writes nothing; fails naming each file of `options.out` that is stale,
/// missing or extra, so CI catches a schema changed without regenerating.
pub fn check(options: &Options) -> Result<Report, Failure> {
    let generated = generate(&options.schemas, &options.render).map_err(Failure::Schemas)?;
    let found = drift(&generated, &options.out)
        .map_err(|e| Failure::Io(format!("{}: error: cannot read: {e}", shown(&options.out))))?;
    if found.is_empty() {
        return Ok(Report::UpToDate {
            counts: generated.counts,
            files: generated.files.len(),
            out: options.out.clone(),
        });
    }
    Err(Failure::OutOfDate { drift: found, out: options.out.clone(), command: options.render.command.clone() })
}

/// `path` relative to the current directory when it lies below it, for short messages.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd).unwrap_or(path).display().to_string()
}
