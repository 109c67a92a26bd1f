//! `consent.first_run` and `consent.opt_out_command` (issue 15 item 10,
//! issue 11 item 6): parsed, defaulted, refused with a located message when
//! misspelt, and said on the page.

use telemetry_schema::{FirstRun, load_str, render};

fn schema(consent: &str) -> Result<telemetry_schema::Schema, String> {
    let text = format!(
        "version: 1\napp: {{ name: demo, title: Demo, description: Helps us. }}\n{consent}events:\n  e:\n    description: x\n    fields: {{}}\n"
    );
    load_str(&text, "demo.yaml").map_err(|e| e.to_string())
}

#[test]
fn defaults_are_send_and_no_command() {
    let s = schema("").unwrap();
    assert_eq!((s.consent.first_run, s.consent.opt_out_command.as_deref()), (FirstRun::Send, None));
    let page = render::markdown(&s);
    assert!(
        page.contains(
            "\nEvents are sent from the first run with telemetry on, the run that prints the first-run notice.\n"
        ),
        "{page}"
    );
    assert!(!page.contains("### The command"), "{page}");
}

#[test]
fn notice_first_and_the_command_are_on_the_page() {
    let s = schema("consent:\n  first_run: notice_first\n  opt_out_command: demo telemetry disable\n").unwrap();
    assert_eq!(s.consent.first_run, FirstRun::NoticeFirst);
    assert_eq!(s.consent.opt_out_command.as_deref(), Some("demo telemetry disable"));
    let page = render::markdown(&s);
    assert!(page.contains(
        "\nThe first run with telemetry on only prints the first-run notice and sends nothing: events are sent from the next run on, so you can opt out before anything is sent.\n"
    ));
    assert!(page.contains(concat!(
        "## How to opt out\n\n### The command\n\n",
        "`demo telemetry disable` turns telemetry off on this machine and saves that choice; ",
        "the variables below are checked before it.\n\n```sh\ndemo telemetry disable\n```\n"
    )));
}

#[test]
fn a_misspelt_first_run_is_refused_where_it_is() {
    let e = schema("consent:\n  first_run: notice-first\n").unwrap_err();
    assert!(e.contains("demo.yaml:4:14"), "{e}");
    assert!(e.contains("`consent.first_run` value"), "{e}");
    let e = schema("consent:\n  opt_out_command: \"\"\n").unwrap_err();
    assert!(e.contains("demo.yaml:4:20"), "{e}");
}
