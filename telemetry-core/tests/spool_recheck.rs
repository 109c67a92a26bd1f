//! Spooled events read back by a later run (issue 20, items 5 and 10): a
//! line the current schema would not send (the event removed, a field
//! forbidden since) is discarded, never sent; a timestamp written with an
//! offset is sent in UTC.
#![cfg(feature = "http")]

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use telemetry_core::__private::{AppParts, DERIVED, Derived, app_meta, event_meta, field_meta, fingerprint};
use telemetry_core::meta::{AppMeta, Collect, EventMeta, FieldMeta, FirstRun};
use telemetry_core::{EnvSource, PropertyWriter, Retry, Stats, Telemetry, TelemetryEvent, WireFormat};
use telemetry_testkit::{Collector, free_addr, temp_dir};

const fn field(name: &'static str, collect: Collect) -> FieldMeta {
    field_meta(name, "string", collect, true, None, &[])
}

/// Version 1 of a service: `tick` sends `user_name` as is.
const V1_PARTS: AppParts = AppParts {
    name: "svc",
    title: "Service",
    term: "telemetry",
    docs_url: None,
    anonymous_id_env: None,
    identity: telemetry_core::meta::Identity::Install,
    enabled_by_default: true,
    do_not_track: true,
    env: &[],
    first_run: FirstRun::Send,
    opt_out_command: None,
    context: &[],
    events: &["tick"],
    product_hashed: &[],
    fingerprint: fingerprint(1),
    schema_version: None,
};
static V1: AppMeta = app_meta(V1_PARTS);

/// Version 2: `user_name` forbidden (another schema, so another fingerprint).
static V2_FORBIDDEN: AppMeta = app_meta(AppParts { fingerprint: fingerprint(2), ..V1_PARTS });

/// Version 2': the event removed.
static V2_REMOVED: AppMeta = app_meta(AppParts { events: &[], fingerprint: fingerprint(3), ..V1_PARTS });

static TICK_V1: EventMeta = event_meta(
    "svc",
    "tick",
    &[field("n", Collect::Allowed), field("user_name", Collect::Allowed)],
    fingerprint(1),
    None,
);

/// `tick` as version 1's derive writes it.
struct Tick;

impl TelemetryEvent for Tick {
    const META: &'static EventMeta = &TICK_V1;
    const DERIVED: Derived = DERIVED;
    fn write_properties(&self, w: &mut PropertyWriter<'_>) {
        w.u64("n", 1);
        w.str("user_name", "alice", None);
    }
}

fn handle(app: &'static AppMeta, dir: &Path, url: &str, format: WireFormat) -> Telemetry {
    Telemetry::builder(app)
        .state_dir(dir)
        .notice(false)
        .endpoint(url, format)
        .shutdown_deadline(Duration::from_millis(100))
        .retry(Retry::default().with_backoff(Duration::from_millis(10), Duration::from_millis(20)))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .build()
        .unwrap()
}

/// Version 1 records one `tick` while nothing listens: it is spooled.
fn spool_one_tick(dir: &Path) {
    let v1 = handle(&V1, dir, &format!("http://{}", free_addr()), WireFormat::Native);
    v1.record(&Tick);
    let stats = v1.shutdown();
    assert_eq!((stats.recorded, stats.spooled), (1, 1), "{stats:?}");
}

/// A later run of `app` against a live collector: what it sent, and its counters.
fn next_run(app: &'static AppMeta, dir: &Path, format: WireFormat) -> (Vec<String>, Stats) {
    let collector = Collector::ok();
    let t = handle(app, dir, &collector.url(), format);
    assert!(t.flush(Duration::from_secs(10)));
    let stats = t.shutdown();
    (collector.requests().iter().map(|r| r.text()).collect(), stats)
}

#[test]
fn the_same_schema_resends_what_it_spooled() {
    let dir = temp_dir("recheck-same");
    spool_one_tick(&dir);
    let (sent, stats) = next_run(&V1, &dir, WireFormat::Native);
    assert_eq!(stats.resent, 1, "{stats:?}");
    assert!(sent.concat().contains(r#""properties":{"n":1,"user_name":"alice"}"#), "{sent:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_schema_that_forbids_a_spooled_field_does_not_send_it() {
    for (app, what) in [(&V2_FORBIDDEN, "user_name forbidden"), (&V2_REMOVED, "event removed")] {
        let dir = temp_dir("recheck-forbidden");
        spool_one_tick(&dir);
        let (sent, stats) = next_run(app, &dir, WireFormat::Native);
        assert!(!sent.concat().contains("alice"), "{what}: sent {sent:?}");
        assert_eq!((stats.resent, stats.discarded), (0, 1), "{what}: {stats:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// The spool file's one timestamp, rewritten as the same instant at `+02:00`.
fn shift_spooled_timestamp(dir: &Path) -> u64 {
    let spool = dir.join("spool");
    let file = std::fs::read_dir(&spool).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find(r#""timestamp":""#).unwrap() + r#""timestamp":""#.len();
    let utc = &text[at..at + 24];
    let t = humantime::parse_rfc3339(utc).unwrap();
    let local = humantime::format_rfc3339_millis(t + Duration::from_secs(7200)).to_string();
    let local = format!("{}+02:00", local.strip_suffix('Z').unwrap());
    std::fs::write(&file, text.replace(utc, &local)).unwrap();
    u64::try_from(t.duration_since(UNIX_EPOCH).unwrap().as_nanos()).unwrap()
}

#[test]
fn a_timestamp_read_back_with_an_offset_is_sent_in_utc() {
    let dir = temp_dir("recheck-offset");
    spool_one_tick(&dir);
    let nanos = shift_spooled_timestamp(&dir);
    let (sent, stats) = next_run(&V1, &dir, WireFormat::Otlp);
    assert_eq!(stats.resent, 1, "{stats:?}");
    let body: serde_json::Value = serde_json::from_str(&sent[0]).unwrap();
    let record = &body["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
    // The first event of its run: ordinal 0, the millisecond alone.
    assert_eq!(record["observedTimeUnixNano"], nanos.to_string(), "{record}");
    std::fs::remove_dir_all(&dir).unwrap();
}
