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

/// An event type, as declared in its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventMeta {
    /// The `app.name` of the schema that declares it.
    pub app: &'static str,
    /// Event name as sent.
    pub name: &'static str,
    /// Its collected fields, in schema order.
    pub fields: &'static [FieldMeta],
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
    };
}
