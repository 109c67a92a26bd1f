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
    /// The schema's fingerprint, computed once with the parse.
    pub fingerprint: u128,
    /// Absolute path, for `include_bytes!`.
    pub abs: PathBuf,
    /// How to name the file in messages: relative to the crate when possible.
    pub shown: String,
    /// Whether this expansion emits the `include_bytes!` (see [`Loaded::track`]).
    first: bool,
}

impl Loaded {
    /// `include_bytes!` of the schema, so that cargo rebuilds the crate when
    /// it changes. One per crate is enough for cargo's dependency list, and
    /// each copy is the whole file as a literal that rustc expands and
    /// checks: under a compiler only the first expansion of the crate
    /// emits it (as `reported` decides for errors), under an editor every one.
    pub(crate) fn track(&self) -> proc_macro2::TokenStream {
        if !self.first {
            return proc_macro2::TokenStream::new();
        }
        let abs = self.abs.display().to_string();
        quote::quote!(
            const _: &[u8] = ::core::include_bytes!(#abs);
        )
    }
}

type Cached = Arc<Result<(Arc<Schema>, u128), SchemaError>>;
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

/// Schemas whose `include_bytes!` this process emitted (see `Loaded::track`).
fn tracked() -> &'static Mutex<Reports> {
    static TRACKED: OnceLock<Mutex<Reports>> = OnceLock::new();
    TRACKED.get_or_init(Default::default)
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
                // The fingerprint hashes the whole schema: once per file, not per derive.
                let v: Cached = Arc::new(telemetry_schema::load_path(&abs).map(|s| {
                    let fingerprint = telemetry_schema::fingerprint(&s);
                    (Arc::new(s), fingerprint)
                }));
                map.insert(abs.clone(), (mtime, v.clone()));
                v
            }
        }
    };
    let key = (std::env::var_os("CARGO_CRATE_NAME"), abs.clone(), mtime);
    let host = Host::detect(|name| std::env::var_os(name));
    match &*cached {
        Ok((schema, fingerprint)) => {
            let first = tracked().lock().unwrap_or_else(|p| p.into_inner()).first(host, key, site(lit));
            Ok(Loaded { schema: schema.clone(), fingerprint: *fingerprint, abs, shown, first })
        }
        Err(e) => {
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
