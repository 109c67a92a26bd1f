//! What keeps the privacy guarantee from being implemented by hand.
//!
//! The `Carries*` traits have a supertrait no other crate can name, so only
//! this crate implements them, for its own types. The traits the derives
//! implement (`TelemetryEvent`, `TelemetryObject`, `TelemetryContext`,
//! `TelemetryEnum`) require an item of type [`Derived`], which other crates
//! can name only as `telemetry_core::__private::Derived`: a hand-written
//! impl has to spell that path, and doing so voids the guarantee.

/// Proof that an impl was written by one of this crate's derives.
///
/// **Implementing a telemetry trait by hand with this voids the privacy
/// guarantee**: nothing then checks the impl against the schema (the
/// runtime still refuses events of another schema or an undeclared name).
#[derive(Debug, Clone, Copy)]
pub struct Derived(());

/// The one value of [`Derived`].
pub const DERIVED: Derived = Derived(());

/// The supertrait of the `Carries*` traits: private, so they are sealed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot carry telemetry values: only telemetry-core implements the `Carries*` traits, for its own types",
    label = "not a type telemetry-core sends",
    note = "a field of a schema type is carried by the plain Rust type for it (`&str`, `String`, `u64`, `bool`, `Vec<T>`, ...): convert the value to one of those, and declare in the schema what it may hold"
)]
pub trait Sealed {}
