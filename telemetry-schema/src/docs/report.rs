//! The two things a project runs, [`write`] and [`check`], and what they
//! print: the same lines from `cargo telemetry docs` and from any xtask;
//! [`apply`], the step of [`write`] that changes the output directory.

use super::{Drift, Error, Generated, Options, drift, generate, shown};
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

/// Renders every schema of `options.schemas` and brings `options.out` up to
/// date: writes what is stale or missing, removes generated files no schema
/// produces any more, never touches a hand-written file. Nothing is written
/// when a schema has problems.
pub fn write(options: &Options) -> Result<Report, Error> {
    let generated = generate(&options.schemas, &options.render)?;
    let done = apply(&generated, &options.out)?;
    Ok(Report::Written { counts: generated.counts, done, out: options.out.clone() })
}

/// Writes nothing; fails naming each file of `options.out` that is stale,
/// missing or extra, so CI catches a schema changed without regenerating.
pub fn check(options: &Options) -> Result<Report, Error> {
    let generated = generate(&options.schemas, &options.render)?;
    let found = drift(&generated, &options.out).map_err(|e| Error::io(shown(&options.out), "read", e))?;
    if found.is_empty() {
        return Ok(Report::UpToDate {
            counts: generated.counts,
            files: generated.files.len(),
            out: options.out.clone(),
        });
    }
    Err(Error::OutOfDate { drift: found, out: options.out.clone(), command: options.render.command.clone() })
}

/// What [`apply`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or replaced.
    pub written: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Generated files no schema produces any more, removed.
    pub removed: Vec<String>,
}

/// Brings `out` up to date with `generated`: writes stale and missing files,
/// removes extra generated ones. Refuses (before writing anything) to
/// overwrite a hand-written file. Errors name the path and the cause.
pub fn apply(generated: &Generated, out: &Path) -> Result<Written, Error> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, "create the directory", e))?;
    let found = drift(generated, out).map_err(|e| Error::io(out, "read", e))?;
    if let Some(Drift::Clash(name)) = found.iter().find(|d| matches!(d, Drift::Clash(_))) {
        return Err(Error::Clash { path: out.join(name) });
    }
    let mut done = Written { unchanged: generated.files.len(), ..Written::default() };
    for d in found {
        let path = out.join(d.name());
        match d {
            Drift::Stale(name) | Drift::Missing(name) => {
                std::fs::write(&path, &generated.files[&name]).map_err(|e| Error::io(&path, "write", e))?;
                done.unchanged -= 1;
                done.written.push(name);
            }
            Drift::Extra(name) => {
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, "remove", e))?;
                done.removed.push(name);
            }
            Drift::Clash(_) => {}
        }
    }
    Ok(done)
}
