//! Project tasks, in plain Rust: `cargo xtask <task>`.

mod bench_compile;

use std::path::PathBuf;
use std::process::ExitCode;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bench-compile") => {
            let quick = args.iter().any(|a| a == "--quick");
            let (clean, rebuild) = if quick { (1, 2) } else { (3, 5) };
            bench_compile::run(&root(), clean, rebuild).and_then(|md| {
                print!("{md}");
                bench_compile::upsert_section(&root().join("BENCHMARKS.md"), "## Compile time", &md)
            })
        }
        _ => Err("usage: cargo xtask bench-compile [--quick]".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
