//! The pyairbyte program: records every event of `schemas/pyairbyte.yaml` once.
//!
//! ```text
//! pyairbyte [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR]
//! ```
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    example_products::main(&example_products::pyairbyte::PRODUCT, std::env::args().skip(1))
}
