//! JSON with keys in a chosen order, printed the same way on every machine.
//!
//! `serde_json::Map` is sorted or insertion-ordered depending on a cargo
//! feature some other crate in the build may switch on; generated files
//! must not change with that, so they are built and printed from this type.

use serde_json::{Number, Value};

/// A JSON value whose objects keep the order they were built in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum J {
    Null,
    Bool(bool),
    Num(Number),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

// The builders are used by the renderers; the format schema only prints.
#[cfg_attr(not(feature = "render"), allow(dead_code))]
impl J {
    /// A string.
    pub(crate) fn s(text: impl Into<String>) -> J {
        J::Str(text.into())
    }

    /// An object from `(key, value)` pairs, in order.
    pub(crate) fn obj<const N: usize>(entries: [(&str, J); N]) -> J {
        J::Obj(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// An integer.
    pub(crate) fn int(i: i128) -> J {
        if let Ok(n) = i64::try_from(i) {
            J::Num(n.into())
        } else if let Ok(n) = u64::try_from(i) {
            J::Num(n.into())
        } else {
            Number::from_f64(i as f64).map_or(J::Null, J::Num)
        }
    }

    /// A float (`null` if not finite).
    pub(crate) fn float(f: f64) -> J {
        Number::from_f64(f).map_or(J::Null, J::Num)
    }

    /// Adds `key: value` to an object.
    pub(crate) fn push(&mut self, key: &str, value: J) {
        if let J::Obj(entries) = self {
            entries.push((key.to_string(), value));
        }
    }

    /// A `serde_json::Value` with objects' keys sorted.
    pub(crate) fn sorted(v: &Value) -> J {
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Num(n.clone()),
            Value::String(s) => J::Str(s.clone()),
            Value::Array(items) => J::Arr(items.iter().map(J::sorted).collect()),
            Value::Object(map) => {
                let mut entries: Vec<(String, J)> = map.iter().map(|(k, v)| (k.clone(), J::sorted(v))).collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                J::Obj(entries)
            }
        }
    }

    /// As a `serde_json::Value`.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Num(n) => Value::Number(n.clone()),
            J::Str(s) => Value::String(s.clone()),
            J::Arr(items) => Value::Array(items.iter().map(J::to_value).collect()),
            J::Obj(entries) => Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_value())).collect()),
        }
    }

    /// Pretty text, two-space indent, `serde_json`'s layout, with a final newline.
    pub(crate) fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(&n.to_string()),
            J::Str(s) => string(out, s),
            J::Arr(items) if items.is_empty() => out.push_str("[]"),
            J::Obj(entries) if entries.is_empty() => out.push_str("{}"),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    pad(out, indent + 1);
                    item.write(out, indent + 1);
                }
                out.push('\n');
                pad(out, indent);
                out.push(']');
            }
            J::Obj(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    pad(out, indent + 1);
                    string(out, k);
                    out.push_str(": ");
                    v.write(out, indent + 1);
                }
                out.push('\n');
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

fn string(out: &mut String, s: &str) {
    // serde_json's escaping of a plain string cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::J;

    #[test]
    fn prints_like_serde_json_pretty() {
        let j = J::obj([
            ("b", J::Arr(vec![J::int(1), J::float(0.5), J::s("a\"|")])),
            ("a", J::Obj(vec![])),
            ("c", J::Arr(vec![])),
            ("d", J::obj([("x", J::Null), ("y", J::Bool(true))])),
        ]);
        let text = j.pretty();
        assert_eq!(
            text,
            "{\n  \"b\": [\n    1,\n    0.5,\n    \"a\\\"|\"\n  ],\n  \"a\": {},\n  \"c\": [],\n  \"d\": {\n    \"x\": null,\n    \"y\": true\n  }\n}\n"
        );
        let sorted = J::sorted(&j.to_value()).pretty();
        assert!(sorted.starts_with("{\n  \"a\": {},\n  \"b\""));
    }
}
