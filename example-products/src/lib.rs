//! The five seed products of this repository, and two ports of real
//! products' published telemetry (the .NET CLI's and Homebrew's, from their
//! public pages alone), instrumented end to end.
//!
//! Each module is one product: its schema's app (`app_meta!`), its context
//! (`#[derive(TelemetryContext)]`), one `#[derive(TelemetryEvent)]` struct
//! per event, and `record_all`, which
//! records every event of the schema with realistic values (hashed fields,
//! nested objects, enums, optional fields both left out and set). The
//! binaries (`cargo run -p example-products --bin <app>`) and the end-to-end
//! test `tests/tests/seeds_e2e.rs` call the same functions, so what the test
//! validates against `docs/<app>.events.schema.json` is what the programs send.
//!
//! ```
//! use example_products::{Options, PRODUCTS, Sink};
//! use telemetry_core::{EnvSource, MemorySink};
//!
//! let sink = MemorySink::new();
//! let options = Options { sink: Sink::Memory(sink.clone()), state_dir: None };
//! # let dir = std::env::temp_dir().join(format!("example-products-doc-{}", std::process::id()));
//! for product in PRODUCTS {
//!     let telemetry = product
//!         .builder(&options)
//! #       // Homebrew's first run only shows its notice: the caller shows its own.
//! #       .settings(|b| b.state_dir(&dir).notice(false)).env(EnvSource::from_pairs::<&str, &str>([]))
//!         .build()
//!         .unwrap();
//!     let recorded = (product.record_all)(&telemetry);
//!     telemetry.shutdown();
//!     assert_eq!(sink.take().len(), recorded);
//! }
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
#![forbid(unsafe_code)]

pub mod airbyte;
pub mod argilla;
pub mod automatisch;
pub mod dotnet_cli;
pub mod evidently;
pub mod homebrew;
pub mod host;
pub mod pyairbyte;
mod run;

pub use run::{Options, Request, Sink, main, main_as, main_with, usage};

use telemetry_core::meta::AppMeta;
use telemetry_core::{Builder, Telemetry};

/// One instrumented product.
#[derive(Debug)]
pub struct Product {
    /// Its schema's app: name, consent rules, context.
    pub app: &'static AppMeta,
    /// The release the program claims to be (`app_version`).
    pub version: &'static str,
    /// Records every event of its schema; returns how many events it recorded.
    pub record_all: fn(&Telemetry) -> usize,
    /// Hands the product's context struct to the builder.
    pub with_context: fn(Builder) -> Builder,
}

/// The five seed products and the two ports, by schema name.
pub static PRODUCTS: [&Product; 7] = [
    &airbyte::PRODUCT,
    &argilla::PRODUCT,
    &automatisch::PRODUCT,
    &dotnet_cli::PRODUCT,
    &evidently::PRODUCT,
    &homebrew::PRODUCT,
    &pyairbyte::PRODUCT,
];

/// The product whose schema's `app.name()` is `name`.
///
/// ```
/// assert_eq!(example_products::product("argilla").unwrap().version, "1.29.0");
/// assert!(example_products::product("example-cli").is_none());
/// ```
pub fn product(name: &str) -> Option<&'static Product> {
    PRODUCTS.iter().copied().find(|p| p.app.name() == name)
}

/// The README's Rust examples, compiled and run as doctests of this crate
/// (their schema paths resolve from this crate's directory, as from a user's
/// `src/`), so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct Readme;
