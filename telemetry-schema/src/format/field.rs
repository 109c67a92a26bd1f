//! Events and fields as the editor sees them: a field's `collect`, its
//! `type` and the keys that refine it, nested `fields` and list `items`.

#![allow(dead_code)] // The fields exist for their schema; nothing reads them.

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Pattern of snake_case names (events, fields).
pub(super) const SNAKE: &str = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";

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
    /// Sent only as a keyed one-way hash (HMAC-SHA256 under the key `hash` names). `string` or list of `string` only.
    Hashed,
    /// Never sent; needs a `reason`. A struct carrying it does not compile.
    Forbidden,
}

/// Whose key a hashed field is hashed under.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HashScopeSpec {
    /// A random key per install (the default): hashes compare within one install only.
    Install,
    /// The product's key, given at build time: hashes compare across installs, and whoever holds the key can reverse values from a small set.
    Product,
}

/// Declares an enum of `type:` keywords: the number and `bool` keywords,
/// written once here, then the variants the enum adds. The two enums below
/// must spell and describe those keywords identically in the JSON Schema.
macro_rules! type_keywords {
    ($(#[$attr:meta])* pub enum $name:ident { $($(#[$vattr:meta])* $variant:ident,)* }) => {
        $(#[$attr])*
        #[derive(Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
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
            $($(#[$vattr])* $variant,)*
        }
    };
}

type_keywords! {
    /// A `type:` keyword.
    pub enum TypeName {
        /// UTF-8 text (optionally `max_length`).
        String,
        /// One of `values`.
        Enum,
        /// A nested object with `fields`.
        Object,
        /// A list of `items`.
        List,
    }
}

type_keywords! {
    /// Type names usable as the `items: NAME` shorthand.
    pub enum ScalarTypeName {
        /// UTF-8 text.
        String,
    }
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
    { "if": { "properties": { "collect": { "const": "hashed" } }, "required": ["collect"] }, "then": { "properties": { "type": { "enum": ["string", "list"] } } }, "else": { "not": { "required": ["hash"] } } }
]))]
pub struct FieldSpec {
    /// `allowed` (sent as is), `hashed` (sent as a keyed hash) or `forbidden` (never sent).
    pub collect: CollectSpec,
    /// `hashed` only: whose key the hash is made under, `install` (the default) or `product`.
    #[serde(default)]
    pub hash: Option<HashScopeSpec>,
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
    /// The values of an `enum` as sent: non-empty, at most 128 bytes, no control or invisible characters.
    #[serde(default)]
    #[schemars(
        length(min = 1),
        inner(length(min = 1, max = 128), pattern("^[^\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff]+$")),
        extend("uniqueItems" = true)
    )]
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
    /// The values of an `enum` item as sent (as for a field's `values`).
    #[serde(default)]
    #[schemars(
        length(min = 1),
        inner(length(min = 1, max = 128), pattern("^[^\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff]+$")),
        extend("uniqueItems" = true)
    )]
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
