//! `cargo xtask docs --diff BASE [--json]`: the schemas of the working tree
//! against BASE (a git revision; a directory only with `--base-dir DIR`), classified and gated by
//! [`telemetry_schema::docs::review`], the function `cargo telemetry diff`
//! calls too.

use std::path::Path;
use telemetry_schema::docs::Base;

/// Prints the gate's report; `Err` (non-zero exit) when a schema does not
/// load, BASE cannot be read, or the gate fails.
pub(crate) fn run(schemas: &Path, base: &Base, json: bool) -> Result<(), String> {
    let review = telemetry_schema::docs::review(schemas, base).map_err(|e| e.to_string())?;
    review.print(base, json).map_err(|e| e.to_string())
}
