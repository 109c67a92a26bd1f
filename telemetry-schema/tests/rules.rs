//! What the rules accept, as the loaded model says it, and the loader API
//! around them. The rules' refusals (a minimal schema and its exact rendered
//! error) are data: `tests/cases/NAME.yaml` beside `NAME.expected`, run by
//! `cases.rs`.
//!
//! Helpers: `head(rest)` prefixes a valid `version` and `app` (lines 1-2);
//! `with_fields(lines)` also opens event `e`, whose fields start on line 7,
//! column 7.

use telemetry_schema::{Collect, FieldType, Loc, Schema, load_bytes, load_path, load_str};

const HEAD: &str = "version: 1\napp: { name: demo, title: Demo, description: Helps. }\n";

fn head(rest: &str) -> String {
    format!("{HEAD}{rest}")
}

fn with_fields(lines: &str) -> String {
    let mut s = format!("{HEAD}events:\n  e:\n    description: An event.\n    fields:\n");
    for line in lines.lines() {
        if !line.is_empty() {
            s.push_str("      ");
        }
        s.push_str(line);
        s.push('\n');
    }
    s
}

fn load_ok(text: &str) -> Schema {
    load_str(text, "demo.yaml").unwrap_or_else(|e| panic!("expected the schema to load:\n{e}"))
}

// ---------------------------------------------------------------------------
// Schemas that must load.

#[test]
fn example_cli_schema_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/example-cli.yaml");
    let s = load_path(path.as_ref()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.version, 1);
    assert_eq!(s.app.name, "example-cli");
    assert_eq!(s.app.docs_url.as_deref(), Some("https://example.org/example-cli/telemetry"));
    assert_eq!(s.consent.env.len(), 1);
    assert_eq!(s.consent.env[0].name, "EXAMPLE_CLI_DISABLE_TELEMETRY");
    assert_eq!(s.context.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["os", "arch", "app_version", "ci"]);
    assert_eq!(s.events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["command_run", "telemetry_changed"]);
    let run = s.event("command_run").unwrap();
    assert_eq!(run.loc, Loc::new(23, 3));
    assert_eq!(run.field("project").unwrap().collect, Collect::Hashed);
    assert_eq!(run.field("user_name").unwrap().collect, Collect::Forbidden);
    assert_eq!(run.field("user_name").unwrap().ty, None);
    assert_eq!(run.field("command").unwrap().ty, Some(FieldType::String { max_length: Some(32) }));
    assert_eq!(
        run.field("flags").unwrap().ty,
        Some(FieldType::List { items: Box::new(FieldType::String { max_length: Some(32) }) })
    );
    assert!(!run.field("ci").unwrap().required);
    assert_eq!(s.never_collected.len(), 2);
    assert_eq!(s.never_collected[1].what, "IP addresses");
}

#[test]
fn hashed_string_and_list_of_string_accepted() {
    let s = load_ok(&with_fields(
        "a: { collect: hashed, type: string, description: x }\n\
         b: { collect: hashed, type: list, items: { type: string, max_length: 8 }, description: x }\n",
    ));
    let e = &s.events[0];
    assert_eq!(e.fields[0].collect, Collect::Hashed);
    assert_eq!(e.fields[0].ty, Some(FieldType::String { max_length: None }));
    assert_eq!(e.fields[1].ty, Some(FieldType::List { items: Box::new(FieldType::String { max_length: Some(8) }) }));
}

/// Names that merely contain a PII token inside a word are not flagged.
#[test]
fn pii_tokens_match_whole_words_only() {
    let s = load_ok(&with_fields(
        "tokenizer: { collect: allowed, type: string, description: x }\n\
         zipped_bytes: { collect: allowed, type: u64, description: x }\n\
         machine: { collect: allowed, type: string, description: x }\n\
         homepage_visits: { collect: allowed, type: u64, description: x }\n",
    ));
    assert_eq!(s.events[0].fields.len(), 4);
}

#[test]
fn items_shorthand_is_a_scalar_type() {
    let s = load_ok(&with_fields(
        "a: { collect: allowed, type: list, items: string, description: x }\n\
         b: { collect: allowed, type: list, items: u16, description: x }\n\
         c: { collect: allowed, type: list, items: { type: list, items: bool }, description: x }\n",
    ));
    let tys: Vec<_> = s.events[0].fields.iter().map(|f| f.ty.clone().unwrap()).collect();
    assert_eq!(
        tys,
        [
            FieldType::List { items: Box::new(FieldType::String { max_length: None }) },
            FieldType::List { items: Box::new(FieldType::U16) },
            FieldType::List { items: Box::new(FieldType::List { items: Box::new(FieldType::Bool) }) },
        ]
    );
}

#[test]
fn never_collected_forms_accepted() {
    let s = load_ok(&head(
        "events: { e: { description: x } }\n\
         never_collected:\n\
         \x20 - Your files.\n\
         \x20 - { what: IP addresses, reason: The collector drops them. }\n\
         \x20 - { what: Environment variables }\n",
    ));
    let got: Vec<(&str, Option<&str>)> =
        s.never_collected.iter().map(|n| (n.what.as_str(), n.reason.as_deref())).collect();
    assert_eq!(
        got,
        [("Your files.", None), ("IP addresses", Some("The collector drops them.")), ("Environment variables", None)]
    );
}

#[test]
fn env_switch_forms_accepted() {
    use telemetry_schema::{SwitchAction, SwitchRule, Trigger};
    let s = load_ok(&head(
        "consent:\n\
         \x20 default: disabled\n\
         \x20 do_not_track: false\n\
         \x20 env:\n\
         \x20   - { name: DEMO_NO_TELEMETRY, disables_when: truthy }\n\
         \x20   - { name: DEMO_TELEMETRY, disables_when: falsy }\n\
         \x20   - { name: DEMO_OFF, disables_when: set }\n\
         \x20   - { name: DEMO_MODE, equals: local, action: log_only }\n\
         \x20   - { name: DEMO_MODE2, equals: \"1\" }\n\
         events: { e: { description: x } }\n",
    ));
    let rules: Vec<_> = s.consent.env.iter().map(|e| (e.name.as_str(), e.rule.clone())).collect();
    assert_eq!(
        rules,
        [
            ("DEMO_NO_TELEMETRY", SwitchRule::DisablesWhen(Trigger::Truthy)),
            ("DEMO_TELEMETRY", SwitchRule::DisablesWhen(Trigger::Falsy)),
            ("DEMO_OFF", SwitchRule::DisablesWhen(Trigger::Set)),
            ("DEMO_MODE", SwitchRule::Equals { value: "local".into(), action: SwitchAction::LogOnly }),
            ("DEMO_MODE2", SwitchRule::Equals { value: "1".into(), action: SwitchAction::Disable }),
        ]
    );
    assert!(!s.consent.do_not_track);
}

// ---------------------------------------------------------------------------
// The loader API: whole-file problems and what a diagnostic carries.

#[test]
fn missing_file_is_a_whole_file_error() {
    let err = load_path("does/not/exist.yaml".as_ref()).unwrap_err();
    assert_eq!(err.diagnostics().len(), 1);
    assert_eq!(err.diagnostics()[0].loc, None);
    assert_eq!(
        err.to_string(),
        "does/not/exist.yaml: error: cannot read schema file: No such file or directory (os error 2)\n  \
         help: check the path; a relative path is resolved from the file that names it"
    );
}

#[test]
fn file_over_one_mebibyte_is_refused() {
    let mut text = head("events: { e: { description: x } }\n");
    text.push_str(&"#".repeat(telemetry_schema::MAX_SCHEMA_BYTES));
    let err = load_bytes(text.as_bytes(), "demo.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "demo.yaml: error: schema file is {} bytes, more than the 1048576 byte limit\n  \
             help: a schema describes events, not data; split it or remove what does not belong",
            text.len()
        )
    );
}

#[test]
fn diagnostics_carry_file_location_message_and_help() {
    let err =
        load_str(&with_fields("a: { collect: hashd, type: string, description: x }\n"), "dir/demo.yaml").unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.file, std::path::Path::new("dir/demo.yaml"));
    assert_eq!(d.loc, Some(Loc::new(7, 21)));
    assert_eq!(d.message, "unknown `collect` value `hashd`");
    assert_eq!(d.help.as_deref(), Some("did you mean `hashed`?"));
    assert_eq!(d.location(), "dir/demo.yaml:7:21");
}
