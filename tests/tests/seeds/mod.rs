//! What the seed-product tests share: running a product's program
//! (`example-products`) through the real runtime, isolated from the real
//! environment and home directory.
#![allow(dead_code)] // each test file uses its own part

#[path = "../../../telemetry-core/tests/common/mod.rs"]
pub mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::Buf;
use example_products::{Options, Product, Sink};
use telemetry_core::{EnvSource, MemorySink, Telemetry};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// No variable set: only the test's own switches apply.
pub fn no_env() -> EnvSource {
    EnvSource::from_pairs::<&str, &str>([])
}

/// Runs the product's program with `options`, state in `dir`; returns how
/// many events it recorded, what it printed, and the live handle.
pub fn run(product: &Product, options: &Options, env: EnvSource, dir: &Path) -> (usize, Buf, Telemetry) {
    let out = Buf::default();
    let telemetry = product
        .builder(options)
        .state_dir(dir)
        .env(env)
        .output(out.clone())
        .shutdown_deadline(Duration::from_secs(5))
        .build()
        .expect("the product's builder is valid");
    let recorded = (product.record_all)(&telemetry);
    (recorded, out, telemetry)
}

/// The product's program into a memory sink: events recorded, envelopes delivered.
pub fn memory_envelopes(product: &Product, dir: &Path) -> (usize, Vec<serde_json::Value>) {
    let sink = MemorySink::new();
    let options = Options { sink: Sink::Memory(sink.clone()), state_dir: None };
    let (recorded, _, telemetry) = run(product, &options, no_env(), dir);
    telemetry.shutdown();
    (recorded, sink.take().iter().map(|e| serde_json::from_str(e).expect("envelope is JSON")).collect())
}
