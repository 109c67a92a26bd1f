//! The schema's consent switches, as `app_meta!` writes them.

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

/// A product environment switch, from the schema's `consent.env`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvSwitch {
    pub(crate) name: &'static str,
    pub(crate) trigger: Trigger,
    pub(crate) action: SwitchAction,
}

impl EnvSwitch {
    /// Made by `app_meta!`, through `__private::env_switch`.
    pub(crate) const fn new(name: &'static str, trigger: Trigger, action: SwitchAction) -> EnvSwitch {
        EnvSwitch { name, trigger, action }
    }

    /// Variable name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// When it fires.
    pub const fn trigger(&self) -> Trigger {
        self.trigger
    }

    /// What it does then.
    pub const fn action(&self) -> SwitchAction {
        self.action
    }
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
