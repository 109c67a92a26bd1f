//! One test per validation rule of the schema language: a minimal schema and
//! the exact rendered error (`file:line:col: error: message` and its
//! `help:` line), so a change to a message or a location is a visible diff.
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

/// The full rendered error; panics if the schema loads.
fn load_err(text: &str) -> String {
    match load_str(text, "demo.yaml") {
        Ok(s) => panic!("expected an error, loaded {} events", s.events.len()),
        Err(e) => e.to_string(),
    }
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

/// Every PII-looking name is accepted when `hashed`, when `allowed` with a
/// `reviewed` note, and when `forbidden`.
#[test]
fn pii_names_accepted_when_hashed_reviewed_or_forbidden() {
    for name in PII_NAMES {
        let s = load_ok(&with_fields(&format!(
            "{name}: {{ collect: hashed, type: string, description: x }}\n\
             {name}_2: {{ collect: allowed, type: string, description: x, reviewed: \"The name of a built-in profile, not a person's.\" }}\n\
             {name}_3: {{ collect: forbidden, reason: Personal information. }}\n"
        )));
        let got: Vec<(&str, Collect)> = s.events[0].fields.iter().map(|f| (f.name.as_str(), f.collect)).collect();
        let want = [
            (name.to_string(), Collect::Hashed),
            (format!("{name}_2"), Collect::Allowed),
            (format!("{name}_3"), Collect::Forbidden),
        ];
        assert_eq!(got, want.iter().map(|(n, c)| (n.as_str(), *c)).collect::<Vec<_>>(), "{name}");
        assert_eq!(s.events[0].fields[1].reviewed.as_deref(), Some("The name of a built-in profile, not a person's."));
    }
}

const PII_NAMES: [&str; 14] = [
    "email",
    "ip",
    "hostname",
    "username",
    "password",
    "token",
    "secret",
    "api_key",
    "phone",
    "path",
    "cwd",
    "home",
    "mac",
    "user_name",
];

/// Names that merely contain a PII token inside a word are not flagged.
#[test]
fn pii_tokens_match_whole_words_only() {
    let s = load_ok(&with_fields(
        "tokenizer: { collect: allowed, type: string, description: x }\n\
         zip_count: { collect: allowed, type: u64, description: x }\n\
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
// Whole-file and byte-level problems.

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
fn invalid_utf8_points_at_the_first_bad_byte() {
    let err = load_bytes(b"version: 1\napp: { name: d\xc3\xa9mo\xff }\n", "demo.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "demo.yaml:2:18: error: schema file is not valid UTF-8\n  help: save the file as UTF-8"
    );
}

#[test]
fn tab_after_spaces_points_at_the_tab() {
    assert_eq!(
        load_err("version: 1\napp:\n  \tname: demo\n"),
        "demo.yaml:3:3: error: tab used for indentation\n  help: YAML indents with spaces; replace the tab with spaces"
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

// ---------------------------------------------------------------------------
// One test per rule: the exact rendered error.

/// Unknown top-level key, with a suggestion.
#[test]
fn unknown_key_top_level() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo, description: Helps. }
evnts: {}
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:3:1: error: unknown key `evnts` in the schema
  help: did you mean `events`?"##
    );
}

/// No close candidate: the valid keys are listed.
#[test]
fn unknown_key_top_level_without_suggestion() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo, description: Helps. }
events: { e: { description: x } }
zzz: 1
"#
        ),
        r##"demo.yaml:4:1: error: unknown key `zzz` in the schema
  help: expected one of: `version`, `app`, `consent`, `context`, `events`, `never_collected`"##
    );
}

#[test]
fn unknown_key_in_app() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo, description: Helps., docs_ulr: "https://example.org" }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:2:54: error: unknown key `docs_ulr` in `app`
  help: did you mean `docs_url`?"##
    );
}

#[test]
fn unknown_key_in_consent() {
    assert_eq!(
        load_err(&head(
            r#"consent: { default: enabled, do_not_trak: false }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:3:30: error: unknown key `do_not_trak` in `consent`
  help: did you mean `do_not_track`?"##
    );
}

/// The misspelt key also leaves the switch without a rule.
#[test]
fn unknown_key_in_env_switch() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - { name: DEMO_NO_TELEMETRY, disable_when: truthy }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:7: error: this switch says neither `disables_when` nor `equals`
  help: add `disables_when: truthy` (or `falsy`, `set`), or `equals: VALUE` with `action: disable | enable | log_only`
demo.yaml:5:34: error: unknown key `disable_when` in an environment switch
  help: did you mean `disables_when`?"##
    );
}

#[test]
fn unknown_key_in_context() {
    assert_eq!(
        load_err(&head(
            r#"context: { feilds: {} }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:3:12: error: unknown key `feilds` in `context`
  help: did you mean `fields`?"##
    );
}

#[test]
fn unknown_key_in_event() {
    assert_eq!(
        load_err(&head(
            r#"events:
  e:
    descripton: x
"#
        )),
        r##"demo.yaml:5:5: error: unknown key `descripton` in event `e`
  help: did you mean `description`?
demo.yaml:5:5: error: event `e` is missing the required key `description`
  help: add `description: What happened and why it is collected.`"##
    );
}

#[test]
fn unknown_key_in_field() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, description: x, exmaple: y }
"#
        )),
        r##"demo.yaml:7:60: error: unknown key `exmaple` in field `a`
  help: did you mean `example`?"##
    );
}

#[test]
fn unknown_key_in_items() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: list, items: { type: string, max_lenght: 8 }, description: x }
"#
        )),
        r##"demo.yaml:7:65: error: unknown key `max_lenght` in the `items` of field `a`
  help: did you mean `max_length`?"##
    );
}

#[test]
fn unknown_key_in_nested_object_field() {
    assert_eq!(
        load_err(&with_fields(
            r#"a:
  collect: allowed
  type: object
  description: x
  fields:
    b: { collect: allowed, type: bool, descrption: x }
"#
        )),
        r##"demo.yaml:12:11: error: field `b` of field `a` of event `e` has no `description`
  help: add `description: ...`: every collected field is explained on the generated page
demo.yaml:12:46: error: unknown key `descrption` in field `b`
  help: did you mean `description`?"##
    );
}

#[test]
fn unknown_key_in_never_collected_entry() {
    assert_eq!(
        load_err(&head(
            r#"events: { e: { description: x } }
never_collected:
  - { what: Your files, reasn: Not needed. }
"#
        )),
        r##"demo.yaml:5:25: error: unknown key `reasn` in a `never_collected` entry
  help: did you mean `reason`?"##
    );
}

#[test]
fn unknown_type_with_suggestion() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: strng, description: x }
"#
        )),
        r##"demo.yaml:7:36: error: unknown type `strng` in field `a`
  help: did you mean `string`?"##
    );
}

#[test]
fn unknown_type_without_suggestion() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: timestamp, description: x }
"#
        )),
        r##"demo.yaml:7:36: error: unknown type `timestamp` in field `a`
  help: expected one of: `bool`, `u8`, `u16`, `u32`, `u64`, `i8`, `i16`, `i32`, `i64`, `f32`, `f64`, `string`, `enum`, `object`, `list`"##
    );
}

#[test]
fn unknown_item_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: list, items: { type: u46 }, description: x }
"#
        )),
        r##"demo.yaml:7:57: error: unknown type `u46` in field `a`
  help: expected one of: `bool`, `u8`, `u16`, `u32`, `u64`, `i8`, `i16`, `i32`, `i64`, `f32`, `f64`, `string`, `enum`, `object`, `list`"##
    );
}

#[test]
fn unknown_collect_value_with_suggestion() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: hashd, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:21: error: unknown `collect` value `hashd`
  help: did you mean `hashed`?"##
    );
}

#[test]
fn unknown_collect_value_without_suggestion() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: maybe, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:21: error: unknown `collect` value `maybe`
  help: expected one of: `allowed`, `hashed`, `forbidden`"##
    );
}

#[test]
fn missing_collect() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { type: string, description: x }
"#
        )),
        r##"demo.yaml:7:10: error: field `a` is missing the required key `collect`
  help: add `collect: allowed`"##
    );
}

#[test]
fn duplicate_event_names() {
    assert_eq!(
        load_err(&head(
            r#"events:
  e: { description: x }
  e: { description: y }
"#
        )),
        r##"demo.yaml:5:3: error: duplicate key `e` (first defined at line 4)
  help: each name may appear once in a mapping; remove or rename one of them"##
    );
}

#[test]
fn duplicate_field_names() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: bool, description: x }
a: { collect: allowed, type: u64, description: y }
"#
        )),
        r##"demo.yaml:8:7: error: duplicate key `a` (first defined at line 7)
  help: each name may appear once in a mapping; remove or rename one of them"##
    );
}

#[test]
fn duplicate_key_inside_field() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: bool, type: u8, description: x }
"#
        )),
        r##"demo.yaml:7:42: error: duplicate key `type` (first defined at line 7)
  help: each name may appear once in a mapping; remove or rename one of them"##
    );
}

#[test]
fn event_name_camel_case() {
    assert_eq!(
        load_err(&head(
            r#"events:
  CommandRun: { description: x }
"#
        )),
        r##"demo.yaml:4:3: error: event name `CommandRun` is not snake_case
  help: rename it `command_run`"##
    );
}

#[test]
fn event_name_kebab_case() {
    assert_eq!(
        load_err(&head(
            r#"events:
  command-run: { description: x }
"#
        )),
        r##"demo.yaml:4:3: error: event name `command-run` is not snake_case
  help: rename it `command_run`"##
    );
}

/// A non-ASCII name gets the rule, not a mangled suggestion.
#[test]
fn event_name_unicode() {
    assert_eq!(
        load_err(&head(
            r#"events:
  événement: { description: x }
"#
        )),
        r##"demo.yaml:4:3: error: event name `événement` is not snake_case
  help: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`); names become Rust identifiers and JSON keys"##
    );
}

#[test]
fn event_name_cjk() {
    assert_eq!(
        load_err(&head(
            r#"events:
  "名前": { description: x }
"#
        )),
        r##"demo.yaml:4:3: error: event name `名前` is not snake_case
  help: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`); names become Rust identifiers and JSON keys"##
    );
}

#[test]
fn field_name_camel_case() {
    assert_eq!(
        load_err(&with_fields(
            r#"userId: { collect: allowed, type: u64, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `userId` of event `e`: name is not snake_case
  help: rename it `user_id`"##
    );
}

#[test]
fn field_name_unicode() {
    assert_eq!(
        load_err(&with_fields(
            r#"café: { collect: allowed, type: bool, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `café` of event `e`: name is not snake_case
  help: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`); names become Rust identifiers and JSON keys"##
    );
}

#[test]
fn field_name_leading_digit() {
    assert_eq!(
        load_err(&with_fields(
            r#"1st_try: { collect: allowed, type: bool, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `1st_try` of event `e`: name is not snake_case
  help: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`); names become Rust identifiers and JSON keys"##
    );
}

#[test]
fn field_name_double_underscore_and_leading_underscore() {
    assert_eq!(
        load_err(&with_fields(
            r#"a__b: { collect: allowed, type: bool, description: x }
_c: { collect: allowed, type: bool, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a__b` of event `e`: name is not snake_case
  help: rename it `a_b`
demo.yaml:8:7: error: field `_c` of event `e`: name is not snake_case
  help: rename it `c`"##
    );
}

#[test]
fn empty_event_name() {
    assert_eq!(
        load_err(&head(
            r#"events:
  "": { description: x }
"#
        )),
        r##"demo.yaml:4:3: error: an event name is empty
  help: give it a name: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`)"##
    );
}

#[test]
fn empty_field_name() {
    assert_eq!(
        load_err(&with_fields(
            r#""": { collect: allowed, type: bool, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: a field name of event `e` is empty
  help: give it a name: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`)"##
    );
}

#[test]
fn context_field_name_not_snake_case() {
    assert_eq!(
        load_err(&head(
            r#"context:
  fields:
    OsName: { collect: allowed, type: string, description: x }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:5: error: field `OsName` of the context: name is not snake_case
  help: rename it `os_name`"##
    );
}

#[test]
fn empty_event_when() {
    assert_eq!(
        load_err(&head(
            r#"events:
  e: { description: x, when: "" }
"#
        )),
        r##"demo.yaml:4:30: error: `when` of event `e` is empty
  help: say it in a sentence: it is published on the generated page"##
    );
}

#[test]
fn hashed_bool_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: hashed, type: bool, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is `hashed` but has type `bool`
  help: only `string` (or a list of string) can be hashed: a hash of a bool or a number is reversed by trying every value; collect it as `allowed`, or not at all"##
    );
}

#[test]
fn hashed_u64_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: hashed, type: u64, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is `hashed` but has type `u64`
  help: only `string` (or a list of string) can be hashed: a hash of a bool or a number is reversed by trying every value; collect it as `allowed`, or not at all"##
    );
}

#[test]
fn hashed_f64_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: hashed, type: f64, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is `hashed` but has type `f64`
  help: only `string` (or a list of string) can be hashed: a hash of a bool or a number is reversed by trying every value; collect it as `allowed`, or not at all"##
    );
}

#[test]
fn hashed_enum_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: hashed, type: enum, values: [x, y], description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is `hashed` but has type `enum`
  help: only `string` (or a list of string) can be hashed: a hash of a bool or a number is reversed by trying every value; collect it as `allowed`, or not at all"##
    );
}

#[test]
fn hashed_object_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: hashed, type: object, fields: { b: { collect: allowed, type: bool, description: x } }, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is `hashed` but has type `object`
  help: only `string` (or a list of string) can be hashed: a hash of a bool or a number is reversed by trying every value; collect it as `allowed`, or not at all"##
    );
}

#[test]
fn hashed_list_of_u64_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: hashed, type: list, items: u64, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is `hashed` but has type `list of u64`
  help: only `string` (or a list of string) can be hashed: a hash of a bool or a number is reversed by trying every value; collect it as `allowed`, or not at all"##
    );
}

#[test]
fn forbidden_without_reason() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: forbidden }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is forbidden but gives no `reason`
  help: add `reason: ...` saying why it must never be collected; it is published on the generated page"##
    );
}

#[test]
fn forbidden_with_empty_reason() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: forbidden, reason: "" }
"#
        )),
        r##"demo.yaml:7:40: error: `reason` of field `a` is empty
  help: say it in a sentence: it is published on the generated page"##
    );
}

#[test]
fn forbidden_with_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: forbidden, reason: Personal., type: string }
"#
        )),
        r##"demo.yaml:7:51: error: field `a` is forbidden but declares `type`
  help: a forbidden field is never sent, so it has no type: remove `type`"##
    );
}

#[test]
fn forbidden_with_enum_type_is_not_asked_for_values() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: forbidden, reason: Personal., type: enum }
"#
        )),
        r##"demo.yaml:7:51: error: field `a` is forbidden but declares `type`
  help: a forbidden field is never sent, so it has no type: remove `type`"##
    );
}

#[test]
fn forbidden_with_values_or_max_length_but_no_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: forbidden, reason: Personal., values: [x] }
b: { collect: forbidden, reason: Personal., max_length: 3 }
"#
        )),
        r##"demo.yaml:7:51: error: field `a` is forbidden but declares `values`
  help: a forbidden field is never sent, so it has no type: remove `values`
demo.yaml:8:51: error: field `b` is forbidden but declares `max_length`
  help: a forbidden field is never sent, so it has no type: remove `max_length`"##
    );
}

#[test]
fn forbidden_with_example() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: forbidden, reason: Personal., example: jane@example.org }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is forbidden but has an `example`
  help: remove `example`: a forbidden value must not appear on the page"##
    );
}

#[test]
fn forbidden_with_required_false() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: forbidden, reason: Personal., required: false }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is forbidden but says `required: false`
  help: remove `required`: a forbidden field is never sent, optionally or not"##
    );
}

#[test]
fn collected_without_description() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` has no `description`
  help: add `description: ...`: every collected field is explained on the generated page"##
    );
}

#[test]
fn collected_without_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: hashed, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` has no `type`
  help: add `type: string` (or bool, u64, enum, object, list, ...)"##
    );
}

#[test]
fn collected_without_description_or_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` has no `description`
  help: add `description: ...`: every collected field is explained on the generated page
demo.yaml:7:7: error: field `a` of event `e` has no `type`
  help: add `type: string` (or bool, u64, enum, object, list, ...)"##
    );
}

#[test]
fn empty_description() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, description: "  " }
"#
        )),
        r##"demo.yaml:7:57: error: `description` of field `a` is empty
  help: say it in a sentence: it is published on the generated page"##
    );
}

#[test]
fn null_description() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, description: }
"#
        )),
        r##"demo.yaml:7:55: error: `description` of field `a` must be a string, found nothing (null)
  help: write the text after the colon, quoted if it contains `: ` or `#`"##
    );
}

#[test]
fn collected_with_reason() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, description: x, reason: y }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` is collected but has a `reason`
  help: `reason` explains forbidden fields; use `description` for collected ones"##
    );
}

#[test]
fn empty_event_description() {
    assert_eq!(
        load_err(&head(
            r#"events:
  e: { description: "" }
"#
        )),
        r##"demo.yaml:4:21: error: `description` of event `e` is empty
  help: say it in a sentence: it is published on the generated page"##
    );
}

#[test]
fn event_without_description() {
    assert_eq!(
        load_err(&head(
            r#"events:
  e: { fields: {} }
"#
        )),
        r##"demo.yaml:4:6: error: event `e` is missing the required key `description`
  help: add `description: What happened and why it is collected.`"##
    );
}

#[test]
fn required_not_a_bool() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, description: x, required: "no" }
"#
        )),
        r##"demo.yaml:7:70: error: `required` must be `true` or `false`
  help: write `true` or `false`, unquoted"##
    );
}

#[test]
fn enum_without_values() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: enum, description: x }
"#
        )),
        r##"demo.yaml:7:36: error: `type: enum` in field `a` needs `values`
  help: add `values: [first, second]`"##
    );
}

#[test]
fn enum_with_empty_values() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: enum, values: [], description: x }
"#
        )),
        r##"demo.yaml:7:50: error: `values` is empty
  help: list at least one value"##
    );
}

#[test]
fn enum_values_not_a_list() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: enum, values: x, description: x }
"#
        )),
        r##"demo.yaml:7:50: error: `values` must be a list, found a scalar
  help: write `values: [first, second]`"##
    );
}

#[test]
fn enum_with_duplicate_values() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: enum, values: [x, y, x], description: x }
"#
        )),
        r##"demo.yaml:7:57: error: duplicate enum value `x`
  help: list each value once"##
    );
}

#[test]
fn enum_with_non_snake_values() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: enum, values: [Ok, not-ok, 1st, "", ünï], description: x }
"#
        )),
        r##"demo.yaml:7:51: error: enum value `Ok` is not snake_case
  help: rename it `ok`
demo.yaml:7:55: error: enum value `not-ok` is not snake_case
  help: rename it `not_ok`
demo.yaml:7:63: error: enum value `1st` is not snake_case
  help: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`); names become Rust identifiers and JSON keys
demo.yaml:7:68: error: an enum value is empty
  help: write a snake_case value such as `success`, or remove it
demo.yaml:7:72: error: enum value `ünï` is not snake_case
  help: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`); names become Rust identifiers and JSON keys"##
    );
}

#[test]
fn values_without_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, values: [x], description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` has no `type`
  help: add `type: string` (or bool, u64, enum, object, list, ...)
demo.yaml:7:30: error: `values` without `type` in field `a`
  help: add the `type:` this key belongs to"##
    );
}

#[test]
fn values_on_string() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, values: [x], description: x }
"#
        )),
        r##"demo.yaml:7:44: error: `values` does not apply to `type: string` in field `a`
  help: remove `values`, or change the type"##
    );
}

#[test]
fn object_without_fields() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: object, description: x }
"#
        )),
        r##"demo.yaml:7:36: error: `type: object` in field `a` needs `fields`
  help: add `fields:` with the nested fields"##
    );
}

#[test]
fn object_fields_not_a_mapping() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: object, fields: [b], description: x }
"#
        )),
        r##"demo.yaml:7:52: error: the fields of field `a` must be a mapping of field names, found a list
  help: write one `field_name: { collect: allowed, type: string, description: ... }` per field"##
    );
}

#[test]
fn list_without_items() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: list, description: x }
"#
        )),
        r##"demo.yaml:7:36: error: `type: list` in field `a` needs `items`
  help: add `items: { type: string }` (or another type)"##
    );
}

#[test]
fn list_items_without_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: list, items: { max_length: 3 }, description: x }
"#
        )),
        r##"demo.yaml:7:49: error: the `items` of field `a` need a `type`
  help: add `type: string` (or another type)"##
    );
}

#[test]
fn list_items_shorthand_needs_more_for_enum() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: list, items: enum, description: x }
"#
        )),
        r##"demo.yaml:7:49: error: `items: enum` needs more than a type name
  help: write `items: { type: enum, ... }`"##
    );
}

#[test]
fn list_items_shorthand_unknown_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: list, items: strings, description: x }
"#
        )),
        r##"demo.yaml:7:49: error: unknown type `strings` in field `a`
  help: did you mean `string`?"##
    );
}

#[test]
fn items_on_string() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, items: string, description: x }
"#
        )),
        r##"demo.yaml:7:44: error: `items` does not apply to `type: string` in field `a`
  help: remove `items`, or change the type"##
    );
}

#[test]
fn objects_nested_too_deep() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: object, description: x, fields: { b: { collect: allowed, type: object, description: x, fields: { c: { collect: allowed, type: object, description: x, fields: { d: { collect: allowed, type: object, description: x, fields: { e: { collect: allowed, type: object, description: x, fields: { f: { collect: allowed, type: object, description: x, fields: { g: { collect: allowed, type: object, description: x, fields: { h: { collect: allowed, type: object, description: x, fields: { i: { collect: allowed, type: object, description: x, fields: { j: { collect: allowed, type: bool, description: x } } } } } } } } } } } } } } } } } } }
"#
        )),
        r##"demo.yaml:7:572: error: objects are nested more than 8 levels deep
  help: flatten the structure"##
    );
}

#[test]
fn max_length_on_u64() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: u64, max_length: 3, description: x }
"#
        )),
        r##"demo.yaml:7:41: error: `max_length` does not apply to `type: u64` in field `a`
  help: remove `max_length`, or change the type"##
    );
}

#[test]
fn max_length_on_list() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: list, items: string, max_length: 3, description: x }
"#
        )),
        r##"demo.yaml:7:57: error: `max_length` does not apply to `type: list` in field `a`
  help: remove `max_length`, or change the type"##
    );
}

#[test]
fn max_length_on_enum() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: enum, values: [x], max_length: 3, description: x }
"#
        )),
        r##"demo.yaml:7:55: error: `max_length` does not apply to `type: enum` in field `a`
  help: remove `max_length`, or change the type"##
    );
}

#[test]
fn max_length_zero() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, max_length: 0, description: x }
"#
        )),
        r##"demo.yaml:7:56: error: `max_length` must be a whole number from 1 to 4294967295
  help: write e.g. `max_length: 64`"##
    );
}

#[test]
fn max_length_negative() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, max_length: -1, description: x }
"#
        )),
        r##"demo.yaml:7:56: error: `max_length` must be a whole number from 1 to 4294967295
  help: write e.g. `max_length: 64`"##
    );
}

#[test]
fn max_length_not_a_number() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, max_length: ten, description: x }
"#
        )),
        r##"demo.yaml:7:56: error: `max_length` must be a whole number from 1 to 4294967295
  help: write e.g. `max_length: 64`"##
    );
}

#[test]
fn max_length_too_large() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, type: string, max_length: 99999999999, description: x }
"#
        )),
        r##"demo.yaml:7:56: error: `max_length` must be a whole number from 1 to 4294967295
  help: write e.g. `max_length: 64`"##
    );
}

#[test]
fn max_length_without_type() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: { collect: allowed, max_length: 3, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `a` of event `e` has no `type`
  help: add `type: string` (or bool, u64, enum, object, list, ...)
demo.yaml:7:30: error: `max_length` without `type` in field `a`
  help: add the `type:` this key belongs to"##
    );
}

#[test]
fn version_2() {
    assert_eq!(
        load_err(
            r#"version: 2
app: { name: demo, title: Demo, description: Helps. }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:1:10: error: unsupported schema version `2`
  help: this toolkit reads `version: 1`"##
    );
}

#[test]
fn version_quoted() {
    assert_eq!(
        load_err(
            r#"version: "1"
app: { name: demo, title: Demo, description: Helps. }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:1:10: error: the schema version must be a whole number, found the quoted string `1`
  help: write `version: 1`, unquoted"##
    );
}

#[test]
fn version_float() {
    assert_eq!(
        load_err(
            r#"version: 1.0
app: { name: demo, title: Demo, description: Helps. }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:1:10: error: the schema version must be a whole number, found `1.0`
  help: write `version: 1`, unquoted"##
    );
}

#[test]
fn version_missing() {
    assert_eq!(
        load_err(
            r#"app: { name: demo, title: Demo, description: Helps. }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:1:1: error: the schema is missing the required key `version`
  help: add `version: 1`"##
    );
}

#[test]
fn app_and_events_missing() {
    assert_eq!(
        load_err(
            r#"version: 1
"#
        ),
        r##"demo.yaml:1:1: error: the schema is missing the required key `app`
  help: add `app: { name: my-app, title: My App, description: ... }`
demo.yaml:1:1: error: the schema is missing the required key `events`
  help: add `events: { my_event: { description: ..., fields: {...} } }`"##
    );
}

#[test]
fn events_empty() {
    assert_eq!(
        load_err(&head(
            r#"events: {}
"#
        )),
        r##"demo.yaml:3:9: error: `events` declares no events
  help: declare at least one event"##
    );
}

#[test]
fn events_a_list() {
    assert_eq!(
        load_err(&head(
            r#"events: [e]
"#
        )),
        r##"demo.yaml:3:9: error: `events` must be a mapping of event names, found a list
  help: write `events:` then one `event_name:` per event, indented"##
    );
}

#[test]
fn event_not_a_mapping() {
    assert_eq!(
        load_err(&head(
            r#"events:
  e: A command ran.
"#
        )),
        r##"demo.yaml:4:6: error: event `e` must be a mapping, found a scalar
  help: write it as `key: value` lines; expected keys: description, when, fields"##
    );
}

#[test]
fn fields_not_a_mapping() {
    assert_eq!(
        load_err(&head(
            r#"events:
  e: { description: x, fields: [a, b] }
"#
        )),
        r##"demo.yaml:4:32: error: the fields of event `e` must be a mapping of field names, found a list
  help: write one `field_name: { collect: allowed, type: string, description: ... }` per field"##
    );
}

#[test]
fn field_not_a_mapping() {
    assert_eq!(
        load_err(&with_fields(
            r#"a: allowed
"#
        )),
        r##"demo.yaml:7:10: error: field `a` must be a mapping, found a scalar
  help: write it as `key: value` lines; expected keys: collect, type, description, reason, reviewed, required, max_length, example, values, fields, items"##
    );
}

#[test]
fn schema_not_a_mapping() {
    assert_eq!(
        load_err(
            r#"- version: 1
"#
        ),
        r##"demo.yaml:1:1: error: the schema must be a mapping, found a list
  help: write it as `key: value` lines; expected keys: version, app, consent, context, events, never_collected"##
    );
}

#[test]
fn app_name_uppercase() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: Demo, title: Demo, description: Helps. }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:2:14: error: `app.name` `Demo` is not a valid identifier
  help: use lowercase letters, digits, `-` and `_`, starting with a letter (e.g. `my-app`)"##
    );
}

#[test]
fn app_name_with_space_and_leading_digit() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: 9 lives, title: Demo, description: Helps. }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:2:14: error: `app.name` `9 lives` is not a valid identifier
  help: use lowercase letters, digits, `-` and `_`, starting with a letter (e.g. `my-app`)"##
    );
}

#[test]
fn app_missing_keys() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:2:6: error: `app` is missing the required key `title`
  help: add `title: My App`
demo.yaml:2:6: error: `app` is missing the required key `description`
  help: add `description: Why we collect and how it helps.`"##
    );
}

#[test]
fn app_empty_title() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: "", description: Helps. }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:2:27: error: `app.title` is empty
  help: say it in a sentence: it is published on the generated page"##
    );
}

#[test]
fn app_not_a_mapping() {
    assert_eq!(
        load_err(
            r#"version: 1
app: demo
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:2:6: error: `app` must be a mapping, found a scalar
  help: write it as `key: value` lines; expected keys: name, title, description, docs_url, privacy_url, anonymous_id_env"##
    );
}

#[test]
fn docs_url_without_scheme() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo, description: Helps., docs_url: example.org/telemetry }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:2:64: error: `app.docs_url` must be an http(s) URL, found `example.org/telemetry`
  help: write the full address, e.g. `https://example.org/telemetry`"##
    );
}

#[test]
fn privacy_url_not_http() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo, description: Helps., privacy_url: "ftp://example.org/privacy" }
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:2:67: error: `app.privacy_url` must be an http(s) URL, found `ftp://example.org/privacy`
  help: write the full address, e.g. `https://example.org/telemetry`"##
    );
}

#[test]
fn consent_default_typo() {
    assert_eq!(
        load_err(&head(
            r#"consent: { default: enable }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:3:21: error: unknown `consent.default` value `enable`
  help: did you mean `enabled`?"##
    );
}

#[test]
fn consent_default_unknown() {
    assert_eq!(
        load_err(&head(
            r#"consent: { default: opt_in }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:3:21: error: unknown `consent.default` value `opt_in`
  help: expected one of: `enabled`, `disabled`"##
    );
}

#[test]
fn do_not_track_not_a_bool() {
    assert_eq!(
        load_err(&head(
            r#"consent: { do_not_track: "off" }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:3:26: error: `consent.do_not_track` must be `true` or `false`
  help: write `true` or `false`, unquoted"##
    );
}

#[test]
fn consent_env_not_a_list() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env: { name: DEMO_NO_TELEMETRY, disables_when: set }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:4:8: error: `consent.env` must be a list, found a mapping
  help: write one `- { name: VAR, disables_when: truthy }` per variable"##
    );
}

#[test]
fn env_switch_with_neither_rule() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - { name: DEMO_NO_TELEMETRY }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:7: error: this switch says neither `disables_when` nor `equals`
  help: add `disables_when: truthy` (or `falsy`, `set`), or `equals: VALUE` with `action: disable | enable | log_only`"##
    );
}

#[test]
fn env_switch_with_both_rules() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - { name: DEMO_NO_TELEMETRY, disables_when: truthy, equals: "1" }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:57: error: a switch has either `disables_when` or `equals`, not both
  help: split it into two switches"##
    );
}

#[test]
fn env_switch_action_with_disables_when() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - { name: DEMO_NO_TELEMETRY, disables_when: truthy, action: enable }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:57: error: `action` goes with `equals`, not with `disables_when`
  help: remove `action`; `disables_when` always disables"##
    );
}

#[test]
fn env_switch_bad_variable_names() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - { name: demo_off, disables_when: set }
    - { name: 1DEMO, disables_when: set }
    - { name: "", disables_when: set }
    - { name: DEMO-OFF, disables_when: set }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:15: error: `demo_off` is not an environment variable name
  help: use uppercase letters, digits and `_`, e.g. `MY_APP_DISABLE_TELEMETRY`
demo.yaml:6:15: error: `1DEMO` is not an environment variable name
  help: use uppercase letters, digits and `_`, e.g. `MY_APP_DISABLE_TELEMETRY`
demo.yaml:7:15: error: `` is not an environment variable name
  help: use uppercase letters, digits and `_`, e.g. `MY_APP_DISABLE_TELEMETRY`
demo.yaml:8:15: error: `DEMO-OFF` is not an environment variable name
  help: use uppercase letters, digits and `_`, e.g. `MY_APP_DISABLE_TELEMETRY`"##
    );
}

#[test]
fn env_switch_missing_name() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - { disables_when: set }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:7: error: an environment switch is missing the required key `name`
  help: add `name: MY_APP_DISABLE_TELEMETRY`"##
    );
}

#[test]
fn env_switch_unknown_trigger() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - { name: DEMO_NO_TELEMETRY, disables_when: truthyy }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:49: error: unknown `disables_when` value `truthyy`
  help: did you mean `truthy`?"##
    );
}

#[test]
fn env_switch_unknown_action() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - { name: DEMO_TELEMETRY, equals: local, action: log-only }
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:54: error: unknown `action` value `log-only`
  help: did you mean `log_only`?"##
    );
}

#[test]
fn env_switch_not_a_mapping() {
    assert_eq!(
        load_err(&head(
            r#"consent:
  env:
    - DEMO_NO_TELEMETRY
events: { e: { description: x } }
"#
        )),
        r##"demo.yaml:5:7: error: an environment switch must be a mapping, found a scalar
  help: write it as `key: value` lines; expected keys: name, disables_when, equals, action"##
    );
}

#[test]
fn never_collected_not_a_list() {
    assert_eq!(
        load_err(&head(
            r#"events: { e: { description: x } }
never_collected: Your files.
"#
        )),
        r##"demo.yaml:4:18: error: `never_collected` must be a list, found a scalar
  help: write one `- statement` per line"##
    );
}

#[test]
fn never_collected_bad_entries_all_reported() {
    assert_eq!(
        load_err(&head(
            r#"events: { e: { description: x } }
never_collected:
  - { reason: r }
  - ""
  - [a]
  - { what: "" }
"#
        )),
        r##"demo.yaml:5:5: error: a `never_collected` entry is missing the required key `what`
  help: add `what: Your data records.`
demo.yaml:6:5: error: a `never_collected` entry is empty
  help: say it in a sentence: it is published on the generated page
demo.yaml:7:5: error: a `never_collected` entry must be a mapping, found a list
  help: write it as `key: value` lines; expected keys: what, reason
demo.yaml:8:13: error: `what` is empty
  help: say it in a sentence: it is published on the generated page"##
    );
}

/// Problems found by the parser and by the privacy rules, and ones found late (a missing `events`, reported at 1:1), come out in file order.
#[test]
fn several_errors_sorted_by_position() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo, description: Helps. }
consent: { default: enabeld }
context:
  fields:
    ip: { collect: allowed, type: string, description: x }
never_collected: [Your files.]
"#
        ),
        r##"demo.yaml:1:1: error: the schema is missing the required key `events`
  help: add `events: { my_event: { description: ..., fields: {...} } }`
demo.yaml:3:21: error: unknown `consent.default` value `enabeld`
  help: did you mean `enabled`?
demo.yaml:6:5: error: field `ip` of the context looks like personal data (`ip`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn several_errors_parser_and_rules() {
    assert_eq!(
        load_err(&with_fields(
            r#"userEmail: { collect: allowed, type: string, description: x }
b: { collect: hashed, type: bool, description: x }
c: { collect: forbidden, type: string }
d: { collect: allowed, type: u8, description: x, colect: allowed }
"#
        )),
        r##"demo.yaml:7:7: error: field `userEmail` of event `e`: name is not snake_case
  help: rename it `user_email`
demo.yaml:8:7: error: field `b` of event `e` is `hashed` but has type `bool`
  help: only `string` (or a list of string) can be hashed: a hash of a bool or a number is reversed by trying every value; collect it as `allowed`, or not at all
demo.yaml:9:7: error: field `c` of event `e` is forbidden but gives no `reason`
  help: add `reason: ...` saying why it must never be collected; it is published on the generated page
demo.yaml:9:32: error: field `c` is forbidden but declares `type`
  help: a forbidden field is never sent, so it has no type: remove `type`
demo.yaml:10:56: error: unknown key `colect` in field `d`
  help: did you mean `collect`?"##
    );
}

#[test]
fn pii_name_in_context_and_nested_object() {
    assert_eq!(
        load_err(&head(
            r#"context:
  fields:
    hostname: { collect: allowed, type: string, description: x }
events:
  e:
    description: x
    fields:
      settings:
        collect: allowed
        type: object
        description: x
        fields:
          proxy_password: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:5:5: error: field `hostname` of the context looks like personal data (`hostname`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`
demo.yaml:15:11: error: field `proxy_password` of field `settings` of event `e` looks like personal data (`password`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

/// The event with the bad type is skipped; the other event's fields are still checked.
#[test]
fn privacy_rules_still_run_when_an_event_fails() {
    assert_eq!(
        load_err(&head(
            r#"events:
  a:
    description: x
    fields:
      n: { collect: allowed, type: integer, description: x }
  b:
    description: x
    fields:
      email: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:36: error: unknown type `integer` in field `n`
  help: expected one of: `bool`, `u8`, `u16`, `u32`, `u64`, `i8`, `i16`, `i32`, `i64`, `f32`, `f64`, `string`, `enum`, `object`, `list`
demo.yaml:11:7: error: field `email` of event `b` looks like personal data (`email`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn yaml_anchor_and_alias_refused() {
    assert_eq!(
        load_err(
            r#"version: 1
app: &a { name: demo, title: Demo, description: Helps. }
events: { e: { description: x } }
context: *a
"#
        ),
        r##"demo.yaml:2:6: error: YAML anchors and aliases (`&name`, `*name`) are not supported in schema files
  help: write the value out in full; each field should be readable where it stands
demo.yaml:4:10: error: YAML anchors and aliases (`&name`, `*name`) are not supported in schema files
  help: write the value out in full; each field should be readable where it stands"##
    );
}

#[test]
fn yaml_syntax_error() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo
events: { e: { description: x } }
"#
        ),
        r##"demo.yaml:3:7: error: YAML syntax error: while parsing a flow mapping, did not find expected ',' or '}'
  help: fix the YAML syntax here (indent with spaces, not tabs; quote values that contain `: ` or start with a special character)"##
    );
}

#[test]
fn yaml_second_document() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo, description: Helps. }
events: { e: { description: x } }
---
version: 1
"#
        ),
        r##"demo.yaml:4:1: error: a schema file holds one YAML document, this is a second one
  help: remove the `---` separator, or move the second document to its own file"##
    );
}

#[test]
fn yaml_non_scalar_key() {
    assert_eq!(
        load_err(
            r#"version: 1
app: { name: demo, title: Demo, description: Helps. }
events: { e: { description: x } }
[a]: 1
"#
        ),
        r##"demo.yaml:4:1: error: mapping keys must be plain names
  help: use a name such as `description:` as the key"##
    );
}

#[test]
fn tab_indentation() {
    assert_eq!(
        load_err("version: 1\napp:\n\tname: demo\n"),
        r##"demo.yaml:3:1: error: tab used for indentation
  help: YAML indents with spaces; replace the tab with spaces"##
    );
}

#[test]
fn empty_file() {
    assert_eq!(
        load_err(""),
        r##"demo.yaml:1:1: error: the schema file is empty
  help: start with `version: 1`, then `app:` and `events:`"##
    );
}

#[test]
fn comment_only_file() {
    assert_eq!(
        load_err(
            r#"# nothing here yet
"#
        ),
        r##"demo.yaml:1:1: error: the schema file is empty
  help: start with `version: 1`, then `app:` and `events:`"##
    );
}

#[test]
fn pii_name_email_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"email: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `email` of event `e` looks like personal data (`email`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_ip_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"ip: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `ip` of event `e` looks like personal data (`ip`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_hostname_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"hostname: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `hostname` of event `e` looks like personal data (`hostname`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_username_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"username: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `username` of event `e` looks like personal data (`username`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_password_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"password: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `password` of event `e` looks like personal data (`password`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_token_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"token: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `token` of event `e` looks like personal data (`token`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_secret_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"secret: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `secret` of event `e` looks like personal data (`secret`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_api_key_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"api_key: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `api_key` of event `e` looks like personal data (`api_key`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_phone_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"phone: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `phone` of event `e` looks like personal data (`phone`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_path_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"path: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `path` of event `e` looks like personal data (`path`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_cwd_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"cwd: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `cwd` of event `e` looks like personal data (`cwd`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_home_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"home: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `home` of event `e` looks like personal data (`home`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_mac_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"mac: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `mac` of event `e` looks like personal data (`mac`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_user_name_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"user_name: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `user_name` of event `e` looks like personal data (`user_name`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_user_email_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"user_email: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `user_email` of event `e` looks like personal data (`email`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_client_ip_address_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"client_ip_address: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `client_ip_address` of event `e` looks like personal data (`ip`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_passwd_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"passwd: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `passwd` of event `e` looks like personal data (`passwd`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

#[test]
fn pii_name_full_name_allowed_without_review_rejected() {
    assert_eq!(
        load_err(&with_fields(
            r#"full_name: { collect: allowed, type: string, description: x }
"#
        )),
        r##"demo.yaml:7:7: error: field `full_name` of event `e` looks like personal data (`full_name`) but is collected as `allowed`
  help: collect it as `hashed` or `forbidden`, or add `reviewed: "why this is not personal data"`"##
    );
}

// ---------------------------------------------------------------------------
// Regressions found by the property tests and the corpus.

/// saphyr reports an error at the end of a file without a final newline on
/// the line after the last one; the location is clamped to the end.
#[test]
fn syntax_error_at_end_of_file_without_final_newline_stays_in_the_file() {
    assert_eq!(
        load_err("version: 1\napp: { name: demo"),
        "demo.yaml:2:18: error: YAML syntax error: while parsing a flow mapping, did not find expected ',' or '}'\n  \
         help: fix the YAML syntax here (indent with spaces, not tabs; quote values that contain `: ` or start with a special character)"
    );
}

/// A lone `\r` ends a line in YAML; the loader's own positions agree.
#[test]
fn lone_carriage_return_ends_a_line() {
    assert_eq!(
        load_err("version: 1\r\tapp: x\n"),
        "demo.yaml:2:1: error: tab used for indentation\n  help: YAML indents with spaces; replace the tab with spaces"
    );
    assert_eq!(
        load_bytes(b"a\rb\xff", "demo.yaml").unwrap_err().to_string(),
        "demo.yaml:2:2: error: schema file is not valid UTF-8\n  help: save the file as UTF-8"
    );
}

#[test]
fn yaml_tags_refused() {
    assert_eq!(
        load_err(&head("events: !events { e: { description: x } }\n")),
        "demo.yaml:3:9: error: YAML tags (`!!str`, `!name`) are not supported in schema files\n  \
         help: remove the tag; quote a value to make it a string"
    );
}

/// Names are quoted from the file; control and invisible characters are
/// escaped so the message neither rewrites the terminal nor hides them.
#[test]
fn hidden_characters_in_names_are_escaped() {
    assert_eq!(
        load_err(&with_fields("\"a\\u200bb\\e[2J\": { collect: allowed, type: bool, description: x }\n")),
        "demo.yaml:7:7: error: field `a\\u{200b}b\\u{1b}[2J` of event `e`: name is not snake_case\n  \
         help: use lowercase ASCII letters, digits and `_`, starting with a letter (e.g. `command_run`); names become Rust identifiers and JSON keys"
    );
}
