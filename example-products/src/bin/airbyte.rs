//! The airbyte program: records every event of `schemas/airbyte.yaml` once.
//!
//! ```text
//! airbyte [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR]
//! ```
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    example_products::main(&example_products::airbyte::PRODUCT, std::env::args().skip(1))
}
