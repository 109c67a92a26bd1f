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
    // (what, text in `BASE`, replacement)
    let same = [
        ("comment", "events:\n", "# The events.\nevents:  # all of them\n"),
        ("blank lines and trailing spaces", "events:\n", "\n\nevents:   \n\n"),
        (
            "block style",
            "      shell: { collect: allowed, type: string, description: Shell name. }\n",
            "      shell:\n            collect: allowed\n            type: string\n            description: Shell name.\n",
        ),
        ("quoting", "command: { collect: allowed, type: string,", "command: { collect: \"allowed\", type: 'string',"),
        ("description", "A command ran.", "A command finished running."),
        ("reason", "Identifies a person.", "It is personal data."),
        ("title", "title: Demo,", "title: Demo CLI,"),
        ("owner added", "title: Demo,", "title: Demo, owner: team@example.org,"),
        ("the default identity written out", "are used. }", "are used., identity: install }"),
        (
            "the default hash scope written out",
            "project: { collect: hashed,",
            "project: { collect: hashed, hash: install,",
        ),
    ];
    for (what, from, to) in same {
        let text = edit(from, to);
        assert_eq!(fp(&text), base, "{what} must not change the fingerprint:\n{text}");
    }
}

#[test]
fn every_collection_change_changes_the_fingerprint() {
    const EMAIL: &str = "user_email: { collect: forbidden, reason: Identifies a person. }";
    const SHELL: &str = "shell: { collect: allowed, type: string,";
    // `EMAIL` is on the last line of `BASE`: a new event goes after it.
    let (last_line, event_added) =
        (format!("{EMAIL}\n"), format!("{EMAIL}\n  started: {{ description: A command started. }}\n"));
    let switch_added = format!("{SWITCH}{FORCE}");
    let base = fp(BASE);
    // (what, text in `BASE`, replacement)
    let changed = [
        ("app name", "name: demo,", "name: demo2,"),
        ("identity run", "are used. }", "are used., identity: run }"),
        ("identity none", "are used. }", "are used., identity: none }"),
        ("hash scope", "project: { collect: hashed,", "project: { collect: hashed, hash: product,"),
        ("schema version", "\"1.0\"", "\"1.1\""),
        ("consent default", "default: enabled", "default: disabled"),
        ("do_not_track", "  default: enabled\n", "  default: enabled\n  do_not_track: false\n"),
        ("switch trigger", "disables_when: truthy", "disables_when: set"),
        ("switch added", SWITCH, &switch_added),
        ("first run", "  default: enabled\n", "  default: enabled\n  first_run: notice_first\n"),
        (
            "opt-out command added",
            "  default: enabled\n",
            "  default: enabled\n  opt_out_command: demo telemetry disable\n",
        ),
        ("anonymous id variable", "title: Demo,", "title: Demo, anonymous_id_env: DEMO_ID,"),
        (
            "forbidden to allowed",
            EMAIL,
            "user_email: { collect: allowed, type: string, description: Email., reviewed: Made allowed in a copy. }",
        ),
        ("hashed to allowed", "project: { collect: hashed,", "project: { collect: allowed,"),
        (
            "nested forbidden to allowed",
            "home: { collect: forbidden, reason: Paths name users. }",
            "home: { collect: allowed, type: string, description: Home., reviewed: Made allowed in a copy. }",
        ),
        ("max_length raised", "max_length: 32", "max_length: 64"),
        ("max_length removed", " max_length: 32,", ""),
        ("enum value added", "[ok, failed]", "[ok, failed, crashed]"),
        ("required to optional", SHELL, "shell: { collect: allowed, type: string, required: false,"),
        ("type changed", SHELL, "shell: { collect: allowed, type: bool,"),
        (
            "context key added",
            "    os: {",
            "    arch: { collect: allowed, type: string, description: CPU. }\n    os: {",
        ),
        ("event added", last_line.as_str(), event_added.as_str()),
        ("expiry moved", "2030-01-01", "2031-01-01"),
        ("expiry removed", "    expires: 2030-01-01\n", ""),
    ];
    let mut seen = vec![base];
    for (what, from, to) in changed {
        let text = edit(from, to);
        let f = fp(&text);
        assert!(
            !seen.contains(&f),
            "{what} must change the fingerprint:\n{}",
            canonical_form(&load_str(&text, "d.yaml").unwrap())
        );
        seen.push(f);
    }
}

const SWITCH: &str = "    - { name: DEMO_NO_TELEMETRY, disables_when: truthy }\n";
const FORCE: &str = "    - { name: DEMO_TELEMETRY, equals: force, action: enable }\n";

/// The first switch that fires decides: with both set, swapping them turns
/// telemetry on for someone it was off for.
#[test]
fn switch_order_and_the_opt_out_command_change_the_fingerprint() {
    let ordered = fp(&edit(SWITCH, &format!("{SWITCH}{FORCE}")));
    let swapped = fp(&edit(SWITCH, &format!("{FORCE}{SWITCH}")));
    assert_ne!(ordered, swapped);
    let command = |c: &str| fp(&edit("  default: enabled\n", &format!("  default: enabled\n  opt_out_command: {c}\n")));
    assert_ne!(command("demo telemetry disable"), command("demo telemetry off"));
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
first_run send
opt_out_command -
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

#[test]
fn every_metric_change_changes_the_fingerprint() {
    const M: &str = "metrics:\n  commands: { type: labeled_counter, description: Commands run., labels: [build, test] }\n  build_ms: { type: distribution, description: Build time., unit: milliseconds, buckets: [100, 1000] }\n";
    let base_text = format!("{BASE}{M}");
    let base = fp(&base_text);
    assert_ne!(base, fp(BASE), "metrics added");
    let with = |from: &str, to: &str| {
        assert_eq!(base_text.matches(from).count(), 1, "{from}");
        base_text.replace(from, to)
    };
    let changed = [
        ("label added", with("[build, test]", "[build, test, run]")),
        ("bucket added", with("[100, 1000]", "[100, 500, 1000]")),
        ("unit changed", with("unit: milliseconds", "unit: seconds")),
        (
            "type changed",
            with(
                "{ type: labeled_counter, description: Commands run., labels: [build, test] }",
                "{ type: counter, description: Commands run. }",
            ),
        ),
        ("period changed", format!("{base_text}metrics_period: on_exit\n")),
        ("expiry added", with("unit: milliseconds,", "unit: milliseconds, expires: 2030-01-01,")),
    ];
    let mut seen = vec![base];
    for (what, text) in changed {
        let f = fp(&text);
        assert!(!seen.contains(&f), "{what} must change the fingerprint:\n{text}");
        seen.push(f);
    }
    let reworded = with("Build time.", "How long a build took.");
    assert_eq!(fp(&reworded), base, "a description is wording");
}
