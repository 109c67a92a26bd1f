//! A throwaway crate that depends on telemetry-core, built with the real
//! cargo: for checks that need a whole compilation (rebuild tracking, the
//! derive's errors over many schema files).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub struct Probe {
    pub dir: PathBuf,
    target: PathBuf,
}

impl Probe {
    /// A crate named `name` in a fresh temporary directory. Builds share a
    /// target directory under the workspace's, so later runs reuse the
    /// dependencies.
    pub fn new(name: &str) -> Probe {
        let ws = workspace();
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let core = ws.join("telemetry-core");
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\n\
                 telemetry-core = {{ path = {:?}, default-features = false }}\n\n[workspace]\n",
                core.display().to_string()
            ),
        )
        .unwrap();
        // The workspace's lockfile, so --offline resolves the same versions.
        std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        Probe { dir, target: ws.join("target/probes") }
    }

    pub fn write_lib(&self, text: &str) {
        std::fs::write(self.dir.join("src/lib.rs"), text).unwrap();
    }

    /// `cargo build --offline` with extra `args`.
    pub fn build(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO"))
            .args(["build", "--offline"])
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo")
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}
