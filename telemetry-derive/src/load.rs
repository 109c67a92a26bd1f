//! Finds and loads the schema a derive names, once per compiler process;
//! a broken one's errors are shown as `reported` decides.

use crate::ctxt::Ctxt;
use crate::reported::{Host, Reports, Site};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;
use syn::{Error, LitStr};
use telemetry_schema::{Schema, SchemaError};

/// A loaded schema and the path the expansion `include_bytes!`s.
pub(crate) struct Loaded {
    pub schema: Arc<Schema>,
    /// Absolute path, for `include_bytes!`.
    pub abs: PathBuf,
    /// How to name the file in messages: relative to the crate when possible.
    pub shown: String,
}

type Cached = Arc<Result<Arc<Schema>, SchemaError>>;
type Cache = Mutex<HashMap<PathBuf, (Option<SystemTime>, Cached)>>;

/// Keyed by path and modification time: a long-lived compiler process
/// (rust-analyzer) sees edits, and many derives naming one file parse it once.
fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Why a schema could not be used.
pub(crate) enum LoadError {
    /// The first macro of this session to meet this broken schema: its errors.
    Report(Error),
    /// An earlier macro of this crate and session reported it: say nothing more.
    Reported,
}

impl LoadError {
    /// The `compile_error!`s to emit (none when already reported).
    pub(crate) fn to_compile_error(&self) -> proc_macro2::TokenStream {
        match self {
            LoadError::Report(e) => e.to_compile_error(),
            LoadError::Reported => proc_macro2::TokenStream::new(),
        }
    }
}

/// Broken schemas already reported by this process (see `reported`).
fn reported() -> &'static Mutex<Reports> {
    static REPORTED: OnceLock<Mutex<Reports>> = OnceLock::new();
    REPORTED.get_or_init(Default::default)
}

/// Where the macro call naming the schema is.
fn site(lit: &LitStr) -> Site {
    let span = lit.span().unwrap();
    (span.file(), span.line(), span.column())
}

/// Resolves `lit` like `include_str!`: relative to the file holding the
/// attribute, falling back to `CARGO_MANIFEST_DIR`.
fn resolve(lit: &LitStr) -> PathBuf {
    let rel = PathBuf::from(lit.value());
    if rel.is_absolute() {
        return rel;
    }
    let from_file =
        proc_macro::Span::call_site().local_file().and_then(|f| f.parent().map(|d| d.join(&rel))).map(|p| absolute(&p));
    match from_file {
        Some(p) if p.exists() => p,
        other => {
            let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(|d| absolute(&PathBuf::from(d).join(&rel)));
            match manifest {
                Some(m) if m.exists() => m,
                // Neither exists: report the include_str!-style path.
                _ => other.or(manifest).unwrap_or(rel),
            }
        }
    }
}

/// An absolute path with `.` and `..` removed lexically.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// How to show `abs` to a person: from the workspace root (the nearest
/// directory above the crate that holds `Cargo.lock`) when under it.
fn shown(abs: &Path) -> String {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let root = manifest.as_deref().and_then(|m| m.ancestors().find(|d| d.join("Cargo.lock").exists()));
    let bases = [root.map(Path::to_path_buf), manifest.clone(), std::env::current_dir().ok()];
    let rel = bases.iter().flatten().find_map(|b| abs.strip_prefix(b).ok());
    rel.unwrap_or(abs).display().to_string()
}

pub(crate) fn load(lit: &LitStr) -> Result<Loaded, LoadError> {
    let abs = resolve(lit);
    let shown = shown(&abs);
    let mtime = std::fs::metadata(&abs).and_then(|m| m.modified()).ok();
    let cached = {
        let mut map = cache().lock().unwrap_or_else(|p| p.into_inner());
        match map.get(&abs) {
            Some((t, v)) if *t == mtime && mtime.is_some() => v.clone(),
            _ => {
                let v: Cached = Arc::new(telemetry_schema::load_path(&abs).map(Arc::new));
                map.insert(abs.clone(), (mtime, v.clone()));
                v
            }
        }
    };
    match &*cached {
        Ok(schema) => Ok(Loaded { schema: schema.clone(), abs, shown }),
        Err(e) => {
            let key = (std::env::var_os("CARGO_CRATE_NAME"), abs, mtime);
            let host = Host::detect(|name| std::env::var_os(name));
            let first = reported().lock().unwrap_or_else(|p| p.into_inner()).first(host, key, site(lit));
            Err(if first { LoadError::Report(schema_error(lit, e, &shown)) } else { LoadError::Reported })
        }
    }
}

/// Every diagnostic of the file as one combined error at the `schema = "..."` literal.
fn schema_error(lit: &LitStr, e: &SchemaError, shown: &str) -> Error {
    let mut cx = Ctxt::default();
    for d in e.diagnostics() {
        let at = match d.loc {
            Some(l) => format!("{shown}:{l}"),
            None => shown.to_string(),
        };
        let message = format!("schema error at {at}: {}", d.message);
        match &d.help {
            Some(help) => cx.error(lit.span(), message, help),
            None => cx.push(Error::new(lit.span(), message)),
        }
    }
    cx.into_error().unwrap_or_else(|| Error::new(lit.span(), "schema error"))
}
