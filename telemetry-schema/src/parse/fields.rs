//! Reading events and their fields: each field's `collect`, its type with
//! the keys that refine it (`values`, `fields`, `items`, `max_length`),
//! nested objects and lists, and `example` values. Fields are most of the
//! format, so they are read here and the top-level sections in `mod.rs`.

use super::govern::{self, review_key};
use super::shape::{Map, boolean, keyword, non_empty, string};
use crate::error::{Diags, unknown_help};
use crate::model::{Collect, Event, Field, FieldType, HashScope, TYPE_NAMES, Value};
use crate::yaml::{Key, Node, NodeKind};

/// `Err` holds the events that did parse when some did not.
pub(super) fn events(node: &Node, d: &mut Diags) -> Result<Vec<Event>, Vec<Event>> {
    let NodeKind::Map(entries) = &node.kind else {
        d.error(
            node.loc,
            format!("`events` must be a mapping of event names, found {}", node.describe()),
            "write `events:` then one `event_name:` per event, indented",
        );
        return Err(Vec::new());
    };
    if entries.is_empty() {
        d.error(node.loc, "`events` declares no events", "declare at least one event");
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (k, v) in entries {
        match event(k, v, d) {
            Some(e) => out.push(e),
            None => ok = false,
        }
    }
    if ok { Ok(out) } else { Err(out) }
}

fn event(key: &Key, node: &Node, d: &mut Diags) -> Option<Event> {
    let what = format!("event `{}`", key.text);
    let m = Map::governed(
        node,
        &what,
        &["description", "when", "fields"],
        &["owner", "expires", "expires_reason", "data_review"],
        d,
    )?;
    let governed = govern::governed(&m, &what, d);
    let description = m
        .required("description", &what, "What happened and why it is collected.", d)
        .and_then(|n| non_empty(n, &format!("`description` of {what}"), d));
    let when = match m.value("when") {
        Some(n) => non_empty(n, &format!("`when` of {what}"), d).map(Some),
        None => Some(None),
    };
    let fields = match m.value("fields") {
        Some(n) => fields(n, &format!("the fields of {what}"), 0, d),
        None => Some(Vec::new()),
    };
    let g = governed?;
    Some(Event {
        name: key.text.clone(),
        loc: key.loc,
        description: description?,
        when: when?,
        fields: fields?,
        owner: g.owner,
        expires: g.expires,
        data_review: g.data_review,
    })
}
const FIELD_KEYS: &[&str] = &[
    "collect",
    "hash",
    "type",
    "description",
    "reason",
    "reviewed",
    "required",
    "max_length",
    "example",
    "values",
    "fields",
    "items",
];

/// Objects nest; bound it so hostile input cannot recurse without end
/// (the YAML layer bounds depth too, this gives the better message).
const MAX_OBJECT_DEPTH: usize = 8;

pub(super) fn fields(node: &Node, what: &str, depth: usize, d: &mut Diags) -> Option<Vec<Field>> {
    let NodeKind::Map(entries) = &node.kind else {
        d.error(
            node.loc,
            format!("{what} must be a mapping of field names, found {}", node.describe()),
            "write one `field_name: { collect: allowed, type: string, description: ... }` per field",
        );
        return None;
    };
    if depth > MAX_OBJECT_DEPTH {
        d.error(
            node.loc,
            format!("objects are nested more than {MAX_OBJECT_DEPTH} levels deep"),
            "flatten the structure",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (k, v) in entries {
        match field(k, v, depth, d) {
            Some(f) => out.push(f),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn field(key: &Key, node: &Node, depth: usize, d: &mut Diags) -> Option<Field> {
    let what = format!("field `{}`", key.text);
    let m = Map::governed(node, &what, FIELD_KEYS, &["data_review"], d)?;
    let collect = m.required("collect", &what, "allowed", d).and_then(|n| {
        keyword(
            n,
            "`collect` value",
            &[("allowed", Collect::Allowed), ("hashed", Collect::Hashed), ("forbidden", Collect::Forbidden)],
            d,
        )
    });
    let hash = hash_scope(&m, &what, collect, d);
    let text = |k: &str, d: &mut Diags| match m.value(k) {
        Some(n) => non_empty(n, &format!("`{k}` of {what}"), d).map(Some),
        None => Some(None),
    };
    let description = text("description", d);
    let reason = text("reason", d);
    let reviewed = text("reviewed", d);
    let required = match m.value("required") {
        Some(n) => boolean(n, "`required`", d),
        None => Some(true),
    };
    let ty = match m.value("type") {
        // A forbidden field is never sent, so it has no type. Say so at each
        // typing key, rather than checking the type (`type: enum` would ask for
        // `values`, leading the user the wrong way) or silently accepting
        // `values`/`max_length` without `type`. Not fatal: the rules still run.
        _ if collect == Some(Collect::Forbidden) => {
            for k in ["type", "values", "fields", "items", "max_length"] {
                if let Some((key, _)) = m.get(k) {
                    d.error(
                        key.loc,
                        format!("{what} is forbidden but declares `{k}`"),
                        format!("a forbidden field is never sent, so it has no type: remove `{k}`"),
                    );
                }
            }
            Some(None)
        }
        Some(_) => type_spec(&m, &what, depth, d).map(Some),
        None => {
            for k in ["values", "fields", "items", "max_length"] {
                if let Some((key, _)) = m.get(k)
                    && collect != Some(Collect::Forbidden)
                {
                    d.error(key.loc, format!("`{k}` without `type` in {what}"), "add the `type:` this key belongs to");
                }
            }
            Some(None)
        }
    };
    let example = m.value("example").map(value);
    let data_review = review_key(&m, &what, d);
    Some(Field {
        name: key.text.clone(),
        loc: key.loc,
        collect: collect?,
        hash: hash?,
        ty: ty?,
        description: description?,
        reason: reason?,
        reviewed: reviewed?,
        required: required?,
        example,
        data_review: data_review?,
    })
}

/// `hash:`, whose key a hashed field is hashed under; only a hashed field has one.
fn hash_scope(m: &Map<'_>, what: &str, collect: Option<Collect>, d: &mut Diags) -> Option<HashScope> {
    let Some((key, n)) = m.get("hash") else { return Some(HashScope::Install) };
    let scope = keyword(n, "`hash` scope", &[("install", HashScope::Install), ("product", HashScope::Product)], d)?;
    match collect {
        Some(c) if c != Collect::Hashed => {
            d.error(
                key.loc,
                format!("{what} is {} but declares `hash`", c.as_str()),
                "`hash:` says whose key a hashed field is hashed under: remove it, or write `collect: hashed`",
            );
            None
        }
        _ => Some(scope),
    }
}

/// Reads `type` and the keys that refine it (`values`, `fields`, `items`, `max_length`) from `m`.
fn type_spec(m: &Map<'_>, what: &str, depth: usize, d: &mut Diags) -> Option<FieldType> {
    let (_, tnode) = m.get("type")?;
    let name = string(tnode, "`type`", d)?;
    let stray = |keys: &[&str], d: &mut Diags| {
        for k in keys {
            if let Some((key, _)) = m.get(k) {
                d.error(
                    key.loc,
                    format!("`{k}` does not apply to `type: {name}` in {what}"),
                    format!("remove `{k}`, or change the type"),
                );
            }
        }
    };
    let ty = match name.as_str() {
        "bool" => FieldType::Bool,
        "u8" => FieldType::U8,
        "u16" => FieldType::U16,
        "u32" => FieldType::U32,
        "u64" => FieldType::U64,
        "i8" => FieldType::I8,
        "i16" => FieldType::I16,
        "i32" => FieldType::I32,
        "i64" => FieldType::I64,
        "f32" => FieldType::F32,
        "f64" => FieldType::F64,
        "string" => {
            stray(&["values", "fields", "items"], d);
            return max_length(m, d).map(|max_length| FieldType::String { max_length });
        }
        "enum" => {
            stray(&["fields", "items", "max_length"], d);
            let Some(v) = m.value("values") else {
                d.error(tnode.loc, format!("`type: enum` in {what} needs `values`"), "add `values: [first, second]`");
                return None;
            };
            return enum_values(v, d).map(|values| FieldType::Enum { values });
        }
        "object" => {
            stray(&["values", "items", "max_length"], d);
            let Some(f) = m.value("fields") else {
                d.error(
                    tnode.loc,
                    format!("`type: object` in {what} needs `fields`"),
                    "add `fields:` with the nested fields",
                );
                return None;
            };
            return fields(f, &format!("the fields of {what}"), depth + 1, d)
                .map(|fields| FieldType::Object { fields });
        }
        "list" => {
            stray(&["values", "fields", "max_length"], d);
            let Some(items) = m.value("items") else {
                d.error(
                    tnode.loc,
                    format!("`type: list` in {what} needs `items`"),
                    "add `items: { type: string }` (or another type)",
                );
                return None;
            };
            return list_items(items, what, depth, d).map(|items| FieldType::List { items: Box::new(items) });
        }
        other => {
            d.error(tnode.loc, format!("unknown type `{other}` in {what}"), unknown_help(other, TYPE_NAMES));
            return None;
        }
    };
    stray(&["values", "fields", "items", "max_length"], d);
    Some(ty)
}

/// The optional `max_length` of a string field: a whole number from 1 to `u32::MAX`.
fn max_length(m: &Map<'_>, d: &mut Diags) -> Option<Option<u32>> {
    let Some(n) = m.value("max_length") else { return Some(None) };
    match n.as_i128().and_then(|v| u32::try_from(v).ok()).filter(|v| *v > 0) {
        Some(v) => Some(Some(v)),
        None => {
            d.error(
                n.loc,
                format!("`max_length` must be a whole number from 1 to {}", u32::MAX),
                "write e.g. `max_length: 64`",
            );
            None
        }
    }
}

fn list_items(node: &Node, what: &str, depth: usize, d: &mut Diags) -> Option<FieldType> {
    if let Some(name) = node.scalar().filter(|_| !node.is_null()) {
        // `items: string` shorthand for scalar item types.
        let fake = [(Key { text: "type".into(), loc: node.loc }, node.clone())];
        let m = Map { loc: node.loc, entries: &fake };
        if matches!(name, "enum" | "object" | "list") {
            d.error(
                node.loc,
                format!("`items: {name}` needs more than a type name"),
                format!("write `items: {{ type: {name}, ... }}`"),
            );
            return None;
        }
        return type_spec(&m, what, depth, d);
    }
    let m = Map::new(node, &format!("the `items` of {what}"), &["type", "values", "fields", "items", "max_length"], d)?;
    if m.value("type").is_none() {
        d.error(node.loc, format!("the `items` of {what} need a `type`"), "add `type: string` (or another type)");
        return None;
    }
    type_spec(&m, what, depth + 1, d)
}

fn enum_values(node: &Node, d: &mut Diags) -> Option<Vec<String>> {
    let NodeKind::Seq(items) = &node.kind else {
        d.error(
            node.loc,
            format!("`values` must be a list, found {}", node.describe()),
            "write `values: [first, second]`",
        );
        return None;
    };
    if items.is_empty() {
        d.error(node.loc, "`values` is empty", "list at least one value");
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    // A set, not `out.contains`: a hostile list of 100k values must stay linear.
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let s = string(item, "an enum value", d)?;
        if let Some((message, help)) = crate::valid::enum_value_problem(&s) {
            d.error(item.loc, message, help);
        }
        if !seen.insert(s.clone()) {
            d.error(item.loc, format!("duplicate enum value `{s}`"), "list each value once");
        }
        out.push(s);
    }
    Some(out)
}

/// A YAML node as a schema [`Value`], read the way the loader reads an
/// `example` (plain `1` is a number, `"1"` text, `true` a boolean).
pub(crate) fn value(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Scalar { text, plain } => {
            if !plain {
                Value::Str(text.clone())
            } else if node.is_null() {
                Value::Null
            } else if let Some(b) = node.as_bool() {
                Value::Bool(b)
            } else if let Some(i) = node.as_i128() {
                Value::Int(i)
            } else if let Some(f) = node.as_f64().filter(|f| f.is_finite()) {
                Value::Float(f)
            } else {
                Value::Str(text.clone())
            }
        }
        NodeKind::Seq(items) => Value::List(items.iter().map(value).collect()),
        NodeKind::Map(entries) => Value::Map(entries.iter().map(|(k, v)| (k.text.clone(), value(v))).collect()),
    }
}
