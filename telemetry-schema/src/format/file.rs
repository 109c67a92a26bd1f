//! The top-level sections of a schema file as the editor sees them:
//! `version`, `app`, `consent` with its two shapes of switch, `context`,
//! `never_collected`, `schema_version` and `history`. Events and fields,
//! the bulk of a file, are in `field.rs`; `collection` in `collection.rs`.

#![allow(dead_code)] // The fields exist for their schema; nothing reads them.

use super::collection::CollectionSpec;
use super::field::{EventSpec, FieldSpec, SNAKE};
use super::metric::{MetricSpec, MetricsPeriodSpec};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One telemetry schema file.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Telemetry schema",
    description = "One product's telemetry: its events, each field's type and how it is collected (allowed, hashed, forbidden), how users opt out, and what is never collected. Format version 1."
)]
pub struct SchemaFile {
    /// Format version; always `1`.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// The product.
    pub app: AppSpec,
    /// How users opt in and out. Default: telemetry on, `DO_NOT_TRACK` honoured, no product switches.
    #[serde(default)]
    pub consent: Option<ConsentSpec>,
    /// Fields sent with every event.
    #[serde(default)]
    pub context: Option<ContextSpec>,
    /// The events, by snake_case name.
    #[schemars(extend("propertyNames" = { "pattern": SNAKE }, "minProperties" = 1))]
    pub events: BTreeMap<String, EventSpec>,
    /// Counts and measures aggregated on the device and sent once per period, by snake_case name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": SNAKE }, "maxProperties" = 256))]
    pub metrics: Option<BTreeMap<String, MetricSpec>>,
    /// When the metrics are sent: `daily` (the default) or `on_exit`.
    #[serde(default)]
    pub metrics_period: Option<MetricsPeriodSpec>,
    /// Product-wide promises of what is never collected, shown on the generated page.
    #[serde(default)]
    pub never_collected: Option<Vec<NeverCollectedSpec>>,
    /// What the product states about its server: retention, who runs the collector and where, who can see the data, the sender's IP address.
    #[serde(default)]
    pub collection: Option<CollectionSpec>,
    /// `"MAJOR.MINOR"`: MAJOR rises when a change breaks collectors, MINOR when collection widens or narrows.
    #[serde(default)]
    pub schema_version: Option<VersionSpec>,
    /// One entry per version that changed what is collected, oldest first; shown on the page.
    #[serde(default)]
    pub history: Option<Vec<HistorySpec>>,
}

/// A schema version, `"MAJOR.MINOR"` (quoted; an unquoted `1.0` is read too).
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum VersionSpec {
    /// `"1.2"`
    Text(#[schemars(pattern("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$"))] String),
    /// `1.2`, unquoted.
    Number(f64),
}

/// One `history` entry.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistorySpec {
    /// The version it describes.
    pub version: VersionSpec,
    /// When that version was published, `YYYY-MM-DD`.
    #[schemars(pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub date: String,
    /// Items this version collects more of: `event`, `event.field`, `context.field`, `consent`.
    #[serde(default)]
    pub widens: Option<Vec<String>>,
    /// Items this version collects less of.
    #[serde(default)]
    pub narrows: Option<Vec<String>>,
    /// A sentence for the page.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub summary: Option<String>,
}

/// The `app` section.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend(
    "if" = { "properties": { "identity": { "enum": ["run", "none"] } }, "required": ["identity"] },
    "then" = { "not": { "required": ["anonymous_id_env"] } }
))]
pub struct AppSpec {
    /// Identifier: lowercase letters, digits, `-` and `_`, starting with a letter. Names the generated files and the state directory.
    #[schemars(pattern("^[a-z][a-z0-9_-]*$"))]
    pub name: String,
    /// Human name for page titles.
    #[schemars(length(min = 1))]
    pub title: String,
    /// The product's own word for its telemetry (e.g. `analytics`), used by
    /// the page, the notice and `status` instead of "telemetry".
    #[serde(default)]
    #[schemars(pattern("^[a-z-]+( [a-z-]+)*$"), length(max = 32))]
    pub term: Option<String>,
    /// Why the product collects telemetry and how it helps; the introduction of the generated page.
    #[schemars(length(min = 1))]
    pub description: String,
    /// The published "what we collect" page, linked from the first-run notice: a plain https URL.
    #[serde(default)]
    #[schemars(pattern("^https://[A-Za-z0-9._~:?#@!$+,;=%&-][A-Za-z0-9._~:/?#@!$+,;=%&-]*$"))]
    pub docs_url: Option<String>,
    /// The product's privacy policy: a plain https URL.
    #[serde(default)]
    #[schemars(pattern("^https://[A-Za-z0-9._~:?#@!$+,;=%&-][A-Za-z0-9._~:/?#@!$+,;=%&-]*$"))]
    pub privacy_url: Option<String>,
    /// Which id events carry: `install` (a random id kept per install, the default), `run` (a random id per run, never stored) or `none` (no id).
    #[serde(default)]
    pub identity: Option<IdentitySpec>,
    /// An environment variable that, when set, replaces the random anonymous install id (`identity: install` only).
    #[serde(default)]
    #[schemars(pattern("^[A-Z_][A-Z0-9_]*$"))]
    pub anonymous_id_env: Option<String>,
    /// Who answers for the telemetry: an email address or a team name.
    #[serde(default)]
    #[schemars(length(min = 2))]
    pub owner: Option<String>,
    /// The review of the last change to the app that widened collection (an
    /// `anonymous_id_env` added or changed): a link or a reason.
    #[serde(default)]
    #[schemars(length(min = 10))]
    pub data_review: Option<String>,
}

/// The `consent` section.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentSpec {
    /// `enabled` (opt-out product, the default) or `disabled` (opt-in).
    #[serde(default)]
    pub default: Option<ConsentDefaultSpec>,
    /// Honour the `DO_NOT_TRACK` convention (default `true`).
    #[serde(default)]
    pub do_not_track: Option<bool>,
    /// Product-specific environment switches, checked in order.
    #[serde(default)]
    pub env: Option<Vec<EnvSwitchSpec>>,
    /// `send` (the default): a new install sends from its first run, which
    /// shows the notice; `notice_first`: the first run shows the notice and
    /// sends nothing, sending starts with the next run.
    #[serde(default)]
    pub first_run: Option<FirstRunSpec>,
    /// The app's own command that turns telemetry off, e.g. `my-cli telemetry
    /// disable`: shown on the page and in the notice. Words of letters,
    /// digits, `.`, `_`, `/` and `-`, one space apart.
    #[serde(default)]
    #[schemars(pattern("^[A-Za-z0-9._/-]+( [A-Za-z0-9._/-]+)*$"))]
    pub opt_out_command: Option<String>,
    /// The review of the last consent change that widened collection: a link or a reason.
    #[serde(default)]
    #[schemars(length(min = 10))]
    pub data_review: Option<String>,
}

/// When a new install starts sending.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FirstRunSpec {
    /// From the first run, which shows the notice.
    Send,
    /// From the second run: the first only shows the notice.
    NoticeFirst,
}

/// Which id events carry.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentitySpec {
    /// A random id made on the first run and kept: every event of an install carries it.
    Install,
    /// A random id made for each run and never stored.
    Run,
    /// No id: nothing links two events.
    None,
}

/// Whether telemetry is on before anyone chooses.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDefaultSpec {
    /// On until switched off.
    Enabled,
    /// Off until switched on.
    Disabled,
}

/// One environment switch: either `disables_when`, or `equals` with an optional `action`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EnvSwitchSpec {
    /// `{ name: VAR, disables_when: truthy }`
    DisablesWhen(DisablesWhenSwitch),
    /// `{ name: VAR, equals: VALUE, action: log_only }`
    Equals(EqualsSwitch),
}

/// A switch that turns telemetry off when its value matches.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisablesWhenSwitch {
    /// The variable's name.
    #[schemars(pattern("^[A-Z_][A-Z0-9_]*$"))]
    pub name: String,
    /// `set`: any non-empty value; `truthy`: 1, true, yes, on; `falsy`: 0, false, no, off (any case).
    pub disables_when: TriggerSpec,
}

/// A switch that applies `action` when its value is exactly `equals`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EqualsSwitch {
    /// The variable's name.
    #[schemars(pattern("^[A-Z_][A-Z0-9_]*$"))]
    pub name: String,
    /// The exact value that fires the switch.
    pub equals: ScalarSpec,
    /// What happens then (default `disable`).
    #[serde(default)]
    pub action: Option<ActionSpec>,
}

/// A YAML scalar: text, a number or a boolean.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ScalarSpec {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
}

/// When a `disables_when` switch fires.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TriggerSpec {
    /// Set to anything non-empty.
    Set,
    /// `1`, `true`, `yes` or `on` (any case).
    Truthy,
    /// `0`, `false`, `no` or `off` (any case).
    Falsy,
}

/// What an `equals` switch does.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionSpec {
    /// Telemetry off.
    Disable,
    /// Telemetry on (does not override `DO_NOT_TRACK`).
    Enable,
    /// Events are written to the log only, never sent.
    LogOnly,
}

/// The `context` section.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    /// Fields sent with every event, by snake_case name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": SNAKE }))]
    pub fields: Option<BTreeMap<String, FieldSpec>>,
}

/// A `never_collected` entry.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum NeverCollectedSpec {
    /// `- Your data records.`
    Text(#[schemars(length(min = 1))] String),
    /// `- { what: IP addresses, reason: ... }`
    WithReason(NeverCollectedEntry),
}

/// A `never_collected` entry with its reason.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NeverCollectedEntry {
    /// What is never collected.
    #[schemars(length(min = 1))]
    pub what: String,
    /// Why.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub reason: Option<String>,
}
