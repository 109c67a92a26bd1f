//! Fields of the model: how each is collected, its type, and its example
//! value. Shared by events, the context and nested objects.

use crate::error::Loc;

#[cfg(feature = "serde")]
use serde::Serialize;

/// How a field's value is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum Collect {
    /// Sent as is.
    Allowed,
    /// Sent only as a keyed one-way hash (HMAC-SHA256, under the key of its [`HashScope`]).
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

/// Whose key a hashed field is hashed under (`hash:`): what its hashes can be compared across.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum HashScope {
    /// A random key made for each install (the default): the same value
    /// hashes differently on every install, so hashes count distinct values
    /// within one install only.
    #[default]
    Install,
    /// The product's own key, given to the builder at build time: the same
    /// value hashes alike on every install, so hashes can be counted across
    /// installs, and whoever holds the key can hash guesses and so reverse
    /// values from a small set.
    Product,
}

impl HashScope {
    /// The YAML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            HashScope::Install => "install",
            HashScope::Product => "product",
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
    /// Whose key a hashed field is hashed under (`hash:`); `install` for every other field.
    pub hash: HashScope,
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
