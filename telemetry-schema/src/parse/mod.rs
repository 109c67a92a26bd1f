//! From the located YAML tree to the model. Shape problems (unknown keys,
//! wrong value kinds, missing keys) are collected here; the rules about
//! what a field may say live in `valid.rs`.

use crate::error::{Diags, unknown_help};
use crate::govern;
use crate::model::*;
use crate::shape::{Map, boolean, keyword, non_empty, string};
use crate::yaml::{Key, Node, NodeKind};

/// Entry point: the document root to a schema.
pub(crate) fn schema(root: &Node, file: &std::path::Path, d: &mut Diags) -> Option<Schema> {
    const KEYS: &[&str] = &["version", "app", "consent", "context", "events", "never_collected"];
    let m = Map::governed(root, "the schema", KEYS, &["schema_version", "history"], d)?;

    let version = m.required("version", "the schema", "1", d).and_then(|v| match (v.as_i128(), &v.kind) {
        (Some(1), _) => Some(1),
        (Some(n), _) => {
            d.error(v.loc, format!("unsupported schema version `{n}`"), "this toolkit reads `version: 1`");
            None
        }
        (None, NodeKind::Scalar { text, plain }) if !v.is_null() => {
            // `"1"` or `1.0` used to read "unsupported schema version `1`", which
            // contradicts its own help.
            let found = if *plain { format!("`{text}`") } else { format!("the quoted string `{text}`") };
            d.error(
                v.loc,
                format!("the schema version must be a whole number, found {found}"),
                "write `version: 1`, unquoted",
            );
            None
        }
        (None, _) => {
            d.error(
                v.loc,
                format!("the schema version must be a whole number, found {}", v.describe()),
                "write `version: 1`",
            );
            None
        }
    });
    let app =
        m.required("app", "the schema", "{ name: my-app, title: My App, description: ... }", d).and_then(|n| app(n, d));
    let consent = match m.value("consent") {
        Some(n) => consent(n, d),
        None => Some(Consent {
            default: ConsentDefault::Enabled,
            do_not_track: true,
            env: Vec::new(),
            first_run: FirstRun::Send,
            opt_out_command: None,
            data_review: None,
        }),
    };
    let context = match m.value("context") {
        Some(n) => Map::new(n, "`context`", &["fields"], d).and_then(|c| match c.value("fields") {
            Some(f) => fields(f, "`context.fields`", 0, d),
            None => Some(Vec::new()),
        }),
        None => Some(Vec::new()),
    };
    let events = match m.required("events", "the schema", "{ my_event: { description: ..., fields: {...} } }", d) {
        Some(n) => events(n, d),
        None => Err(Vec::new()),
    };
    let never_collected = match m.value("never_collected") {
        Some(n) => never_collected(n, d),
        None => Some(Vec::new()),
    };
    let schema_version = match m.value("schema_version") {
        Some(n) => govern::schema_version(n, d).map(Some),
        None => Some(None),
    };
    let history = match m.value("history") {
        Some(n) => govern::history(n, d),
        None => Some(Vec::new()),
    };
    let governance = schema_version.zip(history);
    match (version, app, consent, context, events, never_collected, governance) {
        (
            Some(version),
            Some(app),
            Some(consent),
            Some(context),
            Ok(events),
            Some(never_collected),
            Some((schema_version, history)),
        ) => Some(Schema {
            file: file.to_path_buf(),
            version,
            app,
            consent,
            context,
            events,
            never_collected,
            schema_version,
            history,
            warnings: Vec::new(),
        }),
        (_, _, _, context, events, _, _) => {
            // The file is already in error. Still apply the privacy rules to
            // what did parse, so that a typo in `consent` does not hide a
            // field that leaks personal data until the next run.
            let events = events.unwrap_or_else(|partial| partial);
            crate::valid::check_parts(context.as_deref().unwrap_or_default(), &events, d);
            None
        }
    }
}

fn app(node: &Node, d: &mut Diags) -> Option<App> {
    let m = Map::governed(
        node,
        "`app`",
        &["name", "title", "description", "docs_url", "privacy_url", "anonymous_id_env"],
        &["owner"],
        d,
    )?;
    let name = m.required("name", "`app`", "my-app", d).and_then(|n| {
        let s = string(n, "`app.name`", d)?;
        let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            d.error(
                n.loc,
                format!("`app.name` `{s}` is not a valid identifier"),
                "use lowercase letters, digits, `-` and `_`, starting with a letter (e.g. `my-app`)",
            );
            return None;
        }
        Some(s)
    });
    let title = m.required("title", "`app`", "My App", d).and_then(|n| non_empty(n, "`app.title`", d));
    let description = m
        .required("description", "`app`", "Why we collect and how it helps.", d)
        .and_then(|n| non_empty(n, "`app.description`", d));
    let url = |key: &str, d: &mut Diags| -> Option<Option<String>> {
        match m.value(key) {
            None => Some(None),
            Some(n) => {
                let s = string(n, key, d)?;
                if !(s.starts_with("https://") || s.starts_with("http://")) {
                    d.error(
                        n.loc,
                        format!("`app.{key}` must be an http(s) URL, found `{s}`"),
                        "write the full address, e.g. `https://example.org/telemetry`",
                    );
                    return None;
                }
                Some(Some(s))
            }
        }
    };
    let docs_url = url("docs_url", d);
    let privacy_url = url("privacy_url", d);
    let anonymous_id_env = match m.value("anonymous_id_env") {
        None => Some(None),
        Some(n) => env_name(n, "MY_APP_ANONYMOUS_ID", d).map(Some),
    };
    let owner = match m.value("owner") {
        None => Some(None),
        Some(n) => govern::owner(n, "`app.owner`", d).map(Some),
    };
    Some(App {
        owner: owner?,
        name: name?,
        title: title?,
        description: description?,
        docs_url: docs_url?,
        privacy_url: privacy_url?,
        anonymous_id_env: anonymous_id_env?,
    })
}

fn consent(node: &Node, d: &mut Diags) -> Option<Consent> {
    const KEYS: &[&str] = &["default", "do_not_track", "env", "first_run", "opt_out_command"];
    let m = Map::governed(node, "`consent`", KEYS, &["data_review"], d)?;
    let data_review = review_key(&m, "`consent`", d);
    let default = match m.value("default") {
        Some(n) => keyword(
            n,
            "`consent.default` value",
            &[("enabled", ConsentDefault::Enabled), ("disabled", ConsentDefault::Disabled)],
            d,
        ),
        None => Some(ConsentDefault::Enabled),
    };
    let do_not_track = match m.value("do_not_track") {
        Some(n) => boolean(n, "`consent.do_not_track`", d),
        None => Some(true),
    };
    let env = match m.value("env") {
        None => Some(Vec::new()),
        Some(n) => match &n.kind {
            NodeKind::Seq(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for item in items {
                    match switch(item, d) {
                        Some(s) => out.push(s),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            _ => {
                d.error(
                    n.loc,
                    format!("`consent.env` must be a list, found {}", n.describe()),
                    "write one `- { name: VAR, disables_when: truthy }` per variable",
                );
                None
            }
        },
    };
    let first_run = match m.value("first_run") {
        Some(n) => keyword(
            n,
            "`consent.first_run` value",
            &[("send", FirstRun::Send), ("notice_first", FirstRun::NoticeFirst)],
            d,
        ),
        None => Some(FirstRun::Send),
    };
    let opt_out_command = match m.value("opt_out_command") {
        Some(n) => non_empty(n, "`consent.opt_out_command`", d).map(Some),
        None => Some(None),
    };
    Some(Consent {
        default: default?,
        do_not_track: do_not_track?,
        env: env?,
        first_run: first_run?,
        opt_out_command: opt_out_command?,
        data_review: data_review?,
    })
}

/// An environment variable name: uppercase letters, digits and `_`, not starting with a digit.
fn env_name(node: &Node, example: &str, d: &mut Diags) -> Option<String> {
    let s = string(node, "the variable name", d)?;
    let ok = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit());
    if !ok {
        d.error(
            node.loc,
            format!("`{s}` is not an environment variable name"),
            format!("use uppercase letters, digits and `_`, e.g. `{example}`"),
        );
        return None;
    }
    Some(s)
}

fn switch(node: &Node, d: &mut Diags) -> Option<EnvSwitch> {
    let m = Map::new(node, "an environment switch", &["name", "disables_when", "equals", "action"], d)?;
    let name = m
        .required("name", "an environment switch", "MY_APP_DISABLE_TELEMETRY", d)
        .and_then(|n| env_name(n, "MY_APP_DISABLE_TELEMETRY", d));
    let triggers = [("set", Trigger::Set), ("truthy", Trigger::Truthy), ("falsy", Trigger::Falsy)];
    let actions =
        [("disable", SwitchAction::Disable), ("enable", SwitchAction::Enable), ("log_only", SwitchAction::LogOnly)];
    let rule = match (m.get("disables_when"), m.get("equals")) {
        (Some((_, w)), None) => {
            if let Some((k, _)) = m.get("action") {
                d.error(
                    k.loc,
                    "`action` goes with `equals`, not with `disables_when`",
                    "remove `action`; `disables_when` always disables",
                );
            }
            keyword(w, "`disables_when` value", &triggers, d).map(SwitchRule::DisablesWhen)
        }
        (None, Some((_, v))) => {
            let value = string(v, "`equals`", d);
            let action = match m.value("action") {
                Some(a) => keyword(a, "`action` value", &actions, d),
                None => Some(SwitchAction::Disable),
            };
            Some(SwitchRule::Equals { value: value?, action: action? })
        }
        (Some(_), Some((k, _))) => {
            d.error(k.loc, "a switch has either `disables_when` or `equals`, not both", "split it into two switches");
            None
        }
        (None, None) => {
            d.error(m.loc, "this switch says neither `disables_when` nor `equals`", "add `disables_when: truthy` (or `falsy`, `set`), or `equals: VALUE` with `action: disable | enable | log_only`");
            None
        }
    };
    Some(EnvSwitch { name: name?, rule: rule?, loc: node.loc })
}

/// `Err` holds the events that did parse when some did not.
fn events(node: &Node, d: &mut Diags) -> Result<Vec<Event>, Vec<Event>> {
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
    let owner = match m.value("owner") {
        None => Some(None),
        Some(n) => govern::owner(n, &format!("`owner` of {what}"), d).map(Some),
    };
    let expires = govern::expires(&m, &what, d);
    let data_review = review_key(&m, &what, d);
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
    Some(Event {
        name: key.text.clone(),
        loc: key.loc,
        description: description?,
        when: when?,
        fields: fields?,
        owner: owner?,
        expires: expires?,
        data_review: data_review?,
    })
}

/// The optional `data_review` of `m`, refusing placeholders.
fn review_key(m: &Map<'_>, what: &str, d: &mut Diags) -> Option<Option<String>> {
    match m.value("data_review") {
        None => Some(None),
        Some(n) => govern::review(n, &format!("`data_review` of {what}"), d).map(Some),
    }
}

const FIELD_KEYS: &[&str] = &[
    "collect",
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

fn fields(node: &Node, what: &str, depth: usize, d: &mut Diags) -> Option<Vec<Field>> {
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
        ty: ty?,
        description: description?,
        reason: reason?,
        reviewed: reviewed?,
        required: required?,
        example,
        data_review: data_review?,
    })
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
            let max_length = match m.value("max_length") {
                None => None,
                Some(n) => match n.as_i128().and_then(|v| u32::try_from(v).ok()).filter(|v| *v > 0) {
                    Some(v) => Some(v),
                    None => {
                        d.error(
                            n.loc,
                            format!("`max_length` must be a whole number from 1 to {}", u32::MAX),
                            "write e.g. `max_length: 64`",
                        );
                        return None;
                    }
                },
            };
            return Some(FieldType::String { max_length });
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
        if s.is_empty() {
            d.error(item.loc, "an enum value is empty", "write a snake_case value such as `success`, or remove it");
        } else if !crate::valid::is_snake_case(&s) {
            d.error(item.loc, format!("enum value `{s}` is not snake_case"), crate::valid::snake_help(&s));
        }
        if !seen.insert(s.clone()) {
            d.error(item.loc, format!("duplicate enum value `{s}`"), "list each value once");
        }
        out.push(s);
    }
    Some(out)
}

fn never_collected(node: &Node, d: &mut Diags) -> Option<Vec<NeverCollected>> {
    let NodeKind::Seq(items) = &node.kind else {
        d.error(
            node.loc,
            format!("`never_collected` must be a list, found {}", node.describe()),
            "write one `- statement` per line",
        );
        return None;
    };
    // Every entry is checked, not just the ones before the first bad one.
    let entry = |item: &Node, d: &mut Diags| -> Option<NeverCollected> {
        if item.scalar().is_some() {
            return Some(NeverCollected { what: non_empty(item, "a `never_collected` entry", d)?, reason: None });
        }
        let m = Map::new(item, "a `never_collected` entry", &["what", "reason"], d)?;
        let what = m
            .required("what", "a `never_collected` entry", "Your data records.", d)
            .and_then(|n| non_empty(n, "`what`", d));
        let reason = match m.value("reason") {
            Some(n) => non_empty(n, "`reason`", d).map(Some),
            None => Some(None),
        };
        Some(NeverCollected { what: what?, reason: reason? })
    };
    let entries: Vec<Option<NeverCollected>> = items.iter().map(|item| entry(item, d)).collect();
    entries.into_iter().collect()
}

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

#[cfg(test)]
mod tests {
    const APP: &str =
        "version: 1\nevents: { e: { description: x } }\napp:\n  name: demo\n  title: Demo\n  description: x\n";

    #[test]
    fn anonymous_id_env_is_read() {
        let s = crate::load_str(&format!("{APP}  anonymous_id_env: DEMO_ANALYTICS_ID\n"), "demo.yaml").unwrap();
        assert_eq!(s.app.anonymous_id_env.as_deref(), Some("DEMO_ANALYTICS_ID"));
        let s = crate::load_str(APP, "demo.yaml").unwrap();
        assert_eq!(s.app.anonymous_id_env, None);
    }

    #[test]
    fn anonymous_id_env_must_be_a_variable_name() {
        let err = crate::load_str(&format!("{APP}  anonymous_id_env: demo-id\n"), "demo.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "demo.yaml:7:21: error: `demo-id` is not an environment variable name\n  help: use uppercase letters, digits and `_`, e.g. `MY_APP_ANONYMOUS_ID`"
        );
    }
}
