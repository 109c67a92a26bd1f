//! What the derive knows about an event, as static data: the runtime reads
//! it without parsing any YAML. Only the macros make these values: their
//! fields are private, read through methods.

mod app;
mod consent;
mod metric;

#[doc(hidden)]
pub use app::AppParts;
pub use app::{AppMeta, Identity};
pub use consent::{EnvSwitch, FirstRun, SwitchAction, Trigger};
pub use metric::{MetricKind, MetricMeta, MetricsMeta, MetricsPeriod};

/// How a field's value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collect {
    /// Sent as is.
    Allowed,
    /// Sent only as HMAC-SHA256 under the key of its scope, as 64 hex digits.
    Hashed(HashScope),
}

/// Whose key a hashed field's HMAC is made under (the schema's `hash:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashScope {
    /// The install's random key (of the run, under `identity: run` or
    /// `none`): hashes compare within one install only.
    Install,
    /// The product's key ([`crate::Builder::product_key`]), the same on
    /// every install: hashes compare across installs.
    Product,
}

/// One collected field of an event, context, or nested object. Only the
/// derives and `app_meta!` make one (its fields are private).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMeta {
    pub(crate) name: &'static str,
    pub(crate) ty: &'static str,
    pub(crate) collect: Collect,
    pub(crate) required: bool,
    pub(crate) max_length: Option<u32>,
    pub(crate) values: &'static [&'static str],
}

impl FieldMeta {
    /// Made by derived code, through `__private::field_meta`.
    pub(crate) const fn new(
        name: &'static str,
        ty: &'static str,
        collect: Collect,
        required: bool,
        max_length: Option<u32>,
        values: &'static [&'static str],
    ) -> FieldMeta {
        FieldMeta { name, ty, collect, required, max_length, values }
    }

    /// Name as sent.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Schema type spelling (`u64`, `string`, `enum`, `list of string`, ...).
    pub const fn ty(&self) -> &'static str {
        self.ty
    }

    /// How it is collected.
    pub const fn collect(&self) -> Collect {
        self.collect
    }

    /// `false` when the key may be absent.
    pub const fn required(&self) -> bool {
        self.required
    }

    /// A string's `max_length` (in characters), when the schema bounds it.
    pub const fn max_length(&self) -> Option<u32> {
        self.max_length
    }

    /// An enum's values, in schema order (empty for any other type).
    pub const fn values(&self) -> &'static [&'static str] {
        self.values
    }
}

/// The fingerprint of the schema a struct or an app was checked against:
/// 128 bits of the SHA-256 of the schema's canonical form
/// (`telemetry_schema::fingerprint`), which changes with anything that
/// changes what is collected and with nothing else.
///
/// `app_meta!` and the derives embed it; no other code can make one that
/// matches a schema. [`crate::Telemetry::record`]
/// refuses an event whose fingerprint is not its app's: a struct derived
/// against a copy of the schema (same `app.name`, a forbidden field made
/// allowed) compiles, and sends nothing.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(u128);

impl Fingerprint {
    /// The fingerprint of no schema: nothing derived matches it.
    pub const NONE: Fingerprint = Fingerprint(0);

    /// Only `__private::fingerprint` makes one: derived code, and tests of the
    /// runtime that say they step outside the guarantee.
    pub(crate) const fn new(v: u128) -> Fingerprint {
        Fingerprint(v)
    }

    /// All 128 bits as 32 hex digits: what a spool line records.
    pub(crate) fn hex(self) -> String {
        format!("{:032x}", self.0)
    }

    /// Whether two fingerprints are the same, in const context (derived
    /// code checks nested object structs with it at compile time).
    pub const fn same(self, other: Fingerprint) -> bool {
        self.0 == other.0
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({:032x})", self.0)
    }
}

impl std::fmt::Display for Fingerprint {
    /// The first 12 hex digits, enough to tell two schemas apart in a message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:012x}", self.0 >> 80)
    }
}

/// When an event stops being recorded: its schema's `expires` date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expires {
    pub(crate) date: &'static str,
    pub(crate) unix_secs: u64,
}

impl Expires {
    /// Made by derived code, through `__private::expires`.
    pub(crate) const fn new(date: &'static str, unix_secs: u64) -> Expires {
        Expires { date, unix_secs }
    }

    /// The date as the schema writes it, `YYYY-MM-DD`.
    pub const fn date(&self) -> &'static str {
        self.date
    }

    /// Its first second, 00:00:00 UTC, in seconds since the Unix epoch.
    pub const fn unix_secs(&self) -> u64 {
        self.unix_secs
    }

    /// Whether the event has expired at `now`: from the first second of its date on.
    pub fn reached(&self, now: std::time::SystemTime) -> bool {
        now.duration_since(std::time::UNIX_EPOCH).is_ok_and(|d| d.as_secs() >= self.unix_secs)
    }
}

/// An event type, as declared in its schema. Only `#[derive(TelemetryEvent)]`
/// makes one (its fields are private).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventMeta {
    pub(crate) app: &'static str,
    pub(crate) name: &'static str,
    pub(crate) fields: &'static [FieldMeta],
    pub(crate) fingerprint: Fingerprint,
    pub(crate) expires: Option<Expires>,
}

impl EventMeta {
    /// Made by derived code, through `__private::event_meta`.
    pub(crate) const fn new(
        app: &'static str,
        name: &'static str,
        fields: &'static [FieldMeta],
        fingerprint: Fingerprint,
        expires: Option<Expires>,
    ) -> EventMeta {
        EventMeta { app, name, fields, fingerprint, expires }
    }

    /// The `app.name` of the schema that declares it.
    pub const fn app(&self) -> &'static str {
        self.app
    }

    /// Event name as sent.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Its collected fields, in schema order.
    pub const fn fields(&self) -> &'static [FieldMeta] {
        self.fields
    }

    /// The schema it was checked against.
    pub const fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The schema's `expires` date, when it has one: from then on nothing is recorded.
    pub const fn expires(&self) -> Option<Expires> {
        self.expires
    }
}

#[cfg(test)]
mod tests {
    use super::Expires;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn expires_from_the_first_second_of_its_date() {
        let e = Expires::new("2026-03-01", 1_772_323_200);
        assert!(!e.reached(UNIX_EPOCH + Duration::from_secs(1_772_323_199)));
        assert!(e.reached(UNIX_EPOCH + Duration::from_secs(1_772_323_200)));
    }
}
