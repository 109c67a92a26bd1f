//! The consent section of the model: the default, the first run, and the
//! environment switches with what their values do. Kept apart from events
//! and fields: nothing here depends on them.

use crate::error::Loc;

#[cfg(feature = "serde")]
use serde::Serialize;

/// Whether telemetry is on before anyone chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum ConsentDefault {
    /// Opt-out product: on until switched off.
    Enabled,
    /// Opt-in product: off until switched on.
    Disabled,
}

/// When a new install starts sending (`consent.first_run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum FirstRun {
    /// From the first run, which also shows the notice (the default).
    Send,
    /// The first run shows the notice and sends nothing; sending starts
    /// with the next run, so the user can opt out before anything leaves.
    NoticeFirst,
}

/// The consent section.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct Consent {
    /// Default when nothing else decides.
    pub default: ConsentDefault,
    /// Honour `DO_NOT_TRACK` (on unless explicitly `false`).
    pub do_not_track: bool,
    /// Product-specific environment switches, checked in order.
    pub env: Vec<EnvSwitch>,
    /// When a new install starts sending.
    pub first_run: FirstRun,
    /// The app's own command that turns telemetry off (`example-cli telemetry
    /// disable`): named on the page and in the notice.
    pub opt_out_command: Option<String>,
    /// The review of the last change that widened collection through consent (a link or a reason).
    pub data_review: Option<String>,
}

/// One environment variable that switches telemetry.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct EnvSwitch {
    /// The variable's name.
    pub name: String,
    /// What its value does.
    pub rule: SwitchRule,
    /// Where it is declared.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub loc: Loc,
}

/// When a variable's value matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum Trigger {
    /// Set to anything non-empty.
    Set,
    /// `1`, `true`, `yes` or `on` (any case).
    Truthy,
    /// `0`, `false`, `no` or `off` (any case).
    Falsy,
}

/// What a switch does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum SwitchAction {
    /// Telemetry off.
    Disable,
    /// Telemetry on (overrides the default, not `DO_NOT_TRACK`).
    Enable,
    /// Events are written to the log only, never sent.
    LogOnly,
}

/// The semantics of one switch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum SwitchRule {
    /// `disables_when: set | truthy | falsy`: telemetry is off when the value matches.
    DisablesWhen(Trigger),
    /// `equals: VALUE` (+ `action`): when the value equals VALUE exactly, `action` applies.
    Equals {
        /// The exact value.
        value: String,
        /// What happens.
        action: SwitchAction,
    },
}
