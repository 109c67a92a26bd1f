//! Project automation behind `cargo xtask`: generating `docs/` from
//! `schemas/` and checking it is fresh. The benchmark tasks live in the
//! binary's `bench` module tree.
//!
//! ```
//! let dir = std::env::temp_dir().join(format!("xtask-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(
//!     dir.join("demo.yaml"),
//!     "version: 1\napp: { name: demo, title: Demo, description: Helps. }\nevents: { ping: { description: A ping. } }\n",
//! )
//! .unwrap();
//! let docs = xtask::generate(&dir).unwrap();
//! assert_eq!(
//!     docs.files.keys().collect::<Vec<_>>(),
//!     ["demo.events.schema.json", "demo.md", "telemetry-schema.json"]
//! );
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use telemetry_schema::{Field, FieldType, Schema};

/// The file holding the JSON Schema of the YAML format.
pub const FORMAT_SCHEMA_FILE: &str = "telemetry-schema.json";

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Everything `cargo xtask docs` writes, by file name, plus counts for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// File name (no directory) to contents.
    pub files: BTreeMap<String, String>,
    /// Schemas read.
    pub schemas: usize,
    /// Events declared, over all schemas.
    pub events: usize,
    /// Fields declared (context, events, nested; forbidden ones included), over all schemas.
    pub fields: usize,
}

/// Why generation failed: every problem of every file, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateError {
    /// One entry per problem, each `file:line:col: error: message` plus its `help:` line.
    pub problems: Vec<String>,
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for GenerateError {}

/// The schema files of `dir` (`*.yaml`, `*.yml`), sorted by name.
pub fn schema_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    Ok(files)
}

/// Loads every schema of `dir` and renders `docs/`: for each schema
/// `<app>.md` and `<app>.events.schema.json`, plus [`FORMAT_SCHEMA_FILE`].
/// All files are loaded before any error is returned, so every bad file is reported.
pub fn generate(dir: &Path) -> Result<Generated, GenerateError> {
    let files = schema_files(dir).map_err(|e| GenerateError {
        problems: vec![format!(
            "{}: error: cannot read the schema directory: {e}\n  help: pass the directory that holds the *.yaml schemas with `--schemas DIR`",
            dir.display()
        )],
    })?;
    let mut problems = Vec::new();
    let mut schemas: Vec<Schema> = Vec::new();
    for path in &files {
        match telemetry_schema::load_path(path) {
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
        return Err(GenerateError { problems });
    }
    let mut out = BTreeMap::new();
    let (mut events, mut fields) = (0, 0);
    for s in &schemas {
        events += s.events.len();
        fields += count_fields(&s.context) + s.events.iter().map(|e| count_fields(&e.fields)).sum::<usize>();
        out.insert(format!("{}.md", s.app.name), telemetry_schema::render::markdown(s));
        out.insert(format!("{}.events.schema.json", s.app.name), telemetry_schema::render::payload_schema_text(s));
    }
    out.insert(FORMAT_SCHEMA_FILE.to_string(), telemetry_schema::format::json_schema_text());
    Ok(Generated { files: out, schemas: schemas.len(), events, fields })
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

/// Whether a file in the output directory was written by `cargo xtask docs`
/// (and may be replaced or removed by it). Hand-written pages are left alone.
pub fn is_generated(name: &str, contents: &str) -> bool {
    name == FORMAT_SCHEMA_FILE
        || name.ends_with(".events.schema.json")
        || (name.ends_with(".md") && contents.lines().take(5).any(|l| l.starts_with(GENERATED_MARKER)))
}

use telemetry_schema::render::GENERATED_MARKER;

/// How the output directory differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    /// Generated file whose contents differ.
    Stale(String),
    /// Generated file that does not exist.
    Missing(String),
    /// A generated-looking file no schema produces any more.
    Extra(String),
    /// A hand-written file where a generated file should go.
    Clash(String),
}

impl Drift {
    /// The file name it concerns.
    pub fn name(&self) -> &str {
        match self {
            Drift::Stale(n) | Drift::Missing(n) | Drift::Extra(n) | Drift::Clash(n) => n,
        }
    }
}

/// Compares `out` with `generated`, file by file.
pub fn drift(generated: &Generated, out: &Path) -> std::io::Result<Vec<Drift>> {
    let mut found = Vec::new();
    for (name, want) in &generated.files {
        match std::fs::read_to_string(out.join(name)) {
            Ok(have) if &have == want => {}
            Ok(have) if !is_generated(name, &have) => found.push(Drift::Clash(name.clone())),
            Ok(_) => found.push(Drift::Stale(name.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => found.push(Drift::Missing(name.clone())),
            Err(e) => return Err(e),
        }
    }
    if out.is_dir() {
        for entry in std::fs::read_dir(out)? {
            let path = entry?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
            if !path.is_file() || generated.files.contains_key(&name) {
                continue;
            }
            let contents = std::fs::read_to_string(&path).unwrap_or_default();
            if is_generated(&name, &contents) {
                found.push(Drift::Extra(name));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// What [`write`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or replaced.
    pub written: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Generated files no schema produces any more, removed.
    pub removed: Vec<String>,
}

/// Brings `out` up to date: writes stale and missing files, removes extra
/// generated ones. Refuses (before writing anything) to overwrite a hand-written file.
pub fn write(generated: &Generated, out: &Path) -> Result<Written, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: error: cannot create the directory: {e}", out.display()))?;
    let found = drift(generated, out).map_err(|e| format!("{}: error: cannot read: {e}", out.display()))?;
    if let Some(Drift::Clash(name)) = found.iter().find(|d| matches!(d, Drift::Clash(_))) {
        return Err(format!(
            "{}: error: this hand-written file would be overwritten by a generated page\n  help: rename the schema's `app.name`, or move the hand-written file",
            out.join(name).display()
        ));
    }
    let mut done = Written { unchanged: generated.files.len(), ..Written::default() };
    for d in found {
        let path = out.join(d.name());
        match d {
            Drift::Stale(name) | Drift::Missing(name) => {
                std::fs::write(&path, &generated.files[&name])
                    .map_err(|e| format!("{}: error: cannot write: {e}", path.display()))?;
                done.unchanged -= 1;
                done.written.push(name);
            }
            Drift::Extra(name) => {
                std::fs::remove_file(&path).map_err(|e| format!("{}: error: cannot remove: {e}", path.display()))?;
                done.removed.push(name);
            }
            Drift::Clash(_) => {}
        }
    }
    Ok(done)
}
