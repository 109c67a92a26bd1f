//! `cargo xtask docs`: writes or checks the generated pages, using the
//! library's [`generate`], [`xtask::drift`] and [`xtask::write`].

use std::path::{Path, PathBuf};
use xtask::{Drift, generate};

/// `path` relative to the current directory when it lies below it, for short messages.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd).unwrap_or(path).display().to_string()
}

/// Renders the schemas of `schemas` into `out`, or with `check` only compares.
pub fn run(check: bool, schemas: PathBuf, out: PathBuf) -> Result<(), String> {
    let generated = generate(&schemas)
        .map_err(|e| format!("{e}\nerror: docs not generated: {} problem(s) in the schemas above", e.problems.len()))?;
    let counts = format!("{} schemas, {} events, {} fields", generated.schemas, generated.events, generated.fields);
    if check {
        let found = xtask::drift(&generated, &out).map_err(|e| format!("{}: error: {e}", shown(&out)))?;
        if found.is_empty() {
            println!("docs: up to date ({counts}, {} files in {})", generated.files.len(), shown(&out));
            return Ok(());
        }
        let mut msg = String::new();
        for d in &found {
            let what = match d {
                Drift::Stale(_) => "stale",
                Drift::Missing(_) => "missing",
                Drift::Extra(_) => "extra (no schema generates it)",
                Drift::Clash(_) => "hand-written file in the way of a generated one",
            };
            msg.push_str(&format!("{}: {what}\n", shown(&out.join(d.name()))));
        }
        msg.push_str(&format!(
            "error: {} generated file(s) out of date; run `cargo xtask docs` and commit the result",
            found.len()
        ));
        return Err(msg);
    }
    let done = xtask::write(&generated, &out)?;
    for name in &done.written {
        println!("wrote {}", shown(&out.join(name)));
    }
    for name in &done.removed {
        println!("removed {}", shown(&out.join(name)));
    }
    println!(
        "docs: {counts}; {} files written, {} unchanged, {} removed in {}",
        done.written.len(),
        done.unchanged,
        done.removed.len(),
        shown(&out)
    );
    Ok(())
}
