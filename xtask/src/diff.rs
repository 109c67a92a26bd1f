//! `cargo xtask docs --diff BASE [--json]`: the schemas of the working tree
//! against BASE (a git revision; a directory only with `--base-dir DIR`), classified and gated by
//! [`telemetry_schema::docs::review`], the function `cargo telemetry diff`
//! calls too.

use std::path::Path;
use telemetry_schema::docs::Base;

/// Prints the gate's report; `Err` (non-zero exit) when a schema does not
/// load, BASE cannot be read, or the gate fails.
pub(crate) fn run(schemas: &Path, base: &Base, json: bool) -> Result<(), String> {
    let review = telemetry_schema::docs::review(schemas, base)?;
    for w in &review.warnings {
        eprintln!("{w}");
    }
    if json {
        print!("{}", telemetry_schema::diff::json(&review.verdict));
    } else {
        print!("{}", telemetry_schema::diff::human(&review.verdict));
    }
    if review.verdict.passed() {
        Ok(())
    } else {
        Err(format!("error: the schema changes since `{base}` are not ready: fix the errors above"))
    }
}
