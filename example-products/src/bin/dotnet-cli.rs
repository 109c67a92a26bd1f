//! The .NET CLI program: records every event of `schemas/dotnet-cli.yaml`
//! once, for an SDK install and a first session of commands.
//!
//! ```text
//! dotnet-cli [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR]
//! ```
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    example_products::main(&example_products::dotnet_cli::PRODUCT, std::env::args().skip(1))
}
