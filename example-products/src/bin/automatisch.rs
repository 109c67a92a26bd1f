//! The automatisch program: records every event of `schemas/automatisch.yaml` once.
//!
//! ```text
//! automatisch [--memory | --endpoint URL [--format native|segment|posthog|otlp]] [--state-dir DIR]
//! ```
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    example_products::main(&example_products::automatisch::PRODUCT, std::env::args().skip(1))
}
