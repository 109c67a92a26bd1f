//! The governance keys: `schema_version`, `owner`, `expires`,
//! `data_review`, `history`; their load errors and warnings, exactly, and
//! what the page and the payload JSON Schema make of them.

use telemetry_schema::{Date, Expiry, load_str_on, render};

const TODAY: Date = Date { year: 2026, month: 1, day: 1 };
const APP: &str = "version: 1\napp: { name: demo, title: Demo, description: x }\n";

fn err(text: &str) -> String {
    load_str_on(text, "demo.yaml", TODAY).unwrap_err().to_string()
}

fn event(keys: &str) -> String {
    format!("{APP}events:\n  e:\n    description: x\n{keys}")
}

#[test]
fn schema_version_must_be_major_dot_minor() {
    assert_eq!(
        err(&format!("schema_version: \"1\"\n{APP}events: {{ e: {{ description: x }} }}\n")),
        "demo.yaml:1:17: error: `schema_version` must be `MAJOR.MINOR`, found `1`\n  help: write it quoted, e.g. `schema_version: \"1.0\"`"
    );
    let s =
        load_str_on(&format!("schema_version: 2.10\n{APP}events: {{ e: {{ description: x }} }}\n"), "d.yaml", TODAY);
    assert_eq!(s.unwrap().schema_version.unwrap().to_string(), "2.10");
}

#[test]
fn never_needs_a_reason_and_a_date_takes_none() {
    assert_eq!(
        err(&event("    expires: never\n")),
        "demo.yaml:6:14: error: event `e` never expires but gives no `expires_reason`\n  help: add `expires_reason: \"why this event is needed for as long as the product exists\"`, or give a date (`expires: 2027-06-30`)"
    );
    assert_eq!(
        err(&event("    expires: 2026-06-30\n    expires_reason: Needed for ever and ever.\n")),
        "demo.yaml:7:5: error: event `e` expires on 2026-06-30, so `expires_reason` does not apply\n  help: remove `expires_reason`; it explains `expires: never` only"
    );
    assert_eq!(
        err(&event("    expires: 2026-02-30\n")),
        "demo.yaml:6:14: error: `expires` of event `e` must be a date or `never`, found `2026-02-30`: not a calendar date in the form YYYY-MM-DD\n  help: write `expires: 2027-06-30` (YYYY-MM-DD) or `expires: never` with an `expires_reason`"
    );
    let s = load_str_on(
        &event("    expires: never\n    expires_reason: Counts installs, the product's purpose.\n"),
        "d.yaml",
        TODAY,
    );
    assert_eq!(
        s.unwrap().events[0].expires,
        Some(Expiry::Never { reason: "Counts installs, the product's purpose.".into() })
    );
}

#[test]
fn placeholders_are_refused_where_they_stand() {
    assert_eq!(
        err(&event("    data_review: TBD\n")),
        "demo.yaml:6:18: error: `data_review` of event `e` is not written yet: `TBD` is a placeholder\n  help: give a link to the review (e.g. `https://...`) or a sentence saying why, of at least 10 characters"
    );
    assert_eq!(
        err(&event("    expires: never\n    expires_reason: \"n/a\"\n")),
        "demo.yaml:7:21: error: `expires_reason` of event `e` is not written yet: `n/a` is a placeholder\n  help: give a link to the review (e.g. `https://...`) or a sentence saying why, of at least 10 characters"
    );
    assert_eq!(
        err(&format!("{APP}consent: {{ data_review: ok }}\nevents: {{ e: {{ description: x }} }}\n")),
        "demo.yaml:3:25: error: `data_review` of `consent` is not written yet: `ok` is too short to be a link or a reason (fewer than 10 characters)\n  help: give a link to the review (e.g. `https://...`) or a sentence saying why, of at least 10 characters"
    );
}

#[test]
fn owners_are_emails_or_team_names() {
    assert_eq!(
        err(&event("    owner: someone@localhost\n")),
        "demo.yaml:6:12: error: `owner` of event `e` is not an owner: `someone@localhost` is not an email address\n  help: write an email address (`telemetry@example.org`) or a team name (`Platform team`)"
    );
    assert_eq!(
        err(&event("    owner: TODO\n")),
        "demo.yaml:6:12: error: `owner` of event `e` is not an owner: `TODO` is a placeholder\n  help: write an email address (`telemetry@example.org`) or a team name (`Platform team`)"
    );
    let s = load_str_on(
        "version: 1\napp: { name: demo, title: Demo, description: x, owner: Platform team }\nevents:\n  e: { description: x, owner: ada@example.org }\n  f: { description: x }\n",
        "d.yaml",
        TODAY,
    )
    .unwrap();
    assert_eq!(s.events[0].owner(&s.app), Some("ada@example.org"));
    assert_eq!(s.events[1].owner(&s.app), Some("Platform team"));
}

#[test]
fn expiry_warnings_are_located_and_judged_against_the_given_day() {
    let text = event("    expires: 2028-01-02\n");
    let s = load_str_on(&text, "demo.yaml", TODAY).unwrap();
    assert_eq!(
        s.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "demo.yaml:4:3: warning: event `e` expires on 2028-01-02, more than 2 years from today (2026-01-01)\n  help: choose a date no later than 2028-01-01 and review the event then, or write `expires: never` with an `expires_reason`"
        ]
    );
    // Two years exactly is fine; a day later the event has expired instead.
    assert!(load_str_on(&text, "demo.yaml", "2026-01-02".parse().unwrap()).unwrap().warnings.is_empty());
    let later = load_str_on(&text, "demo.yaml", "2028-01-02".parse().unwrap()).unwrap();
    assert_eq!(
        later.warnings[0].message,
        "event `e` expired on 2028-01-02: it still compiles, but nothing is recorded for it"
    );
}

#[test]
fn history_follows_the_version() {
    let h = |version: &str, entries: &str| {
        format!("schema_version: \"{version}\"\n{APP}events: {{ e: {{ description: x }} }}\nhistory:\n{entries}")
    };
    assert_eq!(
        err(&h("1.0", "  - { version: \"1.1\", date: 2026-01-01 }\n")),
        "demo.yaml:6:5: error: `history` has an entry for version 1.1 but `schema_version` is 1.0\n  help: set `schema_version: \"1.1\"`, or remove the entry"
    );
    assert_eq!(
        err(&h("1.1", "  - { version: \"1.1\", date: 2026-01-01 }\n  - { version: \"1.0\", date: 2025-01-01 }\n")),
        "demo.yaml:7:5: error: `history` entry 1.0 is out of order\n  help: list the versions oldest first, each once"
    );
    assert_eq!(
        err(&h("1.0", "  - { version: \"1.0\", date: 2026-13-01 }\n")),
        "demo.yaml:6:29: error: `date` of a `history` entry is `2026-13-01`: not a calendar date in the form YYYY-MM-DD\n  help: write the day the version was published, e.g. `date: 2026-01-31`"
    );
}

#[test]
fn governance_keys_are_suggested_when_misspelt() {
    assert_eq!(
        err(&event("    expire: never\n")),
        "demo.yaml:6:5: error: unknown key `expire` in event `e`\n  help: did you mean `expires`?"
    );
}

#[test]
fn page_shows_version_owner_expiry_and_history() {
    let text = "schema_version: \"1.1\"\nversion: 1\napp: { name: demo, title: Demo, description: x, owner: Platform team }\nevents:\n  e: { description: x, expires: 2026-03-01 }\n  f: { description: y, owner: ada@example.org, expires: never, expires_reason: Counts installs for ever. }\nhistory:\n  - { version: \"1.0\", date: 2025-01-01, summary: First version. }\n  - { version: \"1.1\", date: 2025-06-01, widens: [f], narrows: [e] }\n";
    let s = load_str_on(text, "demo.yaml", TODAY).unwrap();
    let page = render::markdown_on(&s, "2026-03-01".parse().unwrap());
    assert!(page.contains("\nSchema version **1.1**; owner: Platform team.\n"));
    assert!(page.contains("### `e`\n\nx\n\n**Expired on 2026-03-01: no longer sent.** The declaration stays so the page tells what was collected.\n"));
    assert!(
        page.contains("### `f`\n\ny\n\n**Owner:** ada@example.org\n\n**Expires:** never. Counts installs for ever.\n")
    );
    assert!(page.contains(
        "## How this promise changed\n\nEach version of this page's schema, newest first, with what it started (or stopped) collecting.\n\n### Version 1.1 (2025-06-01)\n\n- Collects more: `f`.\n- Collects less: `e`.\n\n### Version 1.0 (2025-01-01)\n\nFirst version.\n\n- No change to what is collected.\n\n## Example payload"
    ));
}

#[test]
fn payload_schema_pins_the_version_without_requiring_it() {
    let s =
        load_str_on(&format!("schema_version: \"1.1\"\n{APP}events: {{ e: {{ description: x }} }}\n"), "d.yaml", TODAY)
            .unwrap();
    let json = render::payload_schema(&s);
    let e = &json["$defs"]["event_e"];
    assert_eq!(e["properties"]["schema_version"]["const"], "1.1");
    assert!(!e["required"].as_array().unwrap().iter().any(|r| r == "schema_version"));
    let unversioned = load_str_on(&format!("{APP}events: {{ e: {{ description: x }} }}\n"), "d.yaml", TODAY).unwrap();
    assert!(render::payload_schema(&unversioned)["$defs"]["event_e"]["properties"].get("schema_version").is_none());
}
