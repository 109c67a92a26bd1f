//! Derives for `telemetry-core`; use them through `telemetry_core`.
//!
//! `#[derive(TelemetryEvent)]` checks a struct against an event of a YAML
//! schema at compile time: a field the schema forbids, a field it does not
//! declare, a required field the struct lacks, or a type that cannot carry
//! the schema type fails the build with a message that names the field, the
//! event, the schema file and line, and the fix. The schema is parsed once
//! per compiler process and `include_bytes!`d so editing it rebuilds.
//!
//! The derive is a pipeline of small pure steps, in the style of
//! `thiserror` and serde_derive (`derive` runs them): `attr` reads
//! attributes, `ast` reads the struct, `load` finds and parses the schema,
//! `valid` runs every check (`target` finds the event, object or context;
//! then the fields), and `expand` (with `write`) only emits code. Problems
//! are collected in one `ctxt::Ctxt`, which alone lays out messages.
#![forbid(unsafe_code)]

mod app;
mod ast;
mod attr;
mod ctxt;
mod derive;
mod enum_derive;
mod enum_valid;
mod expand;
mod generate;
mod load;
mod metrics;
mod reported;
mod target;
mod valid;
mod write;

use proc_macro::TokenStream;
use syn::{DeriveInput, LitStr, parse_macro_input};

/// Checks a struct against its schema event (or nested object) and
/// implements `TelemetryEvent` (or `TelemetryObject`).
///
/// Attributes: `#[telemetry(schema = "path.yaml")]` (relative to this file,
/// like `include_str!`), optional `event = "name"` (default: the struct
/// name in snake_case), and `object = "field.path"` for a struct that
/// carries a nested `object` field of the event.
#[proc_macro_derive(TelemetryEvent, attributes(telemetry))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::derive(&input, target::Derive::Event).into()
}

/// Checks a struct against the schema's `context.fields` (or one of its
/// nested objects) and implements `TelemetryContext` (or `TelemetryObject`).
///
/// Attributes: `#[telemetry(schema = "path.yaml")]` (relative to this file,
/// like `include_str!`), and `object = "field.path"` for a struct that
/// carries a nested `object` context field (`object = "environment"`,
/// `object = "environment.python"`).
///
/// The rules are those of events: a forbidden, undeclared or mistyped
/// field fails, `Option<T>` exactly for `required: false`, `hashed` keys are
/// sent as their keyed hash. Keys the runtime fills itself
/// (`WELL_KNOWN_CONTEXT`: os, os_version, arch, app_version, ci, container,
/// locale) may be left out; a struct that carries one overrides it. Any
/// other required key must be a field. Keys are written in struct order.
#[proc_macro_derive(TelemetryContext, attributes(telemetry))]
pub fn derive_context(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::derive(&input, target::Derive::Context).into()
}

/// Implements `TelemetryEnum` for a fieldless enum: each variant is sent in
/// snake_case, or as `#[telemetry(rename = "value")]` says (any schema value,
/// e.g. `custom-prefix`). With `#[telemetry(schema = "path.yaml", field =
/// "event.field")]` on the enum, each variant is checked against that field:
/// a mismatch is an error at the variant, naming the field's values.
#[proc_macro_derive(TelemetryEnum, attributes(telemetry))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    enum_derive::derive(&input).into()
}

/// `app_meta!("schema.yaml")`: the schema's app, consent rules, context and
/// event names as a const `telemetry_core::meta::AppMeta`.
#[proc_macro]
pub fn app_meta(input: TokenStream) -> TokenStream {
    let lit = parse_macro_input!(input as LitStr);
    app::expand(&lit).into()
}

/// `generate_events!("schema.yaml")`: a struct per event (named in
/// UpperCamelCase), an enum per `enum` field and a struct per `object`
/// field, each deriving the checks; and `Context` (deriving
/// `TelemetryContext`) with the context keys the runtime cannot fill, when
/// the schema declares any.
#[proc_macro]
pub fn generate_events(input: TokenStream) -> TokenStream {
    let lit = parse_macro_input!(input as LitStr);
    generate::expand(&lit).into()
}

/// `generate_metrics!("schema.yaml")`: `Metrics`, a struct with one typed
/// handle per metric of the schema's `metrics:` section (a `Counter`, a
/// `LabeledCounter` over a generated enum of its labels named
/// `<Metric>Label`, a `Distribution` or `Quantity` in its unit, a `Flag`),
/// for `Telemetry::metrics`.
#[proc_macro]
pub fn generate_metrics(input: TokenStream) -> TokenStream {
    let lit = parse_macro_input!(input as LitStr);
    metrics::expand(&lit).into()
}
