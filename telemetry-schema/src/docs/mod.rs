//! Docs generation for a project's own tree: every schema of a directory
//! rendered to its "what we collect" page and payload JSON Schema, written
//! to an output directory or checked against it (for CI).
//!
//! A project's own `xtask` (or a test) needs only [`write()`] and [`check`];
//! `cargo install cargo-telemetry` gives the same as `cargo telemetry docs`.
//!
//! ```
//! use telemetry_schema::docs::{self, Options};
//!
//! # let root = std::env::temp_dir().join(format!("telemetry-docs-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(root.join("telemetry")).unwrap();
//! # std::fs::write(
//! #     root.join("telemetry/demo.yaml"),
//! #     "version: 1\napp: { name: demo, title: Demo, description: Helps. }\nevents: { ping: { description: A ping. } }\n",
//! # ).unwrap();
//! // Schemas in telemetry/, pages in docs/; the pages tell readers to run `cargo xtask docs`.
//! let options = Options::new(root.join("telemetry"), root.join("docs")).command("cargo xtask docs");
//!
//! let failure = docs::check(&options).unwrap_err(); // nothing generated yet
//! assert!(failure.to_string().ends_with(
//!     "error: 3 generated file(s) out of date; run `cargo xtask docs` and commit the result"
//! ));
//!
//! let report = docs::write(&options).unwrap(); // print it: `wrote docs/demo.md` ...
//! assert!(report.to_string().contains("docs: 1 schemas, 1 events, 0 fields; 3 files written, 0 unchanged"));
//!
//! docs::check(&options).unwrap(); // what CI runs: fails, naming each file, when docs/ is stale
//! # std::fs::remove_dir_all(&root).unwrap();
//! ```

mod drift;
mod error;
mod report;
mod retired;
mod review;

pub use drift::{Drift, drift, is_generated};
pub use error::{Error, Read};
pub use report::{Counts, Report, Written, apply, check, write};
pub use retired::RETIRED_FILE;
pub use review::{Base, Review, review};

use crate::render;
use crate::{Field, FieldType, Schema};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file holding the JSON Schema of the YAML format itself.
pub const FORMAT_SCHEMA_FILE: &str = "telemetry-schema.json";

/// Where the schemas are, where the docs go, and the command the pages name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The directory holding the `*.yaml` / `*.yml` schemas (not searched recursively).
    pub schemas: PathBuf,
    /// The directory the files are written to; hand-written files in it are left alone.
    pub out: PathBuf,
    /// How the files are rendered, including the command their headers name
    /// (default [`render::DEFAULT_COMMAND`]).
    pub render: render::Options,
}

impl Options {
    /// Schemas from `schemas`, files to `out`, pages naming `cargo telemetry docs`.
    pub fn new(schemas: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Options { schemas: schemas.into(), out: out.into(), render: render::Options::default() }
    }

    /// These options with `command` named as the regeneration command in every
    /// generated file and in [`Error::OutOfDate`] messages.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.render = self.render.command(command);
        self
    }
}

/// Every file the docs consist of, by file name, plus counts for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// File name (no directory) to contents.
    pub files: BTreeMap<String, String>,
    /// What was read.
    pub counts: Counts,
}

/// The schema files of `dir` (`*.yaml`, `*.yml`, but not [`RETIRED_FILE`]), sorted by name.
pub fn schema_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_schema_name(p.file_name().and_then(|n| n.to_str()).unwrap_or("")))
        .collect();
    files.sort();
    Ok(files)
}

/// Loads every schema of `dir` and renders, for each, `<app>.md` and
/// `<app>.events.schema.json`, plus [`FORMAT_SCHEMA_FILE`]. Writes nothing.
/// All files are loaded before any error is returned, so every bad file is
/// reported ([`Error::Schemas`]).
pub fn generate(dir: &Path, options: &render::Options) -> Result<Generated, Error> {
    let files = schema_files(dir).map_err(|e| Error::Schemas {
        problems: vec![format!(
            "{}: error: cannot read the schema directory: {e}\n  help: pass the directory that holds the *.yaml schemas with `--schemas DIR`",
            dir.display()
        )],
        read: Read::Rendered,
    })?;
    let mut problems = Vec::new();
    let mut schemas: Vec<Schema> = Vec::new();
    for path in &files {
        match crate::load_path(path) {
            Ok(s) => schemas.push(s),
            Err(e) => problems.extend(e.diagnostics().iter().map(|d| d.to_string())),
        }
    }
    if files.is_empty() {
        problems.push(format!(
            "{}: error: no schema files (*.yaml) found\n  help: pass the directory that holds the schemas with `--schemas DIR`",
            dir.display()
        ));
    }
    let mut by_name: BTreeMap<&str, &Schema> = BTreeMap::new();
    for s in &schemas {
        if let Some(first) = by_name.insert(&s.app.name, s) {
            problems.push(format!(
                "{}: error: `app.name` `{}` is also used by {}\n  help: each schema needs its own `app.name`: it names the generated files",
                s.file.display(),
                s.app.name,
                first.file.display()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Schemas { problems, read: Read::Rendered });
    }
    let mut out = BTreeMap::new();
    let mut counts = Counts { schemas: schemas.len(), ..Counts::default() };
    for s in &schemas {
        counts.events += s.events.len();
        counts.fields += count_fields(&s.context) + s.events.iter().map(|e| count_fields(&e.fields)).sum::<usize>();
        out.insert(format!("{}.md", s.app.name), render::markdown_with(s, options));
        out.insert(format!("{}.events.schema.json", s.app.name), render::payload_schema_text_with(s, options));
    }
    out.insert(FORMAT_SCHEMA_FILE.to_string(), crate::format::json_schema_text());
    Ok(Generated { files: out, counts })
}

/// Whether a file of a schema directory, by its name, is a schema.
pub(crate) fn is_schema_name(name: &str) -> bool {
    (name.ends_with(".yaml") || name.ends_with(".yml")) && name != RETIRED_FILE
}

fn count_fields(fields: &[Field]) -> usize {
    fields
        .iter()
        .map(|f| {
            1 + match &f.ty {
                Some(FieldType::Object { fields }) => count_fields(fields),
                Some(FieldType::List { items }) => match &**items {
                    FieldType::Object { fields } => count_fields(fields),
                    _ => 0,
                },
                _ => 0,
            }
        })
        .sum()
}

/// `path` relative to the current directory when it lies below it, for short messages.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd).unwrap_or(path).display().to_string()
}
