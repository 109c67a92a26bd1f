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

mod collection;
mod field;
mod file;
mod metric;

pub use collection::*;
pub use field::*;
pub use file::*;
pub use metric::*;

use crate::error::Diags;
use std::path::Path;

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

#[cfg(test)]
mod tests {
    use crate::parse::collection::{COLLECTION_GOVERNED, COLLECTION_KEYS};
    use crate::parse::consent::{CONSENT_GOVERNED, CONSENT_KEYS};
    use crate::parse::{APP_GOVERNED, APP_KEYS, ROOT_GOVERNED, ROOT_KEYS};

    /// The editor's schema knows exactly the keys the loader reads, section
    /// by section: a key added to the parser and not here (or the other way
    /// round) fails this test.
    #[test]
    fn sections_have_the_parsers_keys() {
        let schema = super::json_schema();
        let keys = |props: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = props.as_object().expect("properties").keys().cloned().collect();
            k.sort();
            k
        };
        let parser = |known: &[&str], governed: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = known.iter().chain(governed).map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        assert_eq!(keys(&schema["properties"]), parser(ROOT_KEYS, ROOT_GOVERNED), "the document root");
        for (def, known, governed) in [
            ("AppSpec", APP_KEYS, APP_GOVERNED),
            ("ConsentSpec", CONSENT_KEYS, CONSENT_GOVERNED),
            ("CollectionSpec", COLLECTION_KEYS, COLLECTION_GOVERNED),
        ] {
            assert_eq!(keys(&schema["$defs"][def]["properties"]), parser(known, governed), "{def}");
        }
    }
}
