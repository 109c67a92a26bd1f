//! The schema model: what a loaded, validated schema file says.
//!
//! Every name carries the [`Loc`] of its key in the YAML file so that the
//! derive and the docs generator can point back at the line that declares it.

use crate::date::Date;
use crate::error::{Diagnostic, Loc};
use crate::governance::{Expiry, HistoryEntry, SchemaVersion};
use std::path::PathBuf;

#[cfg(feature = "serde")]
use serde::Serialize;

/// A product's telemetry schema (one YAML file).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct Schema {
    /// Where it was loaded from.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub file: PathBuf,
    /// Format version; always 1.
    pub version: u32,
    /// The product.
    pub app: App,
    /// How users opt in and out.
    pub consent: Consent,
    /// Fields sent with every event.
    pub context: Vec<Field>,
    /// The events, in file order.
    pub events: Vec<Event>,
    /// Product-wide promises of what is never collected.
    pub never_collected: Vec<NeverCollected>,
    /// `schema_version: "MAJOR.MINOR"`, if the schema is versioned.
    pub schema_version: Option<SchemaVersion>,
    /// `history:`, oldest first: what each version changed in what is collected.
    pub history: Vec<HistoryEntry>,
    /// What the loader warns about (an expired event, an expiry far away):
    /// located like errors, but the schema loads.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub warnings: Vec<Diagnostic>,
}

/// The product a schema describes.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct App {
    /// Identifier: lowercase letters, digits, `-` and `_`. Names the state
    /// directory and the default `<APP>_TELEMETRY_*` variables.
    pub name: String,
    /// Human name for page titles.
    pub title: String,
    /// Why the product collects telemetry and how it helps.
    pub description: String,
    /// The published "what we collect" page, linked from the first-run notice.
    pub docs_url: Option<String>,
    /// The product's privacy policy.
    pub privacy_url: Option<String>,
    /// An environment variable that, when set, replaces the random anonymous
    /// install id (`app.anonymous_id_env`, optional). For products whose users
    /// pin the id themselves, e.g. PyAirbyte's `AIRBYTE_ANALYTICS_ID`.
    pub anonymous_id_env: Option<String>,
    /// Who answers for the telemetry: an email address or a team name
    /// (`app.owner`); an event's `owner` overrides it.
    pub owner: Option<String>,
}

impl App {
    /// The prefix of this app's own environment variables: `name` upper-cased, `-` as `_`.
    ///
    /// ```
    /// # let app = telemetry_schema::App { name: "my-cli".into(), title: String::new(),
    /// #     description: String::new(), docs_url: None, privacy_url: None, anonymous_id_env: None, owner: None };
    /// assert_eq!(app.env_prefix(), "MY_CLI");
    /// ```
    pub fn env_prefix(&self) -> String {
        self.name.to_ascii_uppercase().replace('-', "_")
    }
}

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

/// How a field's value is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum Collect {
    /// Sent as is.
    Allowed,
    /// Sent only as a keyed one-way hash (HMAC-SHA256, per-install key).
    Hashed,
    /// Never sent: a struct carrying it does not compile.
    Forbidden,
}

impl Collect {
    /// The YAML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Collect::Allowed => "allowed",
            Collect::Hashed => "hashed",
            Collect::Forbidden => "forbidden",
        }
    }
}

/// A field's type.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(tag = "type", rename_all = "snake_case"))]
pub enum FieldType {
    /// `true` / `false`.
    Bool,
    /// Unsigned 8-bit integer.
    U8,
    /// Unsigned 16-bit integer.
    U16,
    /// Unsigned 32-bit integer.
    U32,
    /// Unsigned 64-bit integer.
    U64,
    /// Signed 8-bit integer.
    I8,
    /// Signed 16-bit integer.
    I16,
    /// Signed 32-bit integer.
    I32,
    /// Signed 64-bit integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
    /// UTF-8 text.
    String {
        /// Longest value in characters, if bounded.
        max_length: Option<u32>,
    },
    /// One of a closed set of snake_case strings.
    Enum {
        /// The allowed values, in order.
        values: Vec<String>,
    },
    /// A nested object.
    Object {
        /// Its fields.
        fields: Vec<Field>,
    },
    /// A list of items of one type.
    List {
        /// The item type.
        items: Box<FieldType>,
    },
}

impl FieldType {
    /// The schema spelling of the type, e.g. `u64`, `list of string`.
    pub fn name(&self) -> String {
        match self {
            FieldType::List { items } => format!("list of {}", items.name()),
            other => other.keyword().to_string(),
        }
    }

    /// The `type:` keyword.
    pub fn keyword(&self) -> &'static str {
        match self {
            FieldType::Bool => "bool",
            FieldType::U8 => "u8",
            FieldType::U16 => "u16",
            FieldType::U32 => "u32",
            FieldType::U64 => "u64",
            FieldType::I8 => "i8",
            FieldType::I16 => "i16",
            FieldType::I32 => "i32",
            FieldType::I64 => "i64",
            FieldType::F32 => "f32",
            FieldType::F64 => "f64",
            FieldType::String { .. } => "string",
            FieldType::Enum { .. } => "enum",
            FieldType::Object { .. } => "object",
            FieldType::List { .. } => "list",
        }
    }

    /// Whether this is `string`, or a list of `string`: the types `hashed` accepts.
    pub fn is_hashable(&self) -> bool {
        match self {
            FieldType::String { .. } => true,
            FieldType::List { items } => matches!(**items, FieldType::String { .. }),
            _ => false,
        }
    }
}

/// The `type:` keywords, for suggestions.
pub const TYPE_NAMES: &[&str] =
    &["bool", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "string", "enum", "object", "list"];

/// A field of an event, of the context, or of a nested object.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct Field {
    /// snake_case name, as sent.
    pub name: String,
    /// Where its key is.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub loc: Loc,
    /// How it is collected.
    pub collect: Collect,
    /// Its type; `None` only for forbidden fields.
    pub ty: Option<FieldType>,
    /// What it is and why it is collected (required for collected fields).
    pub description: Option<String>,
    /// Why it is never collected (required for forbidden fields).
    pub reason: Option<String>,
    /// Why a personal-looking name is not personal data.
    pub reviewed: Option<String>,
    /// `false`: may be absent (`Option<T>` in Rust; the key is omitted).
    pub required: bool,
    /// Example value for the generated page.
    pub example: Option<Value>,
    /// The review of the last change that widened what this field collects (a link or a reason).
    pub data_review: Option<String>,
}

impl Field {
    /// Whether the field is ever sent (allowed or hashed).
    pub fn is_collected(&self) -> bool {
        self.collect != Collect::Forbidden
    }
}

/// An event.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct Event {
    /// snake_case name, as sent.
    pub name: String,
    /// Where its key is.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub loc: Loc,
    /// What happened and why it is collected.
    pub description: String,
    /// When it is sent (e.g. "every six hours"), if not obvious from the description.
    pub when: Option<String>,
    /// Its fields, in file order.
    pub fields: Vec<Field>,
    /// Who answers for this event, when not the app's owner.
    pub owner: Option<String>,
    /// When collection of this event ends, if declared.
    pub expires: Option<Expiry>,
    /// The review of the last change that widened what this event collects (a link or a reason).
    pub data_review: Option<String>,
}

impl Event {
    /// The field called `name`, if declared.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether the event has expired on `today`: its `expires` date is
    /// `today` or earlier. An expired event still compiles; the runtime
    /// records nothing for it.
    ///
    /// ```
    /// let s = telemetry_schema::load_str_on(
    ///     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  e: { description: x, expires: 2026-03-01 }\n",
    ///     "demo.yaml",
    ///     "2026-01-01".parse().unwrap(),
    /// )
    /// .unwrap();
    /// let e = &s.events[0];
    /// assert!(!e.expired_on("2026-02-28".parse().unwrap()));
    /// assert!(e.expired_on("2026-03-01".parse().unwrap()));
    /// ```
    pub fn expired_on(&self, today: Date) -> bool {
        matches!(self.expires, Some(Expiry::On(date)) if date <= today)
    }

    /// The event's owner, else the app's.
    pub fn owner<'a>(&'a self, app: &'a App) -> Option<&'a str> {
        self.owner.as_deref().or(app.owner.as_deref())
    }
}

impl Schema {
    /// The event called `name`, if declared.
    pub fn event(&self, name: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.name == name)
    }
}

/// A product-wide "we never collect" statement.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct NeverCollected {
    /// What is never collected.
    pub what: String,
    /// Why, if stated.
    pub reason: Option<String>,
}

/// A literal value from the schema (an `example`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(untagged))]
pub enum Value {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Value>),
    /// A mapping, in file order.
    Map(Vec<(String, Value)>),
}
