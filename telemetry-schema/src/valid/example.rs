//! `example:` values must fit their field's type: the generated page shows
//! them as a real payload, and that payload is checked against the payload
//! JSON Schema. A mismatch is reported at the field, like any other rule.

use crate::error::Diags;
use crate::model::{Field, FieldType, Schema, Value};

pub(crate) fn check(schema: &Schema, d: &mut Diags) {
    for f in &schema.context {
        check_field(f, "the context", d);
    }
    for e in &schema.events {
        let owner = format!("event `{}`", e.name);
        for f in &e.fields {
            check_field(f, &owner, d);
        }
    }
}

fn check_field(f: &Field, owner: &str, d: &mut Diags) {
    let Some(ty) = &f.ty else { return };
    if let Some(example) = &f.example
        && let Err(problem) = fits(ty, example)
    {
        d.error(
                f.loc,
                format!("the `example` of field `{}` of {owner} does not fit `type: {}`: {problem}", f.name, ty.name()),
                "change the example to a value of the field's type; quote text that YAML would read as a number or boolean (`example: \"3.10\"`)",
            );
    }
    if let FieldType::Object { fields } = ty {
        for sub in fields {
            check_field(sub, owner, d);
        }
    }
}

/// Describes a value for messages.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Int(i) => format!("the number `{i}`"),
        Value::Float(x) => format!("the number `{x}`"),
        Value::Str(s) => format!("the text `{s}`"),
        Value::List(_) => "a list".into(),
        Value::Map(_) => "a mapping".into(),
    }
}

/// `Ok` when `v` is a value of type `ty`, else what is wrong.
pub(crate) fn fits(ty: &FieldType, v: &Value) -> Result<(), String> {
    let int_range = |lo: i128, hi: i128| match v {
        Value::Int(i) if (lo..=hi).contains(i) => Ok(()),
        Value::Int(i) => Err(format!("`{i}` is outside {lo}..={hi}")),
        other => Err(format!("expected a whole number, found {}", describe(other))),
    };
    match ty {
        FieldType::Bool => match v {
            Value::Bool(_) => Ok(()),
            other => Err(format!("expected `true` or `false`, found {}", describe(other))),
        },
        FieldType::U8 => int_range(0, u8::MAX.into()),
        FieldType::U16 => int_range(0, u16::MAX.into()),
        FieldType::U32 => int_range(0, u32::MAX.into()),
        FieldType::U64 => int_range(0, u64::MAX.into()),
        FieldType::I8 => int_range(i8::MIN.into(), i8::MAX.into()),
        FieldType::I16 => int_range(i16::MIN.into(), i16::MAX.into()),
        FieldType::I32 => int_range(i32::MIN.into(), i32::MAX.into()),
        FieldType::I64 => int_range(i64::MIN.into(), i64::MAX.into()),
        FieldType::F32 | FieldType::F64 => match v {
            Value::Int(_) | Value::Float(_) => Ok(()),
            other => Err(format!("expected a number, found {}", describe(other))),
        },
        FieldType::String { max_length } => match v {
            Value::Str(s) => match max_length {
                Some(max) if s.chars().count() > *max as usize => {
                    Err(format!("it is {} characters long, more than `max_length: {max}`", s.chars().count()))
                }
                _ => Ok(()),
            },
            other => Err(format!("expected text, found {}", describe(other))),
        },
        FieldType::Enum { values } => match v {
            Value::Str(s) if values.contains(s) => Ok(()),
            Value::Str(s) => Err(format!("`{s}` is not one of the `values`")),
            other => Err(format!("expected one of the `values`, found {}", describe(other))),
        },
        FieldType::Object { fields } => match v {
            Value::Map(entries) => {
                for (k, item) in entries {
                    match fields.iter().find(|f| &f.name == k) {
                        None => return Err(format!("the object has no field `{k}`")),
                        Some(f) if !f.is_collected() => return Err(format!("`{k}` is forbidden")),
                        Some(f) => {
                            if let Some(t) = &f.ty {
                                fits(t, item).map_err(|e| format!("`{k}`: {e}"))?;
                            }
                        }
                    }
                }
                Ok(())
            }
            other => Err(format!("expected a mapping, found {}", describe(other))),
        },
        FieldType::List { items } => match v {
            Value::List(list) => {
                for (i, item) in list.iter().enumerate() {
                    fits(items, item).map_err(|e| format!("item {}: {e}", i + 1))?;
                }
                Ok(())
            }
            other => Err(format!("expected a list, found {}", describe(other))),
        },
    }
}

#[cfg(test)]
mod tests {
    fn load(fields: &str) -> Result<crate::Schema, crate::SchemaError> {
        let text = format!(
            "version: 1\napp: {{ name: demo, title: Demo, description: x }}\nevents:\n  e:\n    description: x\n    fields:\n{fields}"
        );
        crate::load_str(&text, "demo.yaml")
    }

    #[test]
    fn fitting_examples_load() {
        let s = load(concat!(
            "      a: { collect: allowed, type: u8, description: x, example: 255 }\n",
            "      b: { collect: allowed, type: string, max_length: 3, description: x, example: abc }\n",
            "      c: { collect: allowed, type: enum, values: [x, y], description: x, example: y }\n",
            "      d: { collect: allowed, type: f64, description: x, example: 1 }\n",
            "      e: { collect: allowed, type: list, items: u8, description: x, example: [1, 2] }\n",
            "      f:\n        collect: allowed\n        type: object\n        description: x\n        example: { g: true }\n        fields:\n          g: { collect: allowed, type: bool, description: x }\n",
        ));
        assert!(s.is_ok(), "{}", s.unwrap_err());
    }

    #[test]
    fn misfits_are_located_and_explained() {
        let err = load(concat!(
            "      a: { collect: allowed, type: u8, description: x, example: 256 }\n",
            "      b: { collect: allowed, type: string, description: x, example: 3.10 }\n",
            "      c: { collect: allowed, type: enum, values: [x, y], description: x, example: z }\n",
            "      d: { collect: allowed, type: string, max_length: 2, description: x, example: abc }\n",
            "      e: { collect: allowed, type: list, items: u8, description: x, example: [1, true] }\n",
        ))
        .unwrap_err();
        let text: Vec<String> = err.diagnostics().iter().map(|d| format!("{}: {}", d.location(), d.message)).collect();
        assert_eq!(
            text,
            [
                "demo.yaml:7:7: the `example` of field `a` of event `e` does not fit `type: u8`: `256` is outside 0..=255",
                "demo.yaml:8:7: the `example` of field `b` of event `e` does not fit `type: string`: expected text, found the number `3.1`",
                "demo.yaml:9:7: the `example` of field `c` of event `e` does not fit `type: enum`: `z` is not one of the `values`",
                "demo.yaml:10:7: the `example` of field `d` of event `e` does not fit `type: string`: it is 3 characters long, more than `max_length: 2`",
                "demo.yaml:11:7: the `example` of field `e` of event `e` does not fit `type: list of u8`: item 2: expected a whole number, found the boolean `true`",
            ]
        );
        assert!(err.diagnostics()[1].help.as_deref().unwrap().contains("quote text"));
    }
}
