//! What the source checks read (`architecture.rs`, `modules.rs`, `sizes.rs`):
//! the three library crates, and the `.rs` files under a folder. Shared so
//! that a crate added to the workspace is added to every check at once.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The library crates whose sources the checks read.
pub const CRATES: [&str; 3] = ["telemetry-core", "telemetry-schema", "telemetry-derive"];

/// Every `.rs` file under `dir`, at any depth, in path order.
pub fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
