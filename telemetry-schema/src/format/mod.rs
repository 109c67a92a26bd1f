//! The JSON Schema of the YAML schema format, for editors.
//!
//! The model in [`crate::Schema`] is shaped for programs (lists of fields
//! with locations); these types mirror the YAML file itself (mappings of
//! events and fields, the two shapes of an environment switch, a
//! `never_collected` entry as text or `{what, reason}`), so the JSON Schema
//! generated from them completes and checks what people type. Put this line
//! at the top of a schema file to use it with the YAML language server:
//!
//! ```yaml
//! # yaml-language-server: $schema=../docs/telemetry-schema.json
//! ```
//!
//! The loader stays the authority: it also enforces rules no JSON Schema can
//! say well (privacy rules on names, examples fitting their types). The JSON
//! Schema accepts every valid file and rejects the common mistakes.
//!
//! ```
//! let schema = telemetry_schema::format::json_schema();
//! assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
//! let doc = telemetry_schema::format::yaml_to_json(
//!     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents: { e: { description: x } }\n",
//!     "demo.yaml",
//! )
//! .unwrap();
//! assert_eq!(doc["app"]["name"], "demo");
//! ```

#![allow(dead_code)] // The fields exist for their schema; nothing reads them.

use crate::error::Diags;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Pattern of snake_case names (events, fields, enum values).
const SNAKE: &str = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";

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
    /// Product-wide promises of what is never collected, shown on the generated page.
    #[serde(default)]
    pub never_collected: Option<Vec<NeverCollectedSpec>>,
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
pub struct AppSpec {
    /// Identifier: lowercase letters, digits, `-` and `_`, starting with a letter. Names the generated files and the state directory.
    #[schemars(pattern("^[a-z][a-z0-9_-]*$"))]
    pub name: String,
    /// Human name for page titles.
    #[schemars(length(min = 1))]
    pub title: String,
    /// Why the product collects telemetry and how it helps; the introduction of the generated page.
    #[schemars(length(min = 1))]
    pub description: String,
    /// The published "what we collect" page, linked from the first-run notice.
    #[serde(default)]
    #[schemars(pattern("^https?://"))]
    pub docs_url: Option<String>,
    /// The product's privacy policy.
    #[serde(default)]
    #[schemars(pattern("^https?://"))]
    pub privacy_url: Option<String>,
    /// An environment variable that, when set, replaces the random anonymous install id.
    #[serde(default)]
    #[schemars(pattern("^[A-Z_][A-Z0-9_]*$"))]
    pub anonymous_id_env: Option<String>,
    /// Who answers for the telemetry: an email address or a team name.
    #[serde(default)]
    #[schemars(length(min = 2))]
    pub owner: Option<String>,
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
    /// disable`: shown on the page and in the notice.
    #[serde(default)]
    #[schemars(length(min = 1))]
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

/// One event.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [{
    "if": { "properties": { "expires": { "const": "never" } }, "required": ["expires"] },
    "then": { "required": ["expires_reason"] },
    "else": { "not": { "required": ["expires_reason"] } }
}]))]
pub struct EventSpec {
    /// What happened and why it is collected.
    #[schemars(length(min = 1))]
    pub description: String,
    /// When it is sent (e.g. "every six hours"), if not obvious from the description.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub when: Option<String>,
    /// Its fields, by snake_case name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": SNAKE }))]
    pub fields: Option<BTreeMap<String, FieldSpec>>,
    /// Who answers for this event, when not the app's owner.
    #[serde(default)]
    #[schemars(length(min = 2))]
    pub owner: Option<String>,
    /// `YYYY-MM-DD` (from that day on the event is not sent) or `never` (with `expires_reason`).
    #[serde(default)]
    #[schemars(pattern("^([0-9]{4}-[0-9]{2}-[0-9]{2}|never)$"))]
    pub expires: Option<String>,
    /// Why an event with `expires: never` is needed for as long as the product exists.
    #[serde(default)]
    #[schemars(length(min = 10))]
    pub expires_reason: Option<String>,
    /// The review of the last change that widened what this event collects: a link or a reason.
    #[serde(default)]
    #[schemars(length(min = 10))]
    pub data_review: Option<String>,
}

/// How a field's value is collected.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CollectSpec {
    /// Sent as is.
    Allowed,
    /// Sent only as a keyed one-way hash (HMAC-SHA256 under a per-install key). `string` or list of `string` only.
    Hashed,
    /// Never sent; needs a `reason`. A struct carrying it does not compile.
    Forbidden,
}

/// A `type:` keyword.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeName {
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
    /// UTF-8 text (optionally `max_length`).
    String,
    /// One of `values`.
    Enum,
    /// A nested object with `fields`.
    Object,
    /// A list of `items`.
    List,
}

/// Type names usable as the `items: NAME` shorthand.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScalarTypeName {
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
    String,
}

/// One field of an event, of the context or of an object.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [
    {
        "if": { "properties": { "collect": { "const": "forbidden" } }, "required": ["collect"] },
        "then": {
            "required": ["reason"],
            "not": { "anyOf": [
                { "required": ["type"] }, { "required": ["example"] }, { "required": ["values"] },
                { "required": ["fields"] }, { "required": ["items"] }, { "required": ["max_length"] },
                { "properties": { "required": { "const": false } }, "required": ["required"] }
            ] }
        },
        "else": { "required": ["type", "description"], "not": { "required": ["reason"] } }
    },
    { "if": { "properties": { "type": { "const": "enum" } }, "required": ["type"] }, "then": { "required": ["values"] } },
    { "if": { "properties": { "type": { "const": "object" } }, "required": ["type"] }, "then": { "required": ["fields"] } },
    { "if": { "properties": { "type": { "const": "list" } }, "required": ["type"] }, "then": { "required": ["items"] } },
    { "if": { "properties": { "collect": { "const": "hashed" } }, "required": ["collect"] }, "then": { "properties": { "type": { "enum": ["string", "list"] } } } }
]))]
pub struct FieldSpec {
    /// `allowed` (sent as is), `hashed` (sent as a keyed hash) or `forbidden` (never sent).
    pub collect: CollectSpec,
    /// The value's type (required unless forbidden).
    #[serde(default, rename = "type")]
    pub ty: Option<TypeName>,
    /// What it is and why it is collected (required for collected fields; published).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub description: Option<String>,
    /// Why it is never collected (required for forbidden fields; published).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub reason: Option<String>,
    /// Why a name that looks like personal data (email, ip, path, token, ...) is not personal data here.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub reviewed: Option<String>,
    /// `false`: the value may be absent and the key is then omitted (default `true`).
    #[serde(default)]
    pub required: Option<bool>,
    /// Longest value in characters (`string` only).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_length: Option<u32>,
    /// Example value shown in the generated page's example payload; must fit the type.
    #[serde(default)]
    pub example: Option<serde_json::Value>,
    /// The allowed values of an `enum`, snake_case.
    #[serde(default)]
    #[schemars(length(min = 1), inner(pattern("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")), extend("uniqueItems" = true))]
    pub values: Option<Vec<String>>,
    /// The nested fields of an `object`, by snake_case name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": SNAKE }))]
    pub fields: Option<BTreeMap<String, FieldSpec>>,
    /// The item type of a `list`: a type name, or a mapping with `type` and its refinements.
    #[serde(default)]
    pub items: Option<ItemsSpec>,
    /// The review of the last change that widened what this field collects: a link or a reason.
    #[serde(default)]
    #[schemars(length(min = 10))]
    pub data_review: Option<String>,
}

/// The `items` of a list.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ItemsSpec {
    /// `items: string`
    Name(ScalarTypeName),
    /// `items: { type: enum, values: [...] }`
    Spec(Box<ItemSpec>),
}

/// A list item type written out as a mapping.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [
    { "if": { "properties": { "type": { "const": "enum" } } }, "then": { "required": ["values"] } },
    { "if": { "properties": { "type": { "const": "object" } } }, "then": { "required": ["fields"] } },
    { "if": { "properties": { "type": { "const": "list" } } }, "then": { "required": ["items"] } }
]))]
pub struct ItemSpec {
    /// The item type.
    #[serde(rename = "type")]
    pub ty: TypeName,
    /// Allowed values of an `enum` item.
    #[serde(default)]
    #[schemars(length(min = 1), inner(pattern("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")), extend("uniqueItems" = true))]
    pub values: Option<Vec<String>>,
    /// Fields of an `object` item.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": SNAKE }))]
    pub fields: Option<BTreeMap<String, FieldSpec>>,
    /// Items of a nested `list`.
    #[serde(default)]
    pub items: Option<ItemsSpec>,
    /// Longest `string` item in characters.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_length: Option<u32>,
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

/// The JSON Schema (draft 2020-12) of the YAML schema format.
///
/// Optional keys are left out of `required` and do not accept `null`, as
/// the loader refuses an empty value.
///
/// ```
/// let schema = telemetry_schema::format::json_schema();
/// assert_eq!(schema["title"], "Telemetry schema");
/// assert!(schema["required"].as_array().unwrap().iter().any(|k| k == "events"));
/// ```
pub fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut value = generator.into_root_schema_for::<SchemaFile>().to_value();
    strip_null(&mut value);
    value
}

/// `Option<T>` fields come out of schemars as "T or null"; a YAML key with
/// no value is an error for the loader, so the editor should say so too.
fn strip_null(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(Value::Array(options)) = map.get_mut(key) {
                    options.retain(|o| o.get("type").is_none_or(|t| t != "null"));
                    if options.len() == 1 && key == "anyOf" && !map.contains_key("allOf") {
                        let Some(Value::Array(mut options)) = map.remove(key) else { unreachable!() };
                        map.insert("allOf".into(), Value::Array(vec![options.remove(0)]));
                    }
                }
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.retain(|e| !e.is_null());
            }
            for child in map.values_mut() {
                strip_null(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}

/// The JSON Schema of the format as pretty JSON text with sorted keys and a
/// final newline: the bytes of `docs/telemetry-schema.json`.
///
/// ```
/// let text = telemetry_schema::format::json_schema_text();
/// assert!(text.starts_with("{\n  \"$defs\""));
/// assert!(text.ends_with("}\n"));
/// ```
pub fn json_schema_text() -> String {
    crate::json::J::sorted(&json_schema()).pretty()
}

/// Reads a schema file's YAML into JSON, the way the loader reads it
/// (plain `1` is a number, `"1"` text, `true` a boolean), so it can be
/// checked against [`json_schema`]. Only YAML syntax is checked here; the
/// errors are located like the loader's.
///
/// ```
/// let v = telemetry_schema::format::yaml_to_json("a: [1, \"2\", true, x]\n", "t.yaml").unwrap();
/// assert_eq!(v, serde_json::json!({ "a": [1, "2", true, "x"] }));
/// assert!(telemetry_schema::format::yaml_to_json("a: [1\n", "t.yaml").is_err());
/// ```
pub fn yaml_to_json(text: &str, file: impl AsRef<Path>) -> Result<serde_json::Value, crate::SchemaError> {
    let mut d = Diags::new(file.as_ref());
    let root = crate::yaml::parse(text, &mut d);
    match root {
        Some(root) if d.is_empty() => Ok(to_json(&crate::parse::value(&root))),
        Some(_) => Err(d.into_error()),
        None => {
            if d.is_empty() {
                return Ok(serde_json::Value::Null);
            }
            Err(d.into_error())
        }
    }
}

/// A schema [`crate::Value`] as JSON. Integers beyond 64 bits become floats.
pub fn to_json(v: &crate::Value) -> serde_json::Value {
    use crate::Value;
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => {
            if let Ok(n) = i64::try_from(*i) {
                n.into()
            } else if let Ok(n) = u64::try_from(*i) {
                n.into()
            } else {
                serde_json::Number::from_f64(*i as f64).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Str(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}
