//! `app.identity: run` and `none` end to end (issue 21, item 4): two runs
//! (two handles, one state dir, as two processes of one install) in every
//! wire format against a loopback collector. `none`: no id in any body,
//! the formats that need one per event get the event's message id, and
//! the two runs' bodies differ only where each event differs (its message
//! id, its time, and hashes under a key made for each run). `run`: one id
//! within a run, another in the next. Neither stores an id or a key, and
//! neither sends a period's metrics (counts of several runs) under an id.
//! No request holds two runs' events (an earlier run's spooled ones), nor a
//! period's metrics beside a run's id.
#![cfg(feature = "http")]

use std::path::Path;
use std::time::Duration;

use telemetry_core::meta::AppMeta;
use telemetry_core::{EnvSource, Mode, Telemetry, WireFormat};
use telemetry_testkit::{Collector, temp_dir};

mod none {
    pub static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("schemas/identity_none.yaml");
    telemetry_core::generate_metrics!("schemas/identity_none.yaml");
    #[derive(telemetry_core::TelemetryEvent)]
    #[telemetry(schema = "schemas/identity_none.yaml")]
    pub struct Ping<'a> {
        pub n: u8,
        pub project: &'a str,
    }
}

mod run {
    pub static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("schemas/identity_run.yaml");
    telemetry_core::generate_metrics!("schemas/identity_run.yaml");
    #[derive(telemetry_core::TelemetryEvent)]
    #[telemetry(schema = "schemas/identity_run.yaml")]
    pub struct Ping<'a> {
        pub n: u8,
        pub project: &'a str,
    }
}

const FORMATS: [WireFormat; 5] =
    [WireFormat::Native, WireFormat::PostHog, WireFormat::Segment, WireFormat::Otlp, WireFormat::OtlpProtobuf];

/// One run: a handle on `dir` sending two events to a fresh collector in
/// `format`; the one request body.
fn one_run(app: &'static AppMeta, dir: &Path, format: WireFormat, record: impl Fn(&Telemetry)) -> Vec<u8> {
    let c = Collector::ok();
    let t = Telemetry::builder(app)
        .app_version("1.2.3")
        .state_dir(dir)
        .endpoint(c.url(), format)
        .api_key("K")
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .output(std::io::sink())
        .build()
        .unwrap();
    assert_eq!(t.status().mode, Mode::On);
    record(&t);
    assert!(t.flush(Duration::from_secs(5)));
    drop(t);
    let requests = c.requests();
    assert_eq!(requests.len(), 1, "{format:?}");
    requests[0].body.clone()
}

fn record_none(t: &Telemetry) {
    t.record(&none::Ping { n: 1, project: "acme" });
    t.record(&none::Ping { n: 2, project: "acme" });
}

fn record_run(t: &Telemetry) {
    t.record(&run::Ping { n: 1, project: "acme" });
    t.record(&run::Ping { n: 2, project: "acme" });
}

/// What the state dir holds: `state.json` with no id and no key (the notice
/// flag only), and no other file that could carry one.
fn assert_nothing_identifies(dir: &Path) {
    let state = std::fs::read_to_string(dir.join("state.json")).unwrap();
    assert_eq!(state, "{\n  \"version\": 1,\n  \"notice_shown\": true\n}\n");
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names.retain(|n| n != "spool" || std::fs::read_dir(dir.join("spool")).unwrap().next().is_some());
    assert_eq!(names, [".lock", "state.json"], "{dir:?}");
}

/// `body` with each UUID, each 64-hex-digit hash, each RFC 3339 time and
/// each OTLP nanosecond time and `log.record.uid` replaced by a placeholder.
fn masked(body: &str) -> String {
    let b = body.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let is_hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
    while i < b.len() {
        let rest = &b[i..];
        let uuid = rest.len() >= 36
            && rest[..36]
                .iter()
                .enumerate()
                .all(|(k, &c)| if [8, 13, 18, 23].contains(&k) { c == b'-' } else { is_hex(c) });
        let hash = rest.len() >= 64 && rest[..64].iter().all(|&c| is_hex(c));
        let time = rest.len() >= 24 && rest.starts_with(b"20") && rest[10] == b'T' && rest[23] == b'Z';
        let nanos = rest.len() >= 19 && rest[..19].iter().all(u8::is_ascii_digit);
        // OTLP's `log.record.uid`: the message id in base64url, 22 characters in quotes.
        let is_b64 = |c: &u8| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_';
        let uid = i > 0 && b[i - 1] == b'"' && rest.len() >= 23 && rest[..22].iter().all(is_b64) && rest[22] == b'"';
        let (skip, with) = match () {
            _ if uuid => (36, "<uuid>"),
            _ if uid => (22, "<uid>"),
            _ if hash => (64, "<hash>"),
            _ if time => (24, "<time>"),
            _ if nanos => (19, "<nanos>"),
            _ => {
                out.push(char::from(b[i]));
                i += 1;
                continue;
            }
        };
        out.push_str(with);
        i += skip;
    }
    out
}

fn events_of(format: WireFormat, body: &[u8]) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    match format {
        WireFormat::Otlp => v["resourceLogs"][0]["scopeLogs"][0]["logRecords"].as_array().unwrap().clone(),
        _ => v["batch"].as_array().unwrap().clone(),
    }
}

/// An OTLP JSON record's (or resource's) string attribute.
fn attribute<'v>(record: &'v serde_json::Value, key: &str) -> Option<&'v str> {
    record["attributes"].as_array().unwrap().iter().find(|a| a["key"] == key)?["value"]["stringValue"].as_str()
}

#[test]
fn identity_none_sends_no_id_and_stores_none_in_any_format() {
    for format in FORMATS {
        let dir = temp_dir("id-none");
        let first = one_run(&none::APP, &dir, format, record_none);
        assert_nothing_identifies(&dir);
        let second = one_run(&none::APP, &dir, format, record_none);
        assert_nothing_identifies(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        for body in [&first, &second] {
            let text = String::from_utf8_lossy(body);
            for id_key in ["anonymous_id", "session_id", "enduser.pseudo.id", "session.id"] {
                assert!(!text.contains(id_key), "{format:?} sends {id_key}: {text}");
            }
        }
        if format == WireFormat::OtlpProtobuf {
            continue;
        }
        // Only what each event has of its own differs between the runs.
        let (a, b) = (String::from_utf8(first.clone()).unwrap(), String::from_utf8(second).unwrap());
        assert_eq!(masked(&a), masked(&b), "{format:?}");
        if format == WireFormat::Native {
            let envelope = |n: u8| {
                format!(
                    r#"{{"event":"ping","properties":{{"n":{n},"project":"<hash>"}},"context":{{}},"message_id":"<uuid>","timestamp":"<time>","app":"id-none","app_version":"1.2.3"}}"#
                )
            };
            let batch = format!(r#"{{"batch":[{},{}],"sent_at":"<time>"}}"#, envelope(1), envelope(2));
            assert_eq!(masked(&a), batch);
        }
        let events = events_of(format, &first);
        assert_eq!(events.len(), 2);
        for e in &events {
            match format {
                WireFormat::PostHog => {
                    assert_eq!(e["distinct_id"], e["uuid"], "{e}");
                    assert!(e["properties"].get("$session_id").is_none(), "{e}");
                }
                WireFormat::Segment => {
                    assert_eq!(e["anonymousId"], e["messageId"], "{e}");
                    assert!(e["context"].get("session_id").is_none(), "{e}");
                }
                WireFormat::Native => {
                    let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
                    assert_eq!(
                        keys,
                        ["app", "app_version", "context", "event", "message_id", "properties", "timestamp"]
                    );
                }
                _ => assert!(attribute(e, "log.record.uid").is_some(), "{e}"),
            }
        }
        if format == WireFormat::Native {
            let hash = |e: &serde_json::Value| e["properties"]["project"].as_str().unwrap().to_string();
            // Within a run the key is one; each run makes its own.
            assert_eq!(hash(&events[0]), hash(&events[1]));
            let next = events_of(format, b.as_bytes());
            assert_ne!(hash(&events[0]), hash(&next[0]));
        }
    }
}

#[test]
fn identity_run_gives_one_id_per_run_and_stores_none_in_any_format() {
    for format in FORMATS {
        let dir = temp_dir("id-run");
        let first = one_run(&run::APP, &dir, format, record_run);
        let second = one_run(&run::APP, &dir, format, record_run);
        assert_nothing_identifies(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        if format == WireFormat::OtlpProtobuf {
            let text = String::from_utf8_lossy(&first);
            assert!(text.contains("enduser.pseudo.id") && text.contains("session.id"));
            continue;
        }
        let ids = |body: &[u8]| -> Vec<String> {
            // OTLP: every record's id is its resource's.
            let v: serde_json::Value = serde_json::from_slice(body).unwrap();
            let resource = &v["resourceLogs"][0]["resource"];
            events_of(format, body)
                .iter()
                .map(|e| {
                    let id = match format {
                        WireFormat::Native => e["anonymous_id"].as_str(),
                        WireFormat::PostHog => e["distinct_id"].as_str(),
                        WireFormat::Segment => e["anonymousId"].as_str(),
                        _ => attribute(resource, "enduser.pseudo.id"),
                    };
                    id.unwrap().to_string()
                })
                .collect()
        };
        let (a, b) = (ids(&first), ids(&second));
        assert_eq!(a.len(), 2);
        assert_eq!(a[0], a[1], "{format:?}: one id within a run");
        assert_eq!(b[0], b[1], "{format:?}: one id within a run");
        assert_ne!(a[0], b[0], "{format:?}: another id in the next run");
    }
}

/// An earlier version of the app kept an install id; a version with
/// `identity: run` neither sends nor keeps it, nor reads `<APP>_ANONYMOUS_ID`.
#[test]
fn a_stored_id_is_erased_and_the_id_variable_ignored() {
    let dir = temp_dir("id-erase");
    std::fs::create_dir_all(&dir).unwrap();
    let old = "11111111-2222-4333-8444-555555555555";
    let state = format!(r#"{{"version":1,"anonymous_id":"{old}","key":"{}","notice_shown":true}}"#, "ab".repeat(32));
    std::fs::write(dir.join("state.json"), state).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(dir.join("state.json"), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let pinned = "66666666-7777-4888-8999-000000000000";
    let c = Collector::ok();
    let t = Telemetry::builder(&run::APP)
        .state_dir(&dir)
        .endpoint(c.url(), WireFormat::Native)
        .with_test_knobs()
        .env(EnvSource::from_pairs([("ID_RUN_ANONYMOUS_ID", pinned)]))
        .output(std::io::sink())
        .build()
        .unwrap();
    let status = t.status().to_string();
    assert!(status.contains("(this run only: a new one each run, never stored)"), "{status}");
    t.record(&run::Ping { n: 1, project: "acme" });
    assert!(t.flush(Duration::from_secs(5)));
    drop(t);
    let body = c.requests()[0].text();
    assert!(!body.contains(old) && !body.contains(pinned), "{body}");
    assert_nothing_identifies(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn status_says_which_identity() {
    let sink = telemetry_core::MemorySink::new();
    let none = Telemetry::builder(&none::APP).for_tests(sink.clone()).build().unwrap();
    assert!(none.status().to_string().contains("  Anonymous id:  none: events carry no id\n"), "{}", none.status());
    assert_eq!(none.status().anonymous_id, None);
    none.record(&none::Ping { n: 1, project: "acme" });
    assert!(none.flush(Duration::from_secs(5)));
    let envelope = sink.take().remove(0);
    assert!(!envelope.contains("anonymous_id") && !envelope.contains("session_id"), "{envelope}");
    let run = Telemetry::builder(&run::APP).for_tests(sink).build().unwrap();
    assert!(run.status().to_string().contains("(this run only: a new one each run, never stored)"), "{}", run.status());
}

/// Three runs count a metric; the first run of the next day sends the
/// day's count. The state dir keeps counts, never an id; the `metrics`
/// event carries no id under `none`, nor under `run`, where the sending
/// run's own events do carry that run's id: the day's counts are of
/// several runs, so no run's id is put on them.
#[test]
fn metrics_keep_counts_only_and_are_sent_with_no_id() {
    fn runs<M: telemetry_core::__private::MetricSet>(
        app: &'static AppMeta,
        name: &str,
        count: impl Fn(&M),
        record: impl Fn(&Telemetry),
    ) -> Vec<serde_json::Value> {
        let dir = temp_dir(name);
        let sink = telemetry_core::MemorySink::new();
        let handle = || {
            Telemetry::builder(app)
                .state_dir(&dir)
                .shutdown_deadline(Duration::from_secs(5))
                .with_test_knobs()
                .env(EnvSource::from_pairs::<&str, &str>([]))
                .output(std::io::sink())
                .memory(sink.clone())
                .build()
                .unwrap()
        };
        for _ in 0..3 {
            let t = handle();
            count(&t.metrics());
        }
        let stored: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("metrics.json")).unwrap()).unwrap();
        let keys: Vec<&String> = stored.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["fingerprint", "start_ms", "values"], "{stored}");
        assert_eq!(stored["values"], serde_json::json!([3]));
        let state = std::fs::read_to_string(dir.join("state.json")).unwrap();
        assert_eq!(state, "{\n  \"version\": 1,\n  \"notice_shown\": true\n}\n");
        // The day ends, as the clock would move on.
        let mut moved = stored.clone();
        moved["start_ms"] = (stored["start_ms"].as_u64().unwrap() - 86_400_000).into();
        std::fs::write(dir.join("metrics.json"), moved.to_string()).unwrap();
        let t = handle();
        let _m: M = t.metrics();
        record(&t);
        assert!(t.flush(Duration::from_secs(5)));
        drop(t);
        let _ = std::fs::remove_dir_all(&dir);
        sink.take().iter().map(|e| serde_json::from_str(e).unwrap()).collect()
    }
    let keys = |e: &serde_json::Value| -> Vec<String> { e.as_object().unwrap().keys().cloned().collect() };
    let unlinked = ["app", "context", "event", "message_id", "properties", "timestamp"];
    for (sent, linked_ping) in [
        (runs(&none::APP, "id-none-metrics", |m: &none::Metrics| m.pings.add(1), record_none), false),
        (runs(&run::APP, "id-run-metrics", |m: &run::Metrics| m.pings.add(1), record_run), true),
    ] {
        let (metrics, pings): (Vec<_>, Vec<_>) = sent.iter().partition(|e| e["event"] == "metrics");
        assert_eq!(metrics.len(), 1, "{sent:?}");
        assert_eq!(metrics[0]["properties"]["metrics"], serde_json::json!({"pings": 3}));
        assert_eq!(keys(metrics[0]), unlinked, "{}", metrics[0]);
        assert_eq!(pings.len(), 2);
        for p in pings {
            assert_eq!(p.get("anonymous_id").is_some(), linked_ping, "{p}");
        }
    }
}

/// An earlier run spools its events (the collector is down), the next run
/// sends them and its own: no request holds both runs' events, so no
/// request links the runs. Each run's events are told apart by `n` (under
/// `none` nothing else tells them apart) and, under `run`, by their id.
/// With the old batching this failed: the spooled events, put in front of
/// the queue, left in the same request as the next run's.
#[test]
fn a_request_never_holds_two_runs_events() {
    use telemetry_core::{Batching, Retry};
    use telemetry_testkit::Reply;
    fn two_runs(app: &'static AppMeta, record: impl Fn(&Telemetry, u8)) -> Vec<Vec<serde_json::Value>> {
        let dir = temp_dir("id-two-runs");
        let c = Collector::start(Vec::new(), Reply::Status(503, Vec::new()));
        let handle = |deadline: Duration| {
            Telemetry::builder(app)
                .state_dir(&dir)
                .endpoint(c.url(), WireFormat::Native)
                // Nothing leaves before a flush or exit: the next run's
                // events are queued beside the spooled ones when it does.
                .batching(Batching::default().with_max_latency(Duration::from_secs(600)))
                .retry(Retry::default().with_backoff(Duration::from_millis(10), Duration::from_millis(20)))
                .shutdown_deadline(deadline)
                .with_test_knobs()
                .env(EnvSource::from_pairs::<&str, &str>([]))
                .output(std::io::sink())
                .build()
                .unwrap()
        };
        let earlier = handle(Duration::from_millis(300));
        record(&earlier, 1);
        record(&earlier, 2);
        let s = earlier.shutdown();
        assert_eq!((s.recorded, s.sent, s.spooled), (2, 0, 2), "{s:?}");
        c.set_reply(Reply::ok());
        let next = handle(Duration::from_secs(5));
        record(&next, 3);
        record(&next, 4);
        let s = next.shutdown();
        assert_eq!((s.recorded, s.sent, s.resent), (2, 2, 2), "{s:?}");
        let _ = std::fs::remove_dir_all(&dir);
        c.requests().iter().map(|r| events_of(WireFormat::Native, &r.body)).collect()
    }
    for (name, requests) in [
        ("none", two_runs(&none::APP, |t, n| t.record(&none::Ping { n, project: "acme" }))),
        ("run", two_runs(&run::APP, |t, n| t.record(&run::Ping { n, project: "acme" }))),
    ] {
        let mut delivered = Vec::new();
        let mut ids_by_run = [Vec::new(), Vec::new()];
        for events in &requests {
            let runs: Vec<usize> =
                events.iter().map(|e| usize::from(e["properties"]["n"].as_u64().unwrap() > 2)).collect();
            assert!(runs.windows(2).all(|w| w[0] == w[1]), "{name}: one request holds two runs' events: {events:?}");
            for (e, run) in events.iter().zip(runs) {
                delivered.push(e["properties"]["n"].as_u64().unwrap());
                ids_by_run[run].push(e.get("anonymous_id").cloned());
            }
        }
        delivered.sort_unstable();
        delivered.dedup();
        assert_eq!(delivered, [1, 2, 3, 4], "{name}");
        for ids in &mut ids_by_run {
            ids.dedup();
            assert_eq!(ids.len(), 1, "{name}: {ids:?}");
        }
        match name {
            "none" => assert_eq!(ids_by_run, [[None], [None]]),
            _ => assert!(ids_by_run[0][0].is_some() && ids_by_run[0] != ids_by_run[1], "{ids_by_run:?}"),
        }
    }
}

/// Under `run`, a period's `metrics` event (the counts of several runs,
/// sent with no id) leaves in a request without the sending run's events,
/// which carry that run's id: no request puts a run's id beside counts of
/// other runs. (Failed before: one request held both.)
#[test]
fn a_periods_metrics_leave_apart_from_the_sending_runs_events() {
    use telemetry_core::Batching;
    let dir = temp_dir("id-run-metrics-apart");
    let c = Collector::ok();
    let handle = || {
        Telemetry::builder(&run::APP)
            .state_dir(&dir)
            .endpoint(c.url(), WireFormat::Native)
            // Nothing leaves before the flush: everything is queued together then.
            .batching(Batching::default().with_max_latency(Duration::from_secs(600)))
            .shutdown_deadline(Duration::from_secs(5))
            .with_test_knobs()
            .env(EnvSource::from_pairs::<&str, &str>([]))
            .output(std::io::sink())
            .build()
            .unwrap()
    };
    let t = handle();
    let m: run::Metrics = t.metrics();
    m.pings.add(2);
    drop(m);
    drop(t);
    // The day ends, as the clock would move on.
    let path = dir.join("metrics.json");
    let mut stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    stored["start_ms"] = (stored["start_ms"].as_u64().unwrap() - 86_400_000).into();
    std::fs::write(&path, stored.to_string()).unwrap();
    let t = handle();
    let _m: run::Metrics = t.metrics();
    record_run(&t);
    assert!(t.flush(Duration::from_secs(5)));
    drop(t);
    let _ = std::fs::remove_dir_all(&dir);
    let requests: Vec<Vec<serde_json::Value>> =
        c.requests().iter().map(|r| events_of(WireFormat::Native, &r.body)).collect();
    let names: Vec<Vec<&str>> =
        requests.iter().map(|events| events.iter().map(|e| e["event"].as_str().unwrap()).collect()).collect();
    assert_eq!(names, [vec!["metrics"], vec!["ping", "ping"]], "{requests:?}");
    assert!(requests[0][0].get("anonymous_id").is_none() && requests[1][0].get("anonymous_id").is_some());
}
