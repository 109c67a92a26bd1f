//! `cargo xtask docs`: writes or checks the generated pages through
//! [`telemetry_schema::docs`], the library any project calls.

use std::path::PathBuf;
use telemetry_schema::docs;

/// Renders the schemas of `schemas` into `out`, or with `check` only compares.
pub fn run(check: bool, schemas: PathBuf, out: PathBuf) -> Result<(), String> {
    let mut options = xtask::docs_options();
    options.schemas = schemas;
    options.out = out;
    let result = if check { docs::check(&options) } else { docs::write(&options) };
    let report = result.map_err(|failure| failure.to_string())?;
    println!("{report}");
    Ok(())
}
