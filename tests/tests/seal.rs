//! The runtime half of the sealed promise (issue 15, item 1): an event is
//! recorded only when it was checked against the very schema its app was
//! built from, under a name that schema declares, and before its expiry.

use std::time::Duration;
use telemetry_core::meta::{AppMeta, EventMeta};
use telemetry_core::{EnvSource, MemorySink, PropertyWriter, Stats, Telemetry, TelemetryEnum, TelemetryEvent};
use telemetry_testkit::{Buf, TempDir};

static APP: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
static EXPIRING: AppMeta = telemetry_core::app_meta!("../schemas/expiring.yaml");

#[derive(TelemetryEnum)]
enum Outcome {
    Success,
    #[allow(dead_code)]
    Failure,
}

/// `command_run` as the real schema declares it.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/example-cli.yaml")]
struct CommandRun<'a> {
    command: &'a str,
    duration_ms: u64,
    outcome: Outcome,
    exit_code: i32,
    project: &'a str,
    flags: Vec<&'a str>,
}

/// Issue 15, reproduction 2: derived against a private copy of the schema
/// (same `app.name()`) in which `user_name` is allowed and `project` is not hashed.
mod copy {
    use super::Outcome;
    use telemetry_core::TelemetryEvent;

    #[derive(TelemetryEvent)]
    #[telemetry(schema = "../schemas/substituted-example-cli.yaml")]
    pub struct CommandRun<'a> {
        pub command: &'a str,
        pub duration_ms: u64,
        pub outcome: Outcome,
        pub exit_code: i32,
        pub project: &'a str,
        pub flags: Vec<&'a str>,
        pub user_name: &'a str,
    }
}

/// Past its `expires` date: it compiles, with a deprecation warning (allowed here).
#[allow(deprecated)]
mod expired {
    #[derive(telemetry_core::TelemetryEvent)]
    #[telemetry(schema = "../schemas/expiring.yaml")]
    pub struct LegacyPing {
        pub uptime_s: u64,
    }
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "../schemas/expiring.yaml")]
struct Ping {
    uptime_s: u64,
}

/// A hand-written impl (it has to name `__private::Derived`, outside the
/// guarantee) that copies the app's fingerprint and sends an undeclared event.
struct UserSeen;
impl TelemetryEvent for UserSeen {
    const META: &'static EventMeta = &telemetry_core::__private::event_meta(
        "example-cli",
        "user_seen",
        &[],
        <CommandRun<'static> as TelemetryEvent>::META.fingerprint(),
        None,
    );
    const DERIVED: telemetry_core::__private::Derived = telemetry_core::__private::DERIVED;
    fn write_properties(&self, w: &mut PropertyWriter<'_>) {
        w.str("user_name", "alice", None);
    }
}

fn real() -> CommandRun<'static> {
    CommandRun {
        command: "build",
        duration_ms: 5,
        outcome: Outcome::Success,
        exit_code: 0,
        project: "acme-website",
        flags: vec![],
    }
}

fn substituted() -> copy::CommandRun<'static> {
    copy::CommandRun {
        command: "build",
        duration_ms: 5,
        outcome: Outcome::Success,
        exit_code: 0,
        project: "acme-website",
        flags: vec![],
        user_name: "alice",
    }
}

fn memory(app: &'static AppMeta, dir: &TempDir, sink: &MemorySink) -> Telemetry {
    Telemetry::builder(app)
        .app_version("1.0.0")
        .state_dir(dir.path())
        .notice(false)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .memory(sink.clone())
        .build()
        .unwrap()
}

#[test]
fn a_struct_derived_from_a_copied_schema_compiles_and_sends_nothing() {
    assert_eq!(copy::CommandRun::META.app(), APP.name(), "the copy keeps the app's name");
    assert_ne!(copy::CommandRun::META.fingerprint(), APP.fingerprint());
    assert_eq!(CommandRun::META.fingerprint(), APP.fingerprint());

    let dir = TempDir::new("seal-copy").unwrap();
    let sink = MemorySink::new();
    let t = memory(&APP, &dir, &sink);
    t.record(&substituted());
    t.record(&substituted());
    t.record(&UserSeen);
    assert!(t.flush(Duration::from_secs(10)));
    assert!(sink.take().is_empty(), "nothing of a refused event reaches the sink");
    assert_eq!(t.shutdown(), Stats { recorded: 3, dropped: 3, refused: 3, ..Stats::default() });
}

#[test]
fn the_real_event_is_sent_with_the_schema_version() {
    let dir = TempDir::new("seal-real").unwrap();
    let sink = MemorySink::new();
    let t = memory(&APP, &dir, &sink);
    t.record(&substituted());
    t.record(&real());
    assert!(t.flush(Duration::from_secs(10)));
    let sent = sink.take();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].starts_with(r#"{"event":"command_run","properties":{"command":"build","duration_ms":5,"outcome":"success","exit_code":0,"project":""#), "{}", sent[0]);
    let version = APP.schema_version().expect("example-cli is versioned");
    let end = format!(r#","app":"example-cli","app_version":"1.0.0","schema_version":"{version}"}}"#);
    assert!(sent[0].ends_with(&end), "{}", sent[0]);
    assert!(!sent[0].contains("alice") && !sent[0].contains("acme-website"));
    assert_eq!(t.shutdown(), Stats { recorded: 2, sent: 1, dropped: 1, refused: 1, ..Stats::default() });
}

#[test]
fn a_refusal_is_reported_once_in_debug_mode() {
    let dir = TempDir::new("seal-debug").unwrap();
    let out = Buf::default();
    let t = Telemetry::builder(&APP)
        .app_version("1.0.0")
        .state_dir(dir.path())
        .notice(false)
        .with_test_knobs()
        .env(EnvSource::from_pairs([("EXAMPLE_CLI_TELEMETRY_DEBUG", "1")]))
        .output(out.clone())
        .build()
        .unwrap();
    t.record(&substituted());
    t.record(&substituted());
    t.record(&UserSeen);
    assert_eq!(t.shutdown(), Stats { recorded: 3, dropped: 3, refused: 3, ..Stats::default() });
    let text = out.text();
    let refused: Vec<&str> = text.lines().filter(|l| l.contains("refused")).collect();
    assert_eq!(
        refused,
        [format!(
            "[example-cli telemetry] refused event \"command_run\": it was checked against another schema (fingerprint {}) than this app's ({}), such as a copy of it; nothing is sent. Derive it from the schema that `app_meta!` names",
            copy::CommandRun::META.fingerprint(),
            APP.fingerprint()
        )]
    );
    assert!(!text.contains("alice"), "{text}");
}

#[test]
fn an_expired_event_records_nothing() {
    let expires = expired::LegacyPing::META.expires().unwrap();
    assert_eq!((expires.date(), expires.unix_secs()), ("2001-01-01", 978_307_200));
    assert_eq!(Ping::META.expires(), None);
    let dir = TempDir::new("seal-expired").unwrap();
    let sink = MemorySink::new();
    let t = memory(&EXPIRING, &dir, &sink);
    t.record(&expired::LegacyPing { uptime_s: 1 });
    t.record(&Ping { uptime_s: 2 });
    t.record(&expired::LegacyPing { uptime_s: 3 });
    assert!(t.flush(Duration::from_secs(10)));
    let sent = sink.take();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].starts_with(r#"{"event":"ping","properties":{"uptime_s":2},"#), "{}", sent[0]);
    assert!(sent[0].ends_with(r#""schema_version":"2.1"}"#), "{}", sent[0]);
    assert_eq!(t.shutdown(), Stats { recorded: 3, sent: 1, dropped: 2, expired: 2, ..Stats::default() });
}
