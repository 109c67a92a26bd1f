//! The traits the derive implements.
//!
//! Each requires an item of type `telemetry_core::__private::Derived`, which
//! only the derives write: a hand-written impl does not compile unless it
//! names that private path, and **naming it voids the privacy guarantee**.
//!
//! ```compile_fail,E0046
//! use telemetry_core::{PropertyWriter, TelemetryEvent};
//! use telemetry_core::meta::{EventMeta, Fingerprint};
//! struct Sneaky;
//! impl TelemetryEvent for Sneaky {
//!     const META: &'static EventMeta = &EventMeta {
//!         app: "example-cli", name: "user_seen", fields: &[], fingerprint: Fingerprint::NONE, expires: None,
//!     };
//!     fn write_properties(&self, w: &mut PropertyWriter<'_>) { w.str("user_name", "alice", None) }
//! }
//! ```

use crate::PropertyWriter;
use crate::hash::Keys;
use crate::meta::{EventMeta, Fingerprint};
use crate::seal::Derived;

/// A struct checked against an event of a schema.
///
/// Implement it with `#[derive(TelemetryEvent)]`, never by hand: the derive
/// is what proves the struct carries no forbidden or undeclared field. A
/// hand-written impl must name `telemetry_core::__private::Derived`, which
/// voids that proof; `record()` still refuses an event whose fingerprint or
/// name is not its app's.
pub trait TelemetryEvent {
    /// The event as its schema declares it.
    const META: &'static EventMeta;

    /// Written by the derive. **Implementing this trait by hand voids the
    /// privacy guarantee.**
    #[doc(hidden)]
    const DERIVED: Derived;

    /// Writes this event's properties; `hashed` fields are hashed as written.
    fn write_properties(&self, w: &mut PropertyWriter<'_>);
}

/// A struct checked against a nested `object` field of an event.
///
/// Derived with `#[derive(TelemetryEvent)]` and `#[telemetry(object = "path")]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot carry a telemetry field of schema type `object`",
    label = "the schema declares this field `type: object`",
    note = "derive `TelemetryEvent` on a struct with `#[telemetry(schema = ..., event = ..., object = \"field\")]`"
)]
pub trait TelemetryObject {
    /// `event.field[.field...]`: where in the schema this object is declared.
    const SCHEMA_PATH: &'static str;

    /// The schema it was checked against: the struct holding it checks at
    /// compile time that it is the holder's own.
    const FINGERPRINT: Fingerprint;

    /// Written by the derive. **Implementing this trait by hand voids the
    /// privacy guarantee.**
    #[doc(hidden)]
    const DERIVED: Derived;

    /// Writes the object's fields.
    fn write_fields(&self, w: &mut PropertyWriter<'_>);
}

/// A struct checked against a schema's `context.fields`: the keys sent with
/// every event that the runtime cannot fill itself (a product's own version,
/// a hashed application name, ...), and any well-known key it overrides.
///
/// Implement it with `#[derive(TelemetryContext)]`, never by hand: the derive
/// proves the struct carries no forbidden or undeclared key, every required
/// key the runtime cannot fill, and types that carry the schema types.
///
/// ```
/// use telemetry_core::TelemetryContext;
///
/// #[derive(TelemetryContext)]
/// #[telemetry(schema = "../schemas/pyairbyte.yaml")]
/// struct Context<'a> {
///     pyairbyte_version: &'a str,
///     python_version: &'a str,
///     application_hash: &'a str,
///     notebook: bool,
///     colab: bool,
/// }
///
/// // `os` and `ci` are well-known: the runtime fills them.
/// assert_eq!(Context::APP, "pyairbyte");
/// assert_eq!(Context::KEYS, ["pyairbyte_version", "python_version", "application_hash", "notebook", "colab"]);
///
/// // Given to `Builder::context`, it is written into every event's
/// // context object, `application_hash` as its keyed hash.
/// let _ = Context {
///     pyairbyte_version: "0.20.1", python_version: "3.11.9", application_hash: "sync_orders.py",
///     notebook: false, colab: false,
/// };
/// ```
pub trait TelemetryContext {
    /// `app.name` of the schema this struct was checked against.
    const APP: &'static str;
    /// The context keys this struct writes, in struct order (the runtime fills the other well-known ones).
    const KEYS: &'static [&'static str];
    /// The schema it was checked against: the runtime takes a context only of its app's schema.
    const FINGERPRINT: Fingerprint;
    /// Written by the derive. **Implementing this trait by hand voids the
    /// privacy guarantee.**
    #[doc(hidden)]
    const DERIVED: Derived;
    /// Writes this struct's context keys as fields of an already-open JSON object; hashed ones hashed.
    fn write_fields(&self, w: &mut PropertyWriter<'_>);
}

/// Checks a struct against the schema's `context.fields` and implements
/// [`TelemetryContext`] (or, with `object = "..."`, [`TelemetryObject`]).
pub use telemetry_derive::TelemetryContext;

/// An event's properties as JSON bytes, hashing `hashed` fields under
/// `keys`: what `record()` writes (a value whose key is not held is `null`).
/// Public only through `__bench`.
pub(crate) fn properties_json<E: TelemetryEvent + ?Sized>(event: &E, keys: Keys<'_>) -> Vec<u8> {
    let mut buf = Vec::with_capacity(128);
    let mut w = PropertyWriter::new(&mut buf, keys);
    event.write_properties(&mut w);
    let _ = w.finish();
    buf
}
