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
