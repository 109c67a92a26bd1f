//! Delivery against a real HTTP collector on 127.0.0.1: every wire format,
//! retries, rejections, spooling across runs, and exit with a hanging peer.
#![cfg(feature = "http")]

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use telemetry_core::{EnvSource, Retry, Stats, Telemetry, TestBuilder, WireFormat};
use telemetry_testkit::{Collector, Encoding, Reply, Request, temp_dir};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn builder(dir: &Path) -> TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .notice(false)
        .retry(Retry::default().with_backoff(ms(5), ms(20)))
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
}

fn key_of(dir: &Path) -> String {
    state_of(dir)["key"].as_str().unwrap().to_string()
}

fn stats(recorded: u64, sent: u64, retried: u64, spooled: u64, dropped: u64, resent: u64) -> Stats {
    Stats { recorded, sent, retried, spooled, dropped, resent, ..Stats::default() }
}

/// The native body, checked field by field with unknown fields refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeBatch<'a> {
    #[serde(borrow)]
    batch: Vec<NativeEnvelope<'a>>,
    sent_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeEnvelope<'a> {
    event: String,
    #[serde(borrow)]
    properties: &'a RawValue,
    #[serde(borrow)]
    context: &'a RawValue,
    anonymous_id: String,
    session_id: String,
    message_id: String,
    timestamp: String,
    app: String,
    app_version: String,
}

fn is_rfc3339_millis_utc(s: &str) -> bool {
    s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.' && humantime::parse_rfc3339(s).is_ok()
}

fn expected_context() -> String {
    format!(
        r#"{{"os":"{}","arch":"{}","app_version":"1.2.3","ci":false}}"#,
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

#[test]
fn native_format_exact_envelopes() {
    let dir = temp_dir("native");
    let c = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(format!("{}/ingest", c.url()), WireFormat::Native)).build().unwrap();
    t.record(&run(1));
    t.record(&run(2));
    let session = t.status().clone();
    assert_eq!(t.shutdown(), stats(2, 2, 0, 0, 0, 0));
    let reqs = c.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!((reqs[0].method.as_str(), reqs[0].path.as_str()), ("POST", "/ingest"));
    assert_eq!(reqs[0].header("content-type"), Some("application/json"));
    let text = reqs[0].text();
    let body: NativeBatch<'_> = serde_json::from_str(&text).unwrap();
    assert!(is_rfc3339_millis_utc(&body.sent_at));
    let key = key_of(&dir);
    let ids: HashSet<&str> = body.batch.iter().map(|e| e.message_id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    for (n, e) in body.batch.iter().enumerate() {
        assert_eq!(e.event, "command_run");
        assert_eq!(e.properties.get(), run_properties(n as u64 + 1, &key));
        assert_eq!(e.context.get(), expected_context());
        assert_eq!(Some(&e.anonymous_id), session.anonymous_id.as_ref());
        assert_eq!(e.anonymous_id, state_of(&dir)["anonymous_id"].as_str().unwrap());
        assert_eq!(uuid::Uuid::parse_str(&e.message_id).unwrap().get_version_num(), 4);
        assert_eq!(uuid::Uuid::parse_str(&e.session_id).unwrap().get_version_num(), 7);
        assert!(is_rfc3339_millis_utc(&e.timestamp), "{}", e.timestamp);
        assert_eq!((e.app.as_str(), e.app_version.as_str()), ("example-cli", "1.2.3"));
    }
    // Key order of the envelope, as the generated JSON Schema documents it.
    let first = &text[text.find("[{").unwrap()..];
    let order = [
        "\"event\":",
        "\"properties\":",
        "\"context\":",
        "\"anonymous_id\":",
        "\"session_id\":",
        "\"message_id\":",
        "\"timestamp\":",
        "\"app\":",
        "\"app_version\":",
    ];
    let mut at = 0;
    for k in order {
        let (before, after) = first.split_at(at);
        let found = after.find(k).unwrap_or_else(|| panic!("{k} not after {before}"));
        at += found + k.len();
        // Skip the value of properties/context (objects) so their keys are not taken for envelope keys.
        if k == "\"properties\":" || k == "\"context\":" {
            at += after[found + k.len()..].find('}').unwrap();
        }
    }
    assert!(!text.contains("acme-website"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Segment's `POST /v1/batch`, per its HTTP API docs: required fields, no others.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentBatch<'a> {
    #[serde(borrow)]
    batch: Vec<SegmentTrack<'a>>,
    #[serde(rename = "sentAt")]
    sent_at: Option<String>,
    context: Option<serde_json::Value>,
    integrations: Option<serde_json::Value>,
    #[serde(rename = "writeKey")]
    write_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentTrack<'a> {
    #[serde(rename = "type")]
    kind: String,
    event: String,
    #[serde(borrow)]
    properties: &'a RawValue,
    context: Option<serde_json::Value>,
    integrations: Option<serde_json::Value>,
    #[serde(rename = "anonymousId")]
    anonymous_id: Option<String>,
    #[serde(rename = "userId")]
    user_id: Option<String>,
    #[serde(rename = "messageId")]
    message_id: Option<String>,
    timestamp: Option<String>,
}

#[test]
fn segment_format() {
    let dir = temp_dir("segment");
    let c = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(c.url(), WireFormat::Segment).api_key("wk")).build().unwrap();
    t.record(&run(7));
    let session_id = t.status().anonymous_id.clone().unwrap();
    assert_eq!(t.shutdown(), stats(1, 1, 0, 0, 0, 0));
    let reqs = c.requests();
    assert_eq!(reqs[0].path, "/v1/batch");
    // Basic auth, write key as user, empty password: base64("wk:").
    assert_eq!(reqs[0].header("authorization"), Some("Basic d2s6"));
    let text = reqs[0].text();
    let body: SegmentBatch<'_> = serde_json::from_str(&text).unwrap();
    assert!(body.context.is_none() && body.integrations.is_none() && body.write_key.is_none());
    assert!(is_rfc3339_millis_utc(&body.sent_at.unwrap()));
    let e = &body.batch[0];
    assert_eq!((e.kind.as_str(), e.event.as_str()), ("track", "command_run"));
    assert_eq!(e.properties.get(), run_properties(7, &key_of(&dir)));
    assert_eq!(e.anonymous_id.as_deref(), Some(session_id.as_str()));
    assert!(e.user_id.is_none() && e.integrations.is_none());
    assert_eq!(uuid::Uuid::parse_str(e.message_id.as_deref().unwrap()).unwrap().get_version_num(), 4);
    assert!(is_rfc3339_millis_utc(e.timestamp.as_deref().unwrap()));
    let ctx = e.context.as_ref().unwrap();
    assert_eq!(ctx["app"], serde_json::json!({"name": "example-cli", "version": "1.2.3"}));
    assert_eq!(ctx["os"], serde_json::json!({"name": std::env::consts::OS}));
    assert_eq!(ctx["library"]["name"], "telemetry-core");
    assert_eq!(ctx["arch"], std::env::consts::ARCH);
    assert_eq!(ctx["ci"], false);
    // Segment records the sender's IP address for `direct: true` or an `ip`: neither is sent.
    assert!(ctx.get("ip").is_none() && ctx.get("direct").is_none());
    let session = uuid::Uuid::parse_str(ctx["session_id"].as_str().unwrap()).unwrap();
    assert_eq!(session.get_version_num(), 7, "PostHog's sessions need UUIDv7");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// PostHog's `POST /batch/`, per its capture API docs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PostHogBatch<'a> {
    api_key: String,
    historical_migration: Option<bool>,
    #[serde(borrow)]
    batch: Vec<PostHogEvent<'a>>,
    sent_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PostHogEvent<'a> {
    event: String,
    #[serde(borrow)]
    properties: &'a RawValue,
    distinct_id: Option<String>,
    uuid: Option<String>,
    timestamp: Option<String>,
}

#[test]
fn posthog_format() {
    let dir = temp_dir("posthog");
    let c = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(c.url(), WireFormat::PostHog).api_key("phc_test")).build().unwrap();
    t.record(&run(3));
    let anon = t.status().anonymous_id.clone().unwrap();
    assert_eq!(t.shutdown(), stats(1, 1, 0, 0, 0, 0));
    let reqs = c.requests();
    assert_eq!(reqs[0].path, "/batch/");
    let text = reqs[0].text();
    let body: PostHogBatch<'_> = serde_json::from_str(&text).unwrap();
    assert_eq!(body.api_key, "phc_test");
    assert!(body.historical_migration.is_none());
    assert!(is_rfc3339_millis_utc(&body.sent_at));
    let e = &body.batch[0];
    assert_eq!(e.event, "command_run");
    assert_eq!(e.distinct_id.as_deref(), Some(anon.as_str()));
    let message_id = e.uuid.clone().unwrap();
    assert!(is_rfc3339_millis_utc(e.timestamp.as_deref().unwrap()));
    let props: serde_json::Value = serde_json::from_str(e.properties.get()).unwrap();
    let session = props["$session_id"].as_str().unwrap().to_string();
    let event_props = run_properties(3, &key_of(&dir));
    assert_eq!(
        e.properties.get(),
        format!(
            r#"{},"$session_id":"{session}","$lib":"telemetry-core","$lib_version":"{}","$app_name":"example-cli","$app_version":"1.2.3","$os":"{}","context.arch":"{}","context.ci":false,"$geoip_disable":true,"$process_person_profile":false}}"#,
            event_props.strip_suffix('}').unwrap(),
            env!("CARGO_PKG_VERSION"),
            match std::env::consts::OS {
                "linux" => "Linux",
                "macos" => "Mac OS X",
                "windows" => "Windows",
                other => other,
            },
            std::env::consts::ARCH,
        )
    );
    assert_eq!(uuid::Uuid::parse_str(&session).unwrap().get_version_num(), 7, "PostHog's sessions need UUIDv7");
    assert_eq!(uuid::Uuid::parse_str(&message_id).unwrap().get_version_num(), 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every key of `ours` is in `theirs` with the same value: nothing we sent
/// was ignored by the peer's parser.
fn is_subset(ours: &serde_json::Value, theirs: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (ours, theirs) {
        (Object(a), Object(b)) => a.iter().all(|(k, v)| b.get(k).is_some_and(|w| is_subset(v, w))),
        (Array(a), Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(v, w)| is_subset(v, w)),
        (a, b) => a == b,
    }
}

#[test]
fn otlp_format_parses_as_export_logs_request() {
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use opentelemetry_proto::tonic::common::v1::{AnyValue, ArrayValue, KeyValue, any_value::Value};

    let dir = temp_dir("otlp");
    let c = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(format!("{}/", c.url()), WireFormat::Otlp)).build().unwrap();
    t.record(&run(5));
    let anon = t.status().anonymous_id.clone().unwrap();
    assert_eq!(t.shutdown(), stats(1, 1, 0, 0, 0, 0));
    let reqs = c.requests();
    assert_eq!(reqs[0].path, "/v1/logs");
    let req: ExportLogsServiceRequest = serde_json::from_slice(&reqs[0].body).unwrap();
    let theirs = serde_json::to_value(&req).unwrap();
    assert!(is_subset(&reqs[0].json(), &theirs), "{}\nvs\n{theirs}", reqs[0].text());

    let s = |v: &str| Some(AnyValue { value: Some(Value::StringValue(v.into())) });
    let kv = |k: &str, value| KeyValue { key: k.into(), value, ..Default::default() };
    let rl = &req.resource_logs[0];
    let resource = &rl.resource.as_ref().unwrap().attributes;
    // The ids every record of the process shares are the resource's.
    let session = resource.iter().find(|a| a.key == "session.id").unwrap().clone();
    assert_eq!(
        resource,
        &vec![
            kv("service.name", s("example-cli")),
            kv("service.version", s("1.2.3")),
            kv("os.type", s(if cfg!(target_os = "macos") { "darwin" } else { std::env::consts::OS })),
            kv(
                "host.arch",
                s(match std::env::consts::ARCH {
                    "x86_64" => "amd64",
                    "aarch64" => "arm64",
                    other => other,
                })
            ),
            kv("app.ci", Some(AnyValue { value: Some(Value::BoolValue(false)) })),
            session,
            kv("enduser.pseudo.id", s(&anon)),
        ]
    );
    let scope = &rl.scope_logs[0];
    assert_eq!(scope.scope.as_ref().unwrap().name, "telemetry-core");
    // This APP has no schema_version (the corpus has one: a scope attribute).
    assert!(scope.scope.as_ref().unwrap().attributes.is_empty());
    let rec = &scope.log_records[0];
    assert_eq!(rec.event_name, "command_run");
    assert_eq!(rec.body, None, "the event name is event_name only");
    assert_eq!(rec.severity_number, 9);
    // The observed time only, as the OpenTelemetry SDK sends an event.
    assert_eq!(rec.time_unix_nano, 0);
    assert!(rec.observed_time_unix_nano > 1_600_000_000_000_000_000);
    let key = key_of(&dir);
    let hash = serde_json::from_str::<serde_json::Value>(&run_properties(5, &key)).unwrap()["project"]
        .as_str()
        .unwrap()
        .to_string();
    let int = |i| Some(AnyValue { value: Some(Value::IntValue(i)) });
    let expected = vec![
        kv("command", s("build")),
        kv("duration_ms", int(5)),
        kv("outcome", s("success")),
        kv("exit_code", int(0)),
        kv("project", s(&hash)),
        kv(
            "flags",
            Some(AnyValue { value: Some(Value::ArrayValue(ArrayValue { values: vec![s("release").unwrap()] })) }),
        ),
    ];
    // No log.record.uid: the resource's session.id and the record's time identify it.
    assert_eq!(rec.attributes, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn retries_on_500_503_and_429_with_retry_after() {
    let dir = temp_dir("retry");
    let c = Collector::start(
        vec![
            Reply::Status(500, vec![]),
            Reply::Status(503, vec![]),
            Reply::Status(429, vec![("Retry-After", "1".into())]),
        ],
        Reply::Status(200, vec![]),
    );
    let t = builder(&dir).settings(|b| b.endpoint(c.url(), WireFormat::Native)).build().unwrap();
    t.record(&run(1));
    t.record(&run(2));
    assert!(t.flush(Duration::from_secs(10)));
    assert_eq!(t.shutdown(), stats(2, 2, 6, 0, 0, 0));
    let reqs = c.requests();
    assert_eq!(reqs.len(), 4);
    // The same batch each time (same message ids).
    let ids = |r: &Request| -> Vec<String> {
        r.json()["batch"].as_array().unwrap().iter().map(|e| e["message_id"].as_str().unwrap().to_string()).collect()
    };
    assert!(reqs.iter().all(|r| ids(r) == ids(&reqs[0])));
    // Retry-After: 1 was honoured.
    assert!(reqs[3].at - reqs[2].at >= ms(990), "{:?}", reqs[3].at - reqs[2].at);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_retry_on_400() {
    let dir = temp_dir("400");
    let c = Collector::start(vec![Reply::Status(400, vec![])], Reply::Status(200, vec![]));
    let t = builder(&dir).settings(|b| b.endpoint(c.url(), WireFormat::Native)).build().unwrap();
    t.record(&run(1));
    t.record(&run(2));
    assert!(t.flush(Duration::from_secs(10)));
    assert_eq!(t.shutdown(), stats(2, 0, 0, 0, 2, 0));
    assert_eq!(c.requests().len(), 1);
    assert!(!dir.join("spool").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn spooled_at_exit_and_sent_once_by_next_run() {
    let dir = temp_dir("spool");
    let down = Collector::start(Vec::new(), Reply::Status(503, vec![]));
    // Backoff longer than the exit deadline: the worker gives up at once.
    let t = builder(&dir)
        .settings(|b| {
            b.endpoint(down.url(), WireFormat::Native)
                .retry(Retry::default().with_backoff(Duration::from_secs(30), Duration::from_secs(30)))
                .shutdown_deadline(ms(100))
        })
        .build()
        .unwrap();
    for n in 0..3 {
        t.record(&run(n));
    }
    assert!(!t.flush(ms(200)));
    assert_eq!(t.shutdown(), stats(3, 0, 0, 3, 0, 0));
    let first_ids = message_ids(&down.requests()[..1]);
    assert_eq!(std::fs::read_dir(dir.join("spool")).unwrap().count(), 1);

    let up = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(up.url(), WireFormat::Native)).build().unwrap();
    t.record(&run(10));
    assert_eq!(t.shutdown(), stats(1, 1, 0, 0, 0, 3));
    let got = message_ids(&up.requests());
    assert_eq!(got.len(), 4, "each event exactly once");
    assert_eq!(got.iter().collect::<HashSet<_>>().len(), 4);
    assert_eq!(&got[..3], &first_ids[..], "spooled events first, in order");
    // The earlier run's events in a request of their own: no request holds two runs' events.
    assert_eq!(message_ids(&up.requests()[..1]), first_ids);
    assert_eq!(up.requests().len(), 2);
    assert_eq!(std::fs::read_dir(dir.join("spool")).unwrap().count(), 0);

    // A third run has nothing left to resend.
    let t = builder(&dir).settings(|b| b.endpoint(up.url(), WireFormat::Native)).build().unwrap();
    assert_eq!(t.shutdown(), stats(0, 0, 0, 0, 0, 0));
    assert_eq!(up.requests().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Each OTLP record's key, `(session.id, observed time)`, of protobuf
/// bodies: the records carry no `log.record.uid`.
fn otlp_keys(reqs: &[Request]) -> Vec<(String, u64)> {
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use opentelemetry_proto::tonic::common::v1::any_value::Value;
    use prost::Message;
    let mut keys = Vec::new();
    for r in reqs {
        for rl in ExportLogsServiceRequest::decode(r.body.as_slice()).unwrap().resource_logs {
            let resource = rl.resource.unwrap().attributes;
            let session = resource.iter().find(|a| a.key == "session.id").unwrap();
            let Some(Value::StringValue(session)) = session.value.clone().and_then(|v| v.value) else { panic!() };
            for rec in rl.scope_logs.iter().flat_map(|s| &s.log_records) {
                assert!(rec.attributes.iter().all(|a| a.key != "log.record.uid"), "{rec:?}");
                keys.push((session.clone(), rec.observed_time_unix_nano));
            }
        }
    }
    keys
}

/// The dedup promise without a per-record id: a burst (many events in one
/// millisecond) gets a time each, unique in the run; the batch the down
/// collector saw and the same events spooled and sent by the next run
/// carry the same keys, so a collector drops the second copy.
#[test]
fn otlp_records_keep_their_session_and_time_key_through_the_spool() {
    let dir = temp_dir("otlp-key");
    let down = Collector::start(Vec::new(), Reply::Status(503, vec![]));
    let t = builder(&dir)
        .settings(|b| {
            b.endpoint(down.url(), WireFormat::OtlpProtobuf)
                .retry(Retry::default().with_backoff(Duration::from_secs(30), Duration::from_secs(30)))
                .shutdown_deadline(ms(100))
        })
        .build()
        .unwrap();
    for n in 0..200 {
        t.record(&run(n));
    }
    assert!(!t.flush(ms(200)));
    assert_eq!(t.shutdown().spooled, 200);
    // What the down collector was sent (at least one batch, maybe not all 200).
    let first = otlp_keys(&down.requests());
    assert!(!first.is_empty());

    let up = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(up.url(), WireFormat::OtlpProtobuf)).build().unwrap();
    t.record(&run(10));
    assert_eq!(t.shutdown().resent, 200);
    let again = otlp_keys(&up.requests());
    assert_eq!(again.len(), 201);
    let resent = &again[..200];
    assert_eq!(resent.iter().collect::<HashSet<_>>().len(), 200, "a key per record");
    assert!(resent.windows(2).all(|w| w[0].0 == w[1].0 && w[0].1 < w[1].1), "one session, times increase");
    for key in &first {
        assert!(resent.contains(key), "{key:?} sent again under another key");
    }
    assert_ne!(again[200].0, resent[0].0, "the next run is another session");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hanging_collector_exit_within_deadline_then_next_run_delivers() {
    let dir = temp_dir("hang");
    let hang = Collector::start(Vec::new(), Reply::Hang);
    let t = builder(&dir)
        .settings(|b| {
            b.endpoint(hang.url(), WireFormat::Native)
                .retry(Retry::default().with_backoff(ms(5), ms(20)).with_request_timeout(Duration::from_secs(30)))
                .shutdown_deadline(ms(100))
        })
        .build()
        .unwrap();
    for n in 0..5 {
        t.record(&run(n));
    }
    // Let the request reach the collector, so it hangs mid-request.
    let start = Instant::now();
    while hang.requests().is_empty() && start.elapsed() < Duration::from_secs(10) {
        t.flush(ms(20));
    }
    let start = Instant::now();
    let s = t.shutdown();
    // Generous guard: the request timeout is 30 s, the deadline 100 ms.
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert_eq!(s, stats(5, 0, 0, 5, 0, 0));

    let up = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(up.url(), WireFormat::Native)).build().unwrap();
    assert_eq!(t.shutdown(), stats(0, 0, 0, 0, 0, 5));
    // The hanging peer saw the batch but never acknowledged it; the collector
    // that answers gets each event exactly once. Deduped on message id, the
    // union is exactly the 5 events.
    let delivered = message_ids(&up.requests());
    assert_eq!(delivered.len(), 5);
    let seen_by_hang = message_ids(&hang.requests());
    let union: HashSet<&String> = delivered.iter().chain(&seen_by_hang).collect();
    assert_eq!(union.len(), 5);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn message_ids_are_unique_v4() {
    let dir = temp_dir("ids");
    let c = Collector::ok();
    let t = builder(&dir).settings(|b| b.endpoint(c.url(), WireFormat::Native)).build().unwrap();
    for n in 0..1200 {
        t.record(&run(n));
    }
    assert_eq!(t.shutdown(), stats(1200, 1200, 0, 0, 0, 0));
    let ids = message_ids(&c.requests());
    assert_eq!(ids.len(), 1200);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 1200, "unique across id pool refills");
    // Batches of at most 500 events (the default).
    let sizes: Vec<usize> = c.requests().iter().map(|r| r.json()["batch"].as_array().unwrap().len()).collect();
    assert!(sizes.len() >= 3 && sizes.iter().all(|&n| n <= 500), "{sizes:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn insecure_endpoints_rejected_at_build() {
    use telemetry_core::BuildError;
    let dir = temp_dir("insecure");
    let b = builder(&dir).env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")]));
    let b = |url: &str, format| b.clone().settings(|b| b.endpoint(url, format));
    let err = b("http://collector.example.org/ingest", WireFormat::Native).build().unwrap_err();
    assert_eq!(err, BuildError::InsecureEndpoint { url: "http://collector.example.org/ingest".into() });
    assert_eq!(
        err.to_string(),
        "telemetry endpoint \"http://collector.example.org/ingest\" uses plain http: use https://, or http:// only to 127.0.0.1, localhost or [::1]"
    );
    assert!(b("ftp://127.0.0.1/", WireFormat::Native).build().is_err());
    assert!(b("not a url", WireFormat::Native).build().is_err());
    for ok in ["https://collector.example.org", "http://localhost:1", "http://[::1]:1", "http://127.0.0.1:1"] {
        assert!(b(ok, WireFormat::Native).build().is_ok(), "{ok}");
    }
    assert_eq!(
        b("https://eu.i.posthog.com", WireFormat::PostHog).build().unwrap_err(),
        BuildError::MissingApiKey { format: WireFormat::PostHog }
    );
    assert!(!dir.exists());
}

/// `Compression::Gzip`: every format that accepts it sends `Content-Encoding:
/// gzip`, its content type unchanged, and the body gunzips (the testkit's
/// collector, with flate2) to what the format writes: the event with its
/// properties. (That the bytes equal the uncompressed body's is
/// `transport::http::gzip`'s unit test.)
#[test]
fn gzip_bodies_decode_to_the_format() {
    let key_props = |dir: &Path| run_properties(3, &key_of(dir));
    for format in [WireFormat::PostHog, WireFormat::Segment, WireFormat::Otlp, WireFormat::OtlpProtobuf] {
        let dir = temp_dir("gzip");
        let c = Collector::ok();
        let t = builder(&dir)
            .settings(|b| {
                b.endpoint(c.url(), format).api_key("phc_test").compression(telemetry_core::Compression::Gzip)
            })
            .build()
            .unwrap();
        t.record(&run(3));
        assert_eq!(t.shutdown(), stats(1, 1, 0, 0, 0, 0), "{format:?}");
        let reqs = c.requests();
        assert_eq!(reqs[0].header("content-encoding"), Some("gzip"), "{format:?}");
        assert_eq!(reqs[0].header("content-type"), Some(format.content_type()), "{format:?}");
        assert_eq!(reqs[0].encoding, Encoding::Gzip, "{format:?}");
        let plain = reqs[0].body.clone();
        let props = key_props(&dir);
        if format == WireFormat::OtlpProtobuf {
            use prost::Message;
            let req = opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest::decode(&plain[..]);
            let records: usize =
                req.unwrap().resource_logs.iter().flat_map(|r| &r.scope_logs).map(|s| s.log_records.len()).sum();
            assert_eq!(records, 1);
        } else {
            let text = String::from_utf8(plain).unwrap();
            assert!(text.contains("command_run"), "{format:?}: {text}");
            let command = serde_json::from_str::<serde_json::Value>(&props).unwrap()["command"].clone();
            assert!(text.contains(&command.to_string()), "{format:?}: {text}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// `Compression::Auto`: a body over `AUTO_MIN_BYTES` gzipped (the header
/// says so, the body inflates to the format's), a smaller one and every
/// native body as written; one event of a CLI goes as written in every
/// format, a batch of 20 gzipped except native.
#[test]
fn auto_compression_gzips_only_bodies_over_the_bound() {
    use telemetry_core::Compression;
    let formats =
        [WireFormat::Native, WireFormat::PostHog, WireFormat::Segment, WireFormat::Otlp, WireFormat::OtlpProtobuf];
    for format in formats {
        for events in [1, 20] {
            let dir = temp_dir("auto-gzip");
            let c = Collector::ok();
            let t = builder(&dir)
                .settings(|b| {
                    // One request at shutdown, whatever the worker's timing.
                    let batching = telemetry_core::Batching::default().with_max_latency(Duration::from_secs(60));
                    b.endpoint(c.url(), format).api_key("phc_test").compression(Compression::Auto).batching(batching)
                })
                .build()
                .unwrap();
            for n in 0..events {
                t.record(&run(n));
            }
            assert_eq!(t.shutdown().sent, events, "{format:?}");
            let mut seen = 0;
            assert_eq!(c.requests().len(), 1, "{format:?}");
            for r in c.requests() {
                let gzipped = r.header("content-encoding") == Some("gzip");
                let plain = r.body.clone();
                assert_eq!(r.encoding, if gzipped { Encoding::Gzip } else { Encoding::Identity }, "{format:?}");
                if gzipped {
                    assert!(r.wire_len < plain.len(), "{format:?}");
                }
                assert_eq!(r.header("content-encoding").is_some(), gzipped, "{format:?}");
                let over = plain.len() > Compression::AUTO_MIN_BYTES;
                assert_eq!(gzipped, over && format != WireFormat::Native, "{format:?}: {} bytes", plain.len());
                if events == 1 {
                    assert!(!gzipped, "{format:?}: one event, {} bytes", plain.len());
                }
                if events == 20 {
                    assert_eq!(gzipped, format != WireFormat::Native, "{format:?}");
                }
                seen += events_in(format, &plain);
            }
            assert_eq!(seen, events as usize, "{format:?}");
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
}
