//! Consent, install state, the notice, and the local transports (debug,
//! log-only, JSON-lines file). Environment variables are injected with
//! `EnvSource`, never set on the test process.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
#[cfg(feature = "http")]
use telemetry_core::WireFormat;
use telemetry_core::{Batching, Builder, Choice, EnvSource, Limits, Mode, Reason, Stats, Telemetry, TestBuilder};
#[cfg(feature = "http")]
use telemetry_testkit::Collector;
use telemetry_testkit::{Buf, temp_dir};

fn builder(dir: &Path, env: &[(&str, &str)]) -> TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .shutdown_deadline(Duration::from_secs(5))
        .opt_out_command("example-cli telemetry disable")
        .with_test_knobs()
        .env(EnvSource::from_pairs(env.iter().copied()))
}

fn stats(recorded: u64, sent: u64, dropped: u64) -> Stats {
    Stats { recorded, sent, dropped, ..Stats::default() }
}

#[cfg(feature = "http")]
#[test]
fn do_not_track_opens_no_socket_and_writes_no_file() {
    let c = Collector::ok();
    for (env, reason) in [
        (vec![("DO_NOT_TRACK", "1")], "DO_NOT_TRACK is set to \"1\""),
        (
            vec![("EXAMPLE_CLI_DISABLE_TELEMETRY", "true")],
            "EXAMPLE_CLI_DISABLE_TELEMETRY is set to \"true\", which disables telemetry",
        ),
        (vec![("EXAMPLE_CLI_TELEMETRY_OFFLINE", "1")], "EXAMPLE_CLI_TELEMETRY_OFFLINE is set to \"1\""),
    ] {
        for endpoint in [Some(c.url()), None] {
            let dir = temp_dir("dnt");
            let out = Buf::default();
            let mut b = builder(&dir, &env).output(out.clone());
            if let Some(url) = &endpoint {
                b = b.settings(|b| b.endpoint(url, WireFormat::Native));
            }
            let t = b.build().unwrap();
            assert!(!t.is_enabled());
            assert_eq!(t.status().mode, Mode::Off);
            assert_eq!(t.status().reason.to_string(), reason);
            assert_eq!(t.status().state_dir.as_deref(), Some(dir.as_path()));
            for n in 0..10 {
                t.record(&run(n));
            }
            assert!(t.flush(Duration::from_millis(10)));
            assert_eq!(t.shutdown(), Stats::default());
            assert!(!dir.exists(), "state dir must not be created");
            assert_eq!(out.text(), "", "no notice, no output");
        }
    }
    assert_eq!(c.connections(), 0);
    assert!(c.requests().is_empty());
}

#[test]
fn default_file_transport_state_and_notice_once() {
    let dir = temp_dir("file");
    let out = Buf::default();
    let b = builder(&dir, &[]).output(out.clone());
    let t = b.build().unwrap();
    assert_eq!(t.status().mode, Mode::On);
    assert_eq!(t.status().reason, Reason::Default { enabled: true });
    t.record(&run(1));
    t.record(&run(2));
    assert_eq!(t.shutdown(), stats(2, 2, 0));
    assert_eq!(
        out.text(),
        "Example CLI collects anonymous usage data (command_run, telemetry_changed) with a random install id, never who you are.\n\
         \x20 What is collected and what never is: https://example.org/example-cli/telemetry\n\
         \x20 To opt out: run `example-cli telemetry disable`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1.\n\
         This notice is shown once.\n"
    );
    let state = state_of(&dir);
    let key = state["key"].as_str().unwrap();
    assert_eq!(key.len(), 64);
    assert_eq!(state["notice_shown"], true);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(dir.join("events.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for (n, l) in lines.iter().enumerate() {
        assert_eq!(
            l["properties"],
            serde_json::from_str::<serde_json::Value>(&run_properties(n as u64 + 1, key)).unwrap()
        );
        assert_eq!(l["anonymous_id"], state["anonymous_id"]);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("state.json")), 0o600);
        assert_eq!(mode(&dir.join("events.jsonl")), 0o600);
    }
    let mut files: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    files.sort();
    assert_eq!(files, [".lock", "events.jsonl", "state.json"], "no temp files left behind");

    // Second run: same id and key, no notice.
    let t = b.build().unwrap();
    assert_eq!(t.status().anonymous_id.as_deref(), state["anonymous_id"].as_str());
    t.record(&run(3));
    assert_eq!(t.shutdown(), stats(1, 1, 0));
    assert_eq!(state_of(&dir), state);
    assert_eq!(out.text().matches("This notice is shown once.").count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn disable_and_enable_persist_and_explain() {
    let dir = temp_dir("choice");
    let b = builder(&dir, &[]).settings(|b| b.notice(false));
    drop(b.build().unwrap());
    std::fs::create_dir_all(dir.join("spool")).unwrap();
    std::fs::write(dir.join("spool/x.jsonl"), "{}\n").unwrap();

    let status = b.disable().unwrap();
    assert_eq!((status.mode, status.reason.clone()), (Mode::Off, Reason::Choice(Choice::Disabled)));
    assert_eq!(status.anonymous_id, None);
    let state = state_of(&dir);
    assert_eq!(state, serde_json::json!({"version": 1, "consent": "disabled", "notice_shown": false}));
    assert!(!dir.join("spool").exists(), "spooled events deleted");
    let t = b.build().unwrap();
    assert!(!t.is_enabled());
    assert_eq!(t.status().reason.to_string(), "you disabled it");
    assert!(
        t.status().to_string().starts_with("Telemetry is off: you disabled it (`example-cli telemetry disable`).\n")
    );

    let status = b.enable().unwrap();
    assert_eq!((status.mode, status.reason), (Mode::On, Reason::Choice(Choice::Enabled)));
    let t = b.build().unwrap();
    assert!(t.is_enabled());
    let new_id = t.status().anonymous_id.clone().unwrap();
    drop(t);
    assert_eq!(state_of(&dir)["anonymous_id"].as_str(), Some(new_id.as_str()));
    assert_eq!(state_of(&dir)["consent"], "enabled");

    // Variables still win over the choice, and status says so.
    let dnt = builder(&dir, &[("DO_NOT_TRACK", "true")]);
    let status = dnt.enable().unwrap();
    assert_eq!(status.mode, Mode::Off);
    let text = status.to_string();
    assert!(text.starts_with("Telemetry is off: DO_NOT_TRACK is set to \"true\".\n"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn status_text() {
    let dir = temp_dir("status");
    let b = builder(&dir, &[]);
    let s = b.preview_status();
    assert_eq!(
        s.to_string(),
        format!(
            "Telemetry is on: it is on by default.\n\
             \x20 Events go to:  {} (JSON lines; nothing is sent)\n\
             \x20 State:         {}\n\
             \x20 What is sent:  https://example.org/example-cli/telemetry\n\
             \x20 Opt out:       run `example-cli telemetry disable`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1\n",
            dir.join("events.jsonl").display(),
            dir.display()
        )
    );
    assert!(!dir.exists(), "status writes nothing");
}

#[cfg(feature = "http")]
#[test]
fn debug_prints_pretty_json_and_sends_nothing() {
    let dir = temp_dir("debug");
    let c = Collector::ok();
    let out = Buf::default();
    let t = builder(&dir, &[("EXAMPLE_CLI_TELEMETRY_DEBUG", "1")])
        .settings(|b| b.notice(false).endpoint(c.url(), WireFormat::Native))
        .output(out.clone())
        .build()
        .unwrap();
    assert!(t.status().destination.starts_with("stderr, as pretty JSON"));
    t.record(&CommandRun { ci: Some(true), ..run(9) });
    let anon = t.status().anonymous_id.clone().unwrap();
    assert_eq!(t.shutdown(), stats(1, 1, 0));
    assert_eq!(c.connections(), 0);
    let text = out.text();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let hash = telemetry_core::Hasher::new(&hex(state_of(&dir)["key"].as_str().unwrap())).hash_hex("acme-website");
    let expected = format!(
        "{{\n  \"event\": \"command_run\",\n  \"properties\": {{\n    \"command\": \"build\",\n    \"duration_ms\": 9,\n    \"outcome\": \"success\",\n    \"exit_code\": 0,\n    \"project\": \"{hash}\",\n    \"flags\": [\n      \"release\"\n    ],\n    \"ci\": true\n  }},\n  \"context\": {{\n    \"os\": \"{}\",\n    \"arch\": \"{}\",\n    \"app_version\": \"1.2.3\",\n    \"ci\": false\n  }},\n  \"anonymous_id\": \"{anon}\",\n  \"session_id\": \"{}\",\n  \"message_id\": \"{}\",\n  \"timestamp\": \"{}\",\n  \"app\": \"example-cli\",\n  \"app_version\": \"1.2.3\"\n}}\n",
        std::env::consts::OS,
        std::env::consts::ARCH,
        v["session_id"].as_str().unwrap(),
        v["message_id"].as_str().unwrap(),
        v["timestamp"].as_str().unwrap(),
    );
    assert_eq!(text, expected);
    assert!(!dir.join("events.jsonl").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(feature = "http")]
fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

#[test]
fn log_only_switch_prints_lines_and_writes_nothing() {
    let dir = temp_dir("logonly");
    let out = Buf::default();
    let t = Telemetry::builder(&LOGGING_APP)
        .app_version("1.2.3")
        .state_dir(&dir)
        .with_test_knobs()
        .env(EnvSource::from_pairs([("TRACKING_STRATEGY", "logging")]))
        .output(out.clone())
        .build()
        .unwrap();
    assert_eq!(t.status().mode, Mode::LogOnly);
    assert_eq!(
        t.status().reason.to_string(),
        "TRACKING_STRATEGY is set to \"logging\", which logs events locally instead of sending them"
    );
    t.record(&CommandRun { project: "p", ..run(4) });
    assert_eq!(t.shutdown(), stats(1, 1, 0));
    let text = out.text();
    let props = text.strip_prefix("[example-cli telemetry, not sent] command_run ").unwrap().trim_end();
    let v: serde_json::Value = serde_json::from_str(props).unwrap();
    assert_eq!(v["duration_ms"], 4);
    assert_eq!(v["project"].as_str().unwrap().len(), 64);
    assert_eq!(text.lines().count(), 1, "no notice in log-only mode: {text}");
    assert!(!dir.exists());
}

/// A state file that cannot be parsed may hold an opt-out: nothing is
/// recorded, and the file is left for the user (see also `state_faults.rs`).
#[test]
fn corrupt_state_records_nothing() {
    let dir = temp_dir("corrupt");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("state.json"), "{not json").unwrap();
    let out = Buf::default();
    let t = builder(&dir, &[("EXAMPLE_CLI_TELEMETRY_DEBUG", "1")])
        .settings(|b| b.notice(false))
        .output(out.clone())
        .build()
        .unwrap();
    assert!(!t.is_enabled());
    assert!(t.status().reason.to_string().contains("is not valid state"), "{}", t.status().reason);
    t.record(&run(1));
    assert_eq!(t.shutdown(), stats(0, 0, 0));
    assert_eq!(out.text(), "");
    assert_eq!(std::fs::read_to_string(dir.join("state.json")).unwrap(), "{not json", "left untouched");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn unwritable_state_dir_never_crashes() {
    // A regular file where the state dir should be: nothing can be written below it.
    let file = temp_dir("unwritable");
    std::fs::write(&file, "").unwrap();
    let dir = file.join("state");
    let t = builder(&dir, &[]).settings(|b| b.notice(false)).build().unwrap();
    assert!(t.status().notes[0].starts_with("cannot save state in"), "{:?}", t.status().notes);
    t.record(&run(1));
    assert_eq!(t.shutdown(), stats(1, 0, 1), "the events file cannot be written either");
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn anonymous_id_override_and_foreign_events() {
    let dir = temp_dir("override");
    let id = "0b1e2f4a-3c5d-4e6f-8a9b-0c1d2e3f4a5b";
    let t = builder(&dir, &[("EXAMPLE_CLI_ANONYMOUS_ID", id)]).settings(|b| b.notice(false)).build().unwrap();
    assert_eq!(t.status().anonymous_id.as_deref(), Some(id));
    t.record(&Foreign);
    t.record(&run(1));
    assert_eq!(t.shutdown(), Stats { refused: 1, ..stats(2, 1, 1) }, "another app's event is refused");
    let line = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    assert!(line.contains(&format!("\"anonymous_id\":\"{id}\"")));
    assert_ne!(state_of(&dir)["anonymous_id"].as_str(), Some(id), "the override is not persisted");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A schema's `app.anonymous_id_env` (PyAirbyte's `AIRBYTE_ANALYTICS_ID`)
/// is honoured, and wins over `<APP>_ANONYMOUS_ID`; a bad value is named.
#[test]
fn the_schemas_own_anonymous_id_variable_wins() {
    static PRODUCT: telemetry_core::meta::AppMeta =
        telemetry_core::__private::app_meta(telemetry_core::__private::AppParts {
            anonymous_id_env: Some("ACME_ANALYTICS_ID"),
            identity: telemetry_core::meta::Identity::Install,
            ..PARTS
        });
    let dir = temp_dir("id-env");
    let ours = "0b1e2f4a-3c5d-4e6f-8a9b-0c1d2e3f4a5b";
    let theirs = "11111111-2222-4333-8444-555555555555";
    let build = |env: &[(&str, &str)]| {
        Telemetry::builder(&PRODUCT)
            .app_version("1.2.3")
            .state_dir(&dir)
            .notice(false)
            .with_test_knobs()
            .env(EnvSource::from_pairs(env.iter().copied()))
            .build()
            .unwrap()
    };
    let t = build(&[("ACME_ANALYTICS_ID", theirs), ("EXAMPLE_CLI_ANONYMOUS_ID", ours)]);
    assert_eq!(t.status().anonymous_id.as_deref(), Some(theirs));
    drop(t);
    let t = build(&[("ACME_ANALYTICS_ID", "not-a-uuid")]);
    assert_ne!(t.status().anonymous_id.as_deref(), Some("not-a-uuid"));
    assert_eq!(
        t.status().notes,
        ["ACME_ANALYTICS_ID is set to \"not-a-uuid\", which is not a UUID; ignored, the stored anonymous id is used"]
    );
    drop(t);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn full_queue_drops_and_counts() {
    let dir = temp_dir("full");
    let t = builder(&dir, &[])
        .settings(|b| {
            b.notice(false).limits(Limits::default().with_queue_events(2).with_queue_bytes(1 << 20)).batching(
                Batching::default()
                    .with_max_events(100)
                    .with_max_bytes(1 << 20)
                    .with_max_latency(Duration::from_secs(60)),
            )
        })
        .build()
        .unwrap();
    for n in 0..5 {
        t.record(&run(n));
    }
    assert_eq!(t.stats(), Stats { recorded: 5, dropped: 3, ..Stats::default() });
    assert_eq!(t.shutdown(), stats(5, 2, 3));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `queue_events` and `queue_bytes` each set one bound and leave the other
/// at its default (4 MiB, 1000 events): issue 13's 100k burst needed both.
#[test]
fn one_bound_queue_setters() {
    let dir = temp_dir("one-bound");
    let burst = |b: TestBuilder| {
        let batching =
            Batching::default().with_max_events(100).with_max_bytes(1 << 20).with_max_latency(Duration::from_secs(60));
        let t = b.settings(|b| b.notice(false).batching(batching)).build().unwrap();
        for n in 0..5 {
            t.record(&run(n));
        }
        let s = t.stats();
        drop(t);
        s
    };
    assert_eq!(
        burst(builder(&dir, &[]).settings(|b| b.limits(Limits::default().with_queue_events(3)))),
        Stats { recorded: 5, dropped: 2, ..Stats::default() }
    );
    // An event larger than the whole byte bound is counted as oversize too.
    let over = Stats { recorded: 5, dropped: 5, oversize: 5, ..Stats::default() };
    assert_eq!(burst(builder(&dir, &[]).settings(|b| b.limits(Limits::default().with_queue_bytes(1)))), over);
    assert_eq!(
        burst(
            builder(&dir, &[]).settings(|b| b.limits(Limits::default().with_queue_events(1 << 20).with_queue_bytes(1)))
        ),
        over
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hand_written_meta_matches_the_schema() {
    static FROM_SCHEMA: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    // The hand-written copy comes from no schema: no fingerprint, no version.
    let unversioned = |m: &telemetry_core::meta::AppMeta| {
        let consent = (m.enabled_by_default(), m.do_not_track(), m.env(), m.first_run(), m.opt_out_command());
        (m.name(), m.title(), m.docs_url(), m.anonymous_id_env(), consent, m.context(), m.events())
    };
    assert_eq!(unversioned(&FROM_SCHEMA), unversioned(&APP));
    assert_eq!(FROM_SCHEMA.schema_version(), Some("1.2"));
    assert_ne!(FROM_SCHEMA.fingerprint(), APP.fingerprint());
}

#[cfg(not(feature = "http"))]
#[test]
fn endpoint_without_http_feature_is_a_build_error() {
    let dir = temp_dir("nohttp");
    let err = builder(&dir, &[])
        .settings(|b| b.endpoint("https://example.org", telemetry_core::WireFormat::Native))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "telemetry endpoint \"https://example.org\" needs the HTTP transport: enable telemetry-core's `http` feature"
    );
}

/// An event whose writer panics (a bug in hand-written code): `record`
/// must not panic into the app; the event is dropped and counted.
struct Panics;
impl telemetry_core::TelemetryEvent for Panics {
    const META: &'static telemetry_core::meta::EventMeta = &COMMAND_RUN;
    const DERIVED: telemetry_core::__private::Derived = telemetry_core::__private::DERIVED;
    fn write_properties(&self, _: &mut telemetry_core::PropertyWriter<'_>) {
        panic!("bug in an event writer");
    }
}

#[test]
fn record_never_panics_into_the_app() {
    let dir = temp_dir("panic");
    let t = builder(&dir, &[]).settings(|b| b.notice(false)).build().unwrap();
    t.record(&Panics);
    t.record(&run(1));
    assert_eq!(t.shutdown(), stats(2, 1, 1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn handle_is_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<Telemetry>();
    check::<Builder>();
}

/// `status` speaks the product's words: its `app.term` and its own opt-out
/// command (issue 21 item 8), not "telemetry" and `telemetry disable`.
#[test]
fn status_says_the_products_term_and_command() {
    static BREW: telemetry_core::meta::AppMeta =
        telemetry_core::__private::app_meta(telemetry_core::__private::AppParts {
            term: "analytics",
            opt_out_command: Some("brew analytics off"),
            env: &[],
            ..PARTS
        });
    let dir = temp_dir("words");
    let b = Telemetry::builder(&BREW).state_dir(&dir).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]));
    assert!(
        b.preview_status().to_string().starts_with("Analytics is on: it is on by default.\n"),
        "{}",
        b.preview_status()
    );
    let text = b.disable().unwrap().to_string();
    assert!(text.starts_with("Analytics is off: you disabled it (`brew analytics off`).\n"), "{text}");
    let text = b.enable().unwrap().to_string();
    assert!(text.starts_with("Analytics is on: you enabled it.\n"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
