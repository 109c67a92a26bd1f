//! The traits the derive implements.

use crate::meta::EventMeta;
use crate::{Hasher, PropertyWriter};

/// A struct checked against an event of a schema.
///
/// Implement it with `#[derive(TelemetryEvent)]`, never by hand: the derive
/// is what proves the struct carries no forbidden or undeclared field.
pub trait TelemetryEvent {
    /// The event as its schema declares it.
    const META: &'static EventMeta;

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
/// use telemetry_core::{Hasher, PropertyWriter, TelemetryContext};
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
/// let hasher = Hasher::new(b"per-install key");
/// let ctx = Context {
///     pyairbyte_version: "0.20.1", python_version: "3.11.9", application_hash: "sync_orders.py",
///     notebook: false, colab: false,
/// };
/// let mut buf = br#"{"os":"linux""#.to_vec();
/// let mut w = PropertyWriter::resume(&mut buf, &hasher);
/// ctx.write_fields(&mut w);
/// w.finish();
/// let json = String::from_utf8(buf).unwrap();
/// assert!(json.starts_with(r#"{"os":"linux","pyairbyte_version":"0.20.1","python_version":"3.11.9","application_hash":""#));
/// assert!(!json.contains("sync_orders"));
/// ```
pub trait TelemetryContext {
    /// `app.name` of the schema this struct was checked against.
    const APP: &'static str;
    /// The context keys this struct writes, in struct order (the runtime fills the other well-known ones).
    const KEYS: &'static [&'static str];
    /// Writes this struct's context keys as fields of an already-open JSON object; hashed ones hashed.
    fn write_fields(&self, w: &mut PropertyWriter<'_>);
}

/// Checks a struct against the schema's `context.fields` and implements
/// [`TelemetryContext`] (or, with `object = "..."`, [`TelemetryObject`]).
pub use telemetry_derive::TelemetryContext;

/// An event's properties as JSON bytes, hashing `hashed` fields with `hasher`.
///
/// ```
/// use telemetry_core::{Hasher, TelemetryEvent, TelemetryEnum};
///
/// #[derive(TelemetryEnum)]
/// enum Outcome { Success, Failure }
///
/// #[derive(TelemetryEvent)]
/// #[telemetry(schema = "../schemas/example-cli.yaml")]
/// struct CommandRun<'a> {
///     command: &'a str,
///     duration_ms: u64,
///     outcome: Outcome,
///     exit_code: i32,
///     project: &'a str,
///     flags: Vec<&'a str>,
///     ci: Option<bool>,
/// }
///
/// let hasher = Hasher::new(b"per-install key");
/// let event = CommandRun {
///     command: "build", duration_ms: 1200, outcome: Outcome::Success, exit_code: 0,
///     project: "acme-website", flags: vec!["release"], ci: None,
/// };
/// let json = String::from_utf8(telemetry_core::properties_json(&event, &hasher)).unwrap();
/// assert_eq!(
///     json,
///     format!(
///         r#"{{"command":"build","duration_ms":1200,"outcome":"success","exit_code":0,"project":"{}","flags":["release"]}}"#,
///         hasher.hash_hex("acme-website")
///     )
/// );
/// assert!(!json.contains("acme-website"));
/// ```
pub fn properties_json<E: TelemetryEvent + ?Sized>(event: &E, hasher: &Hasher) -> Vec<u8> {
    let mut buf = Vec::with_capacity(128);
    let mut w = PropertyWriter::new(&mut buf, hasher);
    event.write_properties(&mut w);
    w.finish();
    buf
}
