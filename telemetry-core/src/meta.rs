//! What the derive knows about an event, as static data: the runtime reads
//! it without parsing any YAML.

/// How a field's value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collect {
    /// Sent as is.
    Allowed,
    /// Sent only as HMAC-SHA256 under the per-install key, as 64 hex digits.
    Hashed,
}

/// One collected field of an event, context, or nested object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMeta {
    /// Name as sent.
    pub name: &'static str,
    /// Schema type spelling (`u64`, `string`, `list of string`, ...).
    pub ty: &'static str,
    /// How it is collected.
    pub collect: Collect,
    /// `false` when the key may be absent.
    pub required: bool,
}

/// The fingerprint of the schema a struct or an app was checked against:
/// 128 bits of the SHA-256 of the schema's canonical form
/// (`telemetry_schema::fingerprint`), which changes with anything that
/// changes what is collected and with nothing else.
///
/// `app_meta!` and the derives embed it. [`crate::Telemetry::record`]
/// refuses an event whose fingerprint is not its app's: a struct derived
/// against a copy of the schema (same `app.name`, a forbidden field made
/// allowed) compiles, and sends nothing.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(u128);

impl Fingerprint {
    /// The fingerprint of an [`AppMeta`] written by hand, from no schema:
    /// no derived event matches it, so such an app records no event.
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
    /// The date as the schema writes it, `YYYY-MM-DD`.
    pub date: &'static str,
    /// Its first second, 00:00:00 UTC, in seconds since the Unix epoch.
    pub unix_secs: u64,
}

impl Expires {
    /// Whether the event has expired at `now`.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use telemetry_core::meta::Expires;
    /// let e = Expires { date: "2026-03-01", unix_secs: 1_772_323_200 };
    /// assert!(!e.reached(UNIX_EPOCH + Duration::from_secs(1_772_323_199)));
    /// assert!(e.reached(UNIX_EPOCH + Duration::from_secs(1_772_323_200)));
    /// ```
    pub fn reached(&self, now: std::time::SystemTime) -> bool {
        now.duration_since(std::time::UNIX_EPOCH).is_ok_and(|d| d.as_secs() >= self.unix_secs)
    }
}

/// An event type, as declared in its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventMeta {
    /// The `app.name` of the schema that declares it.
    pub app: &'static str,
    /// Event name as sent.
    pub name: &'static str,
    /// Its collected fields, in schema order.
    pub fields: &'static [FieldMeta],
    /// The schema it was checked against.
    pub fingerprint: Fingerprint,
    /// The schema's `expires` date, when it has one: from then on nothing is recorded.
    pub expires: Option<Expires>,
}

/// Why `record()` refused an event: it was not checked against this app's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The event's schema names another app.
    OtherApp,
    /// Same `app.name`, another schema (a copy that collects differently).
    OtherSchema,
    /// The schema does not declare an event of that name (a hand-written impl).
    Undeclared,
}

impl AppMeta {
    /// Why an event of `event` may not be recorded by this app, if it may not.
    #[inline]
    pub(crate) fn refusal(&self, event: &EventMeta) -> Option<Refusal> {
        if !self.fingerprint.same(event.fingerprint) {
            return Some(if event.app == self.name { Refusal::OtherSchema } else { Refusal::OtherApp });
        }
        if !self.events.contains(&event.name) {
            return Some(Refusal::Undeclared);
        }
        None
    }

    /// The debug line for a refused event.
    pub(crate) fn refused_message(&self, event: &EventMeta, why: Refusal) -> String {
        let name = event.name;
        match why {
            Refusal::OtherApp => format!("refused event {name:?} of another app ({:?}): nothing is sent", event.app),
            Refusal::OtherSchema => format!(
                "refused event {name:?}: it was checked against another schema (fingerprint {}) than this app's ({}), such as a copy of it; nothing is sent. Derive it from the schema that `app_meta!` names",
                event.fingerprint, self.fingerprint
            ),
            Refusal::Undeclared => {
                format!("refused event {name:?}: this app's schema declares no such event; nothing is sent")
            }
        }
    }
}

/// When an environment switch fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Set to anything non-empty.
    Set,
    /// `1`, `true`, `yes`, `on` (any case).
    Truthy,
    /// `0`, `false`, `no`, `off` (any case).
    Falsy,
    /// Exactly this value.
    Equals(&'static str),
}

impl Trigger {
    /// Whether `value` (the variable's content) fires this trigger.
    ///
    /// ```
    /// use telemetry_core::meta::Trigger;
    /// assert!(Trigger::Falsy.fires("0"));
    /// assert!(!Trigger::Falsy.fires("1"));
    /// assert!(Trigger::Truthy.fires(" TRUE "));
    /// assert!(Trigger::Set.fires("anything"));
    /// assert!(!Trigger::Set.fires(""));
    /// assert!(Trigger::Equals("logging").fires("logging"));
    /// ```
    pub fn fires(self, value: &str) -> bool {
        let v = value.trim();
        match self {
            Trigger::Set => !v.is_empty(),
            Trigger::Truthy => ["1", "true", "yes", "on"].iter().any(|t| v.eq_ignore_ascii_case(t)),
            Trigger::Falsy => ["0", "false", "no", "off"].iter().any(|t| v.eq_ignore_ascii_case(t)),
            Trigger::Equals(expected) => value == expected,
        }
    }
}

/// What a switch does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwitchAction {
    /// Telemetry off.
    Disable,
    /// Telemetry on.
    Enable,
    /// Events are logged locally, never sent.
    LogOnly,
}

/// A product environment switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvSwitch {
    /// Variable name.
    pub name: &'static str,
    /// When it fires.
    pub trigger: Trigger,
    /// What it does then.
    pub action: SwitchAction,
}

/// When a new install starts sending (the schema's `consent.first_run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstRun {
    /// From the first run, which also shows the notice.
    Send,
    /// The run that shows the notice records nothing; sending starts with
    /// the next run, so the user can opt out before anything is sent.
    NoticeFirst,
}

/// A product's consent rules and identity, from its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppMeta {
    /// `app.name`.
    pub name: &'static str,
    /// `app.title`.
    pub title: &'static str,
    /// The published "what we collect" page.
    pub docs_url: Option<&'static str>,
    /// The schema's `app.anonymous_id_env`: a product variable that replaces
    /// the anonymous id (checked before `<APP>_ANONYMOUS_ID`).
    pub anonymous_id_env: Option<&'static str>,
    /// Telemetry is on unless something switches it off.
    pub enabled_by_default: bool,
    /// Honour `DO_NOT_TRACK`.
    pub do_not_track: bool,
    /// Product switches, in schema order.
    pub env: &'static [EnvSwitch],
    /// When a new install starts sending.
    pub first_run: FirstRun,
    /// The schema's `consent.opt_out_command`, named in the notice and
    /// status unless the builder sets its own.
    pub opt_out_command: Option<&'static str>,
    /// Context fields the schema declares (the runtime fills only these).
    pub context: &'static [FieldMeta],
    /// Names of the schema's events.
    pub events: &'static [&'static str],
    /// The schema's fingerprint: `record()` refuses events of any other.
    pub fingerprint: Fingerprint,
    /// The schema's `schema_version`, sent in every envelope when it has one.
    pub schema_version: Option<&'static str>,
}

#[cfg(test)]
impl AppMeta {
    /// An app with no switches, context or events, for unit tests to
    /// override field by field.
    pub(crate) const DEMO: AppMeta = AppMeta {
        name: "demo",
        title: "Demo",
        docs_url: None,
        anonymous_id_env: None,
        enabled_by_default: true,
        do_not_track: true,
        env: &[],
        first_run: FirstRun::Send,
        opt_out_command: None,
        context: &[],
        events: &[],
        fingerprint: Fingerprint::new(1),
        schema_version: None,
    };
}
