//! Project automation behind `cargo xtask`: the helpers its tasks share.
//! Docs generation itself is [`telemetry_schema::docs`], the library any
//! project calls; `cargo xtask docs` is one caller of it.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

/// The command this repository's generated pages name: the xtask, not the
/// installable `cargo telemetry docs` that user projects run.
pub const DOCS_COMMAND: &str = "cargo xtask docs";

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The docs options of this repository: `schemas/` to `docs/`, pages naming [`DOCS_COMMAND`].
///
/// ```
/// let options = xtask::docs_options();
/// assert!(options.schemas.ends_with("schemas") && options.out.ends_with("docs"));
/// assert_eq!(options.render.command, "cargo xtask docs");
/// ```
pub fn docs_options() -> telemetry_schema::docs::Options {
    let root = workspace_root();
    telemetry_schema::docs::Options::new(root.join("schemas"), root.join("docs")).command(DOCS_COMMAND)
}
