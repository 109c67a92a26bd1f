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

/// A synthetic schema with `events` events of eight fields each (every
/// type, a nested object, a hashed field, a forbidden one), for timing.
///
/// ```
/// let text = xtask::bench_schema(3);
/// let schema = telemetry_schema::load_str(&text, "bench.yaml").unwrap();
/// assert_eq!(schema.events.len(), 3);
/// ```
pub fn bench_schema(events: usize) -> String {
    let mut s = String::from(
        "version: 1\napp:\n  name: bench\n  title: Bench\n  description: A generated schema for timing the renderers.\n  docs_url: https://example.org/bench/telemetry\nconsent:\n  env:\n    - { name: BENCH_DISABLE_TELEMETRY, disables_when: truthy }\n    - { name: BENCH_TRACKING, equals: logging, action: log_only }\ncontext:\n  fields:\n    os: { collect: allowed, type: string, description: Operating system., example: linux }\n    ci: { collect: allowed, type: bool, description: Whether it runs in CI., example: false }\nevents:\n",
    );
    for i in 0..events {
        s.push_str(&format!(
            "  event_{i}:\n    description: Event number {i} happened | with a pipe in its text.\n    when: Every {i} minutes.\n    fields:\n      \
             command: {{ collect: allowed, type: string, max_length: 32, description: Which command ran., example: build }}\n      \
             duration_ms: {{ collect: allowed, type: u64, description: How long it took., example: 1200 }}\n      \
             outcome: {{ collect: allowed, type: enum, values: [success, failure, canceled], description: How it ended., example: success }}\n      \
             ratio: {{ collect: allowed, type: f64, required: false, description: Share of work done. }}\n      \
             project: {{ collect: hashed, type: string, description: Project name (hashed)., example: acme-{i} }}\n      \
             flags: {{ collect: allowed, type: list, items: {{ type: string, max_length: 16 }}, description: Flag names., example: [release] }}\n      \
             runtime:\n        collect: allowed\n        type: object\n        description: Runtime details.\n        fields:\n          \
             version: {{ collect: allowed, type: string, description: Runtime version., example: \"1.{i}\" }}\n          \
             threads: {{ collect: allowed, type: u16, description: Worker threads., example: 8 }}\n      \
             arguments: {{ collect: forbidden, reason: Arguments can hold secrets. }}\n"
        ));
    }
    s.push_str("never_collected:\n  - File contents.\n");
    s
}
