//! Editing a schema must recompile the crates that derive from it: the
//! expansion `include_bytes!`s the schema, so cargo tracks the file.
//!
//! This builds a tiny crate twice with the real cargo, in a target
//! directory under the workspace's (so later runs reuse its dependencies).

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn build(dir: &Path, target: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["build", "--offline", "-v"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "build failed:\n{stderr}");
    stderr
}

#[test]
fn editing_the_schema_recompiles_the_deriving_crate() {
    let ws = workspace();
    let dir = tempfile_dir();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let core = ws.join("telemetry-core");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"rebuild-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\ntelemetry-core = {{ path = {:?}, default-features = false }}\n\n[workspace]\n",
            core.display().to_string()
        ),
    )
    .unwrap();
    let schema = std::fs::read_to_string(ws.join("schemas/example-cli.yaml")).unwrap();
    std::fs::write(dir.join("schema.yaml"), &schema).unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        "#[derive(telemetry_core::TelemetryEvent)]\n#[telemetry(schema = \"../schema.yaml\")]\npub struct TelemetryChanged { pub source: Source }\n\
         #[derive(telemetry_core::TelemetryEnum)]\npub enum Source { Command, Env }\n",
    )
    .unwrap();
    // Share the lockfile so --offline resolves the same versions.
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = ws.join("target/schema-rebuild-probe");

    build(&dir, &target);
    let unchanged = build(&dir, &target);
    assert!(unchanged.contains("Fresh rebuild-probe"), "no change, no rebuild:\n{unchanged}");

    // Only the schema changes: a description, nothing in the Rust source.
    let edited = schema.replace("How telemetry was switched on.", "How telemetry was turned on.");
    assert_ne!(edited, schema);
    std::thread::sleep(std::time::Duration::from_millis(1100)); // mtime granularity
    std::fs::write(dir.join("schema.yaml"), edited).unwrap();
    let rebuilt = build(&dir, &target);
    assert!(rebuilt.contains("Compiling rebuild-probe"), "schema edit must rebuild:\n{rebuilt}");
    std::fs::remove_dir_all(&dir).ok();
}

fn tempfile_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("rebuild-probe-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    d
}
