//! The evidently program: records every event of `schemas/evidently.yaml` once.
//!
//! ```text
//! evidently [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR]
//! ```
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    example_products::main(&example_products::evidently::PRODUCT, std::env::args().skip(1))
}
