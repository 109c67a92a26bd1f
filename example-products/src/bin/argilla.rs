//! The argilla program: records every event of `schemas/argilla.yaml` once.
//!
//! ```text
//! argilla [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR]
//! ```
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    example_products::main(&example_products::argilla::PRODUCT, std::env::args().skip(1))
}
