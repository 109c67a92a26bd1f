//! `cargo xtask public-api [--bless]`: the public API of the published
//! library crates, listed one item a line from rustdoc JSON (by the
//! `public-api` crate) and compared with the snapshots in `public-api/`.
//!
//! A change to what users can name then shows up as a diff to review, and CI
//! fails until the snapshot is updated with `--bless` and committed.
//! Rustdoc JSON needs the nightly toolchain; `public-api` reads one JSON
//! format version, so its version in `xtask/Cargo.toml` is pinned to the one
//! that reads the nightly the machine has (format 57).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One listed surface: a crate built with some features, and its snapshot.
struct Surface {
    krate: &'static str,
    features: &'static str,
    snapshot: &'static str,
}

/// Every surface checked. telemetry-schema is listed with `render` (which
/// turns on `serde` too): what cargo-telemetry and xtask use.
const SURFACES: [Surface; 4] = [
    Surface { krate: "telemetry-core", features: "", snapshot: "public-api/telemetry-core.txt" },
    Surface { krate: "telemetry-core", features: "clap", snapshot: "public-api/telemetry-core+clap.txt" },
    Surface { krate: "telemetry-schema", features: "render", snapshot: "public-api/telemetry-schema.txt" },
    Surface { krate: "telemetry-derive", features: "", snapshot: "public-api/telemetry-derive.txt" },
];

/// What to run to accept a change; CI's message names it too.
pub const BLESS: &str = "cargo xtask public-api --bless";

const USAGE: &str = "usage: cargo xtask public-api [--bless]\n\n\
Lists the public API of telemetry-core (default features, and with clap), telemetry-schema\n\
(render) and telemetry-derive from rustdoc JSON (nightly toolchain) and compares each with\n\
its snapshot in public-api/. --bless writes the snapshots instead.";

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut bless = false;
    for arg in args {
        match arg.as_str() {
            "--bless" => bless = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("error: unknown option `{other}` for `public-api`; try `--bless`")),
        }
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target = target.join("public-api");
    let started = Instant::now();
    let mut changed = Vec::new();
    for surface in &SURFACES {
        let listed = list(root, &target, surface)?;
        let path = root.join(surface.snapshot);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old == listed {
            continue;
        }
        if bless {
            std::fs::create_dir_all(path.parent().unwrap_or(root))
                .and_then(|()| std::fs::write(&path, &listed))
                .map_err(|e| format!("{}: error: cannot write: {e}", path.display()))?;
            println!("wrote {}", surface.snapshot);
        } else {
            changed.push(format!("{}:\n{}", surface.snapshot, diff(&old, &listed)));
        }
    }
    eprintln!("public-api: {} surfaces in {:.0?}", SURFACES.len(), started.elapsed());
    if changed.is_empty() {
        return Ok(());
    }
    Err(format!(
        "error: the public API differs from its snapshot (- snapshot, + now):\n\n{}\n\
         If the change is meant, review it, run `{BLESS}` and commit public-api/.",
        changed.join("\n")
    ))
}

/// The public API of one surface, one item a line, sorted.
fn list(root: &Path, target: &Path, surface: &Surface) -> Result<String, String> {
    // `rustup run` rather than `cargo +nightly`: under `cargo xtask` the
    // `cargo` on PATH may be the toolchain's own binary, which has no `+`.
    let mut cmd = Command::new("rustup");
    cmd.current_dir(root)
        .args(["run", "nightly", "cargo", "rustdoc", "--quiet", "--locked", "--lib", "-p", surface.krate])
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTC")
        .env_remove("RUSTDOC")
        .env_remove("RUSTUP_TOOLCHAIN");
    if !surface.features.is_empty() {
        cmd.args(["--features", surface.features]);
    }
    cmd.args(["--", "-Z", "unstable-options", "--output-format", "json"]);
    let status =
        cmd.status().map_err(|e| format!("error: cannot run `rustup` (the nightly toolchain lists the API): {e}"))?;
    if !status.success() {
        return Err(format!(
            "error: rustdoc JSON of {} failed ({status}); it needs the nightly toolchain (`rustup toolchain list`)",
            surface.krate
        ));
    }
    let json = target.join("doc").join(format!("{}.json", surface.krate.replace('-', "_")));
    let api = public_api::Builder::from_rustdoc_json(&json)
        .omit_blanket_impls(true)
        .build()
        .map_err(|e| format!("{}: error: cannot read rustdoc JSON: {e}", json.display()))?;
    Ok(api.to_string())
}

/// The lines only in `old` (`-`) and only in `new` (`+`), in order.
fn diff(old: &str, new: &str) -> String {
    let (old_lines, new_lines): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let mut out = String::new();
    for line in &old_lines {
        if !new_lines.contains(line) {
            out.push_str(&format!("- {line}\n"));
        }
    }
    for line in &new_lines {
        if !old_lines.contains(line) {
            out.push_str(&format!("+ {line}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn diff_lists_removed_then_added_lines() {
        assert_eq!(diff("pub fn a()\npub fn b()\n", "pub fn b()\npub fn c()\n"), "- pub fn a()\n+ pub fn c()\n");
        assert_eq!(diff("pub fn a()\n", "pub fn a()\n"), "");
    }
}
