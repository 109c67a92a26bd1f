//! The schema fingerprint: the same for every layout and wording of one
//! promise, different for every change of what is collected or when.

use telemetry_schema::{canonical_form, fingerprint, load_str};

const BASE: &str = r#"version: 1
schema_version: "1.0"
app: { name: demo, title: Demo, description: Helps us see which commands are used. }
consent:
  default: enabled
  env:
    - { name: DEMO_NO_TELEMETRY, disables_when: truthy }
context:
  fields:
    os: { collect: allowed, type: string, description: Operating system. }
events:
  ran:
    description: A command ran.
    expires: 2030-01-01
    fields:
      command: { collect: allowed, type: string, max_length: 32, description: The subcommand. }
      outcome: { collect: allowed, type: enum, values: [ok, failed], description: How it ended. }
      project: { collect: hashed, type: string, description: "The project name, hashed." }
      env:
        collect: allowed
        type: object
        required: false
        description: Where it ran.
        fields:
          shell: { collect: allowed, type: string, description: Shell name. }
          home: { collect: forbidden, reason: Paths name users. }
      user_email: { collect: forbidden, reason: Identifies a person. }
"#;

fn fp(text: &str) -> u128 {
    fingerprint(&load_str(text, "demo.yaml").unwrap_or_else(|e| panic!("{e}\n{text}")))
}

/// `BASE` with `from` replaced by `to` (which must occur exactly once).
fn edit(from: &str, to: &str) -> String {
    assert_eq!(BASE.matches(from).count(), 1, "{from}");
    BASE.replace(from, to)
}

#[test]
fn layout_comments_and_wording_keep_the_fingerprint() {
    let base = fp(BASE);
    let same = [
        ("comment", edit("events:\n", "# The events.\nevents:  # all of them\n")),
        ("blank lines and trailing spaces", edit("events:\n", "\n\nevents:   \n\n")),
        (
            "block style",
            edit(
                "      shell: { collect: allowed, type: string, description: Shell name. }\n",
                "      shell:\n            collect: allowed\n            type: string\n            description: Shell name.\n",
            ),
        ),
        (
            "quoting",
            edit("command: { collect: allowed, type: string,", "command: { collect: \"allowed\", type: 'string',"),
        ),
        ("description", edit("A command ran.", "A command finished running.")),
        ("reason", edit("Identifies a person.", "It is personal data.")),
        ("title", edit("title: Demo,", "title: Demo CLI,")),
        ("owner added", edit("title: Demo,", "title: Demo, owner: team@example.org,")),
    ];
    for (what, text) in same {
        assert_eq!(fp(&text), base, "{what} must not change the fingerprint:\n{text}");
    }
}

#[test]
fn every_collection_change_changes_the_fingerprint() {
    let base = fp(BASE);
    let changed = [
        ("app name", edit("name: demo,", "name: demo2,")),
        ("schema version", edit("\"1.0\"", "\"1.1\"")),
        ("consent default", edit("default: enabled", "default: disabled")),
        ("do_not_track", edit("  default: enabled\n", "  default: enabled\n  do_not_track: false\n")),
        ("switch trigger", edit("disables_when: truthy", "disables_when: set")),
        (
            "forbidden to allowed",
            edit(
                "user_email: { collect: forbidden, reason: Identifies a person. }",
                "user_email: { collect: allowed, type: string, description: Email., reviewed: Made allowed in a copy. }",
            ),
        ),
        ("hashed to allowed", edit("project: { collect: hashed,", "project: { collect: allowed,")),
        (
            "nested forbidden to allowed",
            edit(
                "home: { collect: forbidden, reason: Paths name users. }",
                "home: { collect: allowed, type: string, description: Home., reviewed: Made allowed in a copy. }",
            ),
        ),
        ("max_length raised", edit("max_length: 32", "max_length: 64")),
        ("max_length removed", edit(" max_length: 32,", "")),
        ("enum value added", edit("[ok, failed]", "[ok, failed, crashed]")),
        (
            "required to optional",
            edit(
                "shell: { collect: allowed, type: string,",
                "shell: { collect: allowed, type: string, required: false,",
            ),
        ),
        ("type changed", edit("shell: { collect: allowed, type: string,", "shell: { collect: allowed, type: bool,")),
        (
            "context key added",
            edit("    os: {", "    arch: { collect: allowed, type: string, description: CPU. }\n    os: {"),
        ),
        ("event added", format!("{BASE}  started: {{ description: A command started. }}\n")),
        ("expiry moved", edit("2030-01-01", "2031-01-01")),
        ("expiry removed", edit("    expires: 2030-01-01\n", "")),
    ];
    let mut seen = vec![base];
    for (what, text) in changed {
        let f = fp(&text);
        assert!(
            !seen.contains(&f),
            "{what} must change the fingerprint:\n{}",
            canonical_form(&load_str(&text, "d.yaml").unwrap())
        );
        seen.push(f);
    }
}

#[test]
fn canonical_form_of_the_base() {
    let s = load_str(BASE, "demo.yaml").unwrap();
    assert_eq!(
        canonical_form(&s),
        r#"app "demo"
anonymous_id_env -
schema_version 1.0
consent enabled do_not_track=true
switch "DEMO_NO_TELEMETRY" disables_when truthy
context
 field "os" allowed string required
event "ran" expires=2030-01-01
 field "command" allowed string max=32 required
 field "outcome" allowed enum ["ok", "failed"] required
 field "project" hashed string required
 field "env" allowed object optional
  field "shell" allowed string required
  field "home" forbidden
 field "user_email" forbidden
"#
    );
}
