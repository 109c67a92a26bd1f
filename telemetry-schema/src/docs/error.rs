//! Why a docs step failed: one type for generating, writing and checking the
//! pages and for the review gate, so that a command prints one message and
//! exits non-zero whichever step failed.

use super::Drift;
use std::fmt;
use std::path::PathBuf;

/// Why a function of [`docs`](super) failed. Its `Display` is the message to
/// print on stderr before exiting with a failure status: each problem,
/// located (`file:line:col: error: ...` or the path), and, where there is
/// one, a `help:` line saying what to do.
///
/// ```
/// use telemetry_schema::docs::{self, Error, Options};
///
/// let dir = std::env::temp_dir().join(format!("docs-error-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let failure = docs::write(&Options::new(&dir, dir.join("out"))).unwrap_err();
/// assert!(matches!(failure, Error::Schemas { .. }));
/// assert_eq!(
///     failure.to_string(),
///     format!(
///         "{}: error: no schema files (*.yaml) found\n  help: pass the directory that holds the schemas with `--schemas DIR`\n\
///          error: docs not generated: 1 problem(s) in the schemas above",
///         dir.display()
///     )
/// );
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Schemas that do not load, every problem of every file (also, when
    /// generating, an unreadable or empty schema directory and two schemas
    /// with one `app.name`; when reviewing, a bad `retired.yaml`). Nothing
    /// was written or compared.
    Schemas {
        /// One entry per problem, each `file:line:col: error: message` plus its `help:` line.
        problems: Vec<String>,
        /// Which schemas they are, for the closing line.
        read: Read,
    },
    /// A file or directory could not be read, created, written or removed.
    Io {
        /// The path, as the message shows it.
        path: PathBuf,
        /// What could not be done: `read`, `read the directory`, `create the directory`, `write`, `remove`.
        action: &'static str,
        /// The operating system's reason.
        cause: String,
    },
    /// A hand-written file stands where a generated page goes; nothing was written.
    Clash {
        /// The hand-written file.
        path: PathBuf,
    },
    /// [`check`](super::check): generated files are stale, missing, extra,
    /// or hand-written where a generated one goes.
    OutOfDate {
        /// Each file that differs.
        drift: Vec<Drift>,
        /// The output directory.
        out: PathBuf,
        /// The command that brings it up to date.
        command: String,
    },
    /// [`Review::print`](super::Review::print): the gate found errors in
    /// the changes since BASE (the report above names each and its fix).
    NotReady {
        /// What the schemas were compared with, as the message names it.
        base: String,
    },
    /// BASE is a revision, and git could not be run.
    GitMissing {
        /// The operating system's reason.
        cause: String,
    },
    /// A git command reading BASE failed.
    GitFailed {
        /// The command's arguments after `git`.
        args: String,
        /// What git printed on stderr.
        stderr: String,
    },
    /// A git command reading BASE printed text that is not UTF-8.
    GitOutput {
        /// The command's arguments after `git`.
        args: String,
        /// Where the text stops being UTF-8.
        cause: String,
    },
    /// BASE is empty or starts with `-`: not something git may read as a revision.
    NotARevision {
        /// BASE as given.
        rev: String,
    },
    /// BASE names no commit of the repository the schemas are in.
    NotACommit {
        /// BASE as given.
        rev: String,
    },
}

/// Which schemas an [`Error::Schemas`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Read {
    /// The schemas being rendered: no page was generated.
    Rendered,
    /// The schemas a review compares: the directory now, or a directory given as BASE.
    Compared,
    /// The schemas of the directory at this git revision, the review's BASE.
    Revision(String),
}

const BASE_HELP: &str = "compare with a directory of schemas with `--base-dir DIR`";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Schemas { problems, read } => {
                f.write_str(&problems.join("\n"))?;
                match read {
                    Read::Rendered => {
                        write!(f, "\nerror: docs not generated: {} problem(s) in the schemas above", problems.len())
                    }
                    Read::Compared => Ok(()),
                    Read::Revision(rev) => {
                        write!(f, "\nerror: the schemas at `{rev}` do not load, so there is nothing to compare with")
                    }
                }
            }
            Error::Io { path, action, cause } => write!(f, "{}: error: cannot {action}: {cause}", path.display()),
            Error::Clash { path } => write!(
                f,
                "{}: error: this hand-written file would be overwritten by a generated page\n  \
                 help: rename the schema's `app.name`, or move the hand-written file",
                path.display()
            ),
            Error::OutOfDate { drift, out, command } => {
                for d in drift {
                    writeln!(f, "{}: {}", super::shown(&out.join(d.name())), d.describe())?;
                }
                write!(f, "error: {} generated file(s) out of date; run `{command}` and commit the result", drift.len())
            }
            Error::NotReady { base } => {
                write!(f, "error: the schema changes since `{base}` are not ready: fix the errors above")
            }
            Error::GitMissing { cause } => write!(
                f,
                "error: cannot run git: {cause}\n  help: install git, or pass a directory of schemas with `--base-dir DIR`"
            ),
            Error::GitFailed { args, stderr } => write!(
                f,
                "error: `git {args}` failed: {stderr}\n  \
                 help: BASE must be a git revision (e.g. `HEAD~1`, `main`); {BASE_HELP}"
            ),
            Error::GitOutput { args, cause } => {
                write!(f, "error: `git {args}` printed text that is not UTF-8: {cause}")
            }
            Error::NotARevision { rev } => write!(
                f,
                "error: `{rev}` is not a git revision\n  help: BASE is a revision such as `HEAD~1` or `main`; {BASE_HELP}"
            ),
            Error::NotACommit { rev } => write!(
                f,
                "error: `{rev}` is not a commit of this repository\n  \
                 help: BASE is a git revision such as `HEAD~1` or `main`; {BASE_HELP}"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// An I/O failure on `path`.
    pub(super) fn io(path: impl Into<PathBuf>, action: &'static str, cause: std::io::Error) -> Error {
        Error::Io { path: path.into(), action, cause: cause.to_string() }
    }
}
