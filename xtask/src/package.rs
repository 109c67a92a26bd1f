//! `cargo xtask package`: the publishable crates packaged with verification,
//! then their doctests run inside the packaged copies, against each other.
//!
//! `cargo package` verifies that each crate builds from its archive but runs
//! no tests, so a doctest that reads a file left out of the package (a schema
//! beside the workspace, say) would only fail for users. Here the archives are
//! unpacked into a scratch workspace whose `[patch.crates-io]` points each
//! crate's dependencies at the unpacked siblings, and `cargo test --doc` runs there.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The crates published, in dependency order.
pub const PACKAGES: [&str; 4] = ["telemetry-schema", "telemetry-derive", "telemetry-core", "cargo-telemetry"];

const USAGE: &str = "usage: cargo xtask package [--allow-dirty]\n\n\
Packages telemetry-schema, telemetry-derive, telemetry-core and cargo-telemetry with\n\
verification, unpacks them into target/package-doctest/ and runs their doctests there.";

/// The scratch workspace, under `target/`.
const SCRATCH: &str = "target/package-doctest";

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut allow_dirty = false;
    for arg in args {
        match arg.as_str() {
            "--allow-dirty" => allow_dirty = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("error: unknown option `{other}` for `package`; try `--allow-dirty`")),
        }
    }
    let version = workspace_version(root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    forget_unpacked_packages(&version)?;
    let started = Instant::now();
    let mut package = Command::new(&cargo);
    package.current_dir(root).args(["package", "--locked"]);
    for p in PACKAGES {
        package.args(["-p", p]);
    }
    if allow_dirty {
        package.arg("--allow-dirty");
    }
    status(&mut package, "cargo package")?;
    let packaged = started.elapsed();

    // `cargo package` writes its archives under the target dir, which a
    // developer may have moved with CARGO_TARGET_DIR.
    let target = target_dir(root);
    let scratch = root.join(SCRATCH);
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: error: cannot create: {e}", scratch.display()))?;
    for p in PACKAGES {
        let archive = target.join("package").join(format!("{p}-{version}.crate"));
        status(Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(&scratch), "tar")?;
    }
    let manifest = scratch.join("Cargo.toml");
    std::fs::write(&manifest, scratch_manifest(&version))
        .map_err(|e| format!("{}: error: cannot write: {e}", manifest.display()))?;
    // The workspace's lock file pins the same dependency versions the workspace was tested with.
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .map_err(|e| format!("{}: error: cannot copy Cargo.lock: {e}", scratch.display()))?;

    let doctests = Instant::now();
    status(
        Command::new(&cargo).current_dir(&scratch).env("CARGO_TARGET_DIR", &target).args([
            "test",
            "--doc",
            "--workspace",
            "--all-features",
        ]),
        "cargo test --doc (packaged crates)",
    )?;
    println!(
        "package: {} packaged and verified in {:.0} s; their doctests passed inside the packages in {:.0} s",
        PACKAGES.join(", "),
        packaged.as_secs_f64(),
        doctests.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The target dir cargo uses here: `CARGO_TARGET_DIR` (relative to the
/// workspace root when relative), or the workspace's `target/`.
fn target_dir(root: &Path) -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()).map_or_else(|| root.join("target"), |d| root.join(d))
}

/// Runs `cmd`, failing with its name when it does not succeed (its own output explains why).
fn status(cmd: &mut Command, what: &str) -> Result<(), String> {
    match cmd.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("error: `{what}` failed ({s})")),
        Err(e) => Err(format!("error: cannot run `{what}`: {e}")),
    }
}

/// The `version` of `[workspace.package]` in the root manifest.
fn workspace_version(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: error: cannot read: {e}", path.display()))?;
    let section = text.split("[workspace.package]").nth(1).unwrap_or_default();
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"'))
        .map(str::to_string)
        .ok_or_else(|| format!("{}: error: no `version = \"...\"` in [workspace.package]", path.display()))
}

/// The scratch workspace over the unpacked crates: each a member, and each
/// dependency on a sibling patched to its unpacked copy instead of crates.io.
fn scratch_manifest(version: &str) -> String {
    let dirs: Vec<String> = PACKAGES.iter().map(|p| format!("{p}-{version}")).collect();
    let members: Vec<String> = dirs.iter().map(|d| format!("\"{d}\"")).collect();
    let mut text = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[patch.crates-io]\n", members.join(", "));
    for (p, d) in PACKAGES.iter().zip(&dirs) {
        text.push_str(&format!("{p} = {{ path = \"{d}\" }}\n"));
    }
    // The workspace's profile, so dependencies built by the workspace are reused from target/.
    text.push_str("\n[profile.dev.package.\"*\"]\ndebug = false\n");
    text
}

/// `cargo package` verifies each crate against the others through a local
/// registry, and cargo unpacks registry crates into
/// `$CARGO_HOME/registry/src/<registry>/<name>-<version>` once: a second
/// packaging of the same version from the same checkout path reused the
/// first one's sources and failed on an API added since. Local registries'
/// directories start with `-` (crates.io's with `index.crates.io-`), so only
/// this project's unpacked packages there are removed.
fn forget_unpacked_packages(version: &str) -> Result<(), String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry/src")) else { return Ok(()) };
    let Ok(registries) = std::fs::read_dir(&src) else { return Ok(()) };
    for registry in registries.flatten().filter(|r| r.file_name().to_string_lossy().starts_with('-')) {
        for p in PACKAGES {
            let unpacked = registry.path().join(format!("{p}-{version}"));
            if unpacked.is_dir() {
                std::fs::remove_dir_all(&unpacked).map_err(|e| {
                    format!("{}: error: cannot remove a stale unpacked package: {e}", unpacked.display())
                })?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_manifest_patches_every_crate_to_its_unpacked_copy() {
        assert_eq!(
            scratch_manifest("0.1.0"),
            "[workspace]\nresolver = \"3\"\nmembers = [\"telemetry-schema-0.1.0\", \"telemetry-derive-0.1.0\", \"telemetry-core-0.1.0\", \"cargo-telemetry-0.1.0\"]\n\n\
             [patch.crates-io]\ntelemetry-schema = { path = \"telemetry-schema-0.1.0\" }\ntelemetry-derive = { path = \"telemetry-derive-0.1.0\" }\n\
             telemetry-core = { path = \"telemetry-core-0.1.0\" }\ncargo-telemetry = { path = \"cargo-telemetry-0.1.0\" }\n\n\
             [profile.dev.package.\"*\"]\ndebug = false\n"
        );
    }

    #[test]
    fn the_version_is_read_from_workspace_package() {
        assert_eq!(workspace_version(&crate::workspace_root()).unwrap(), "0.1.0");
    }
}
