//! The example schema's app and `command_run` event written out by hand,
//! as the derive would write them, for the integration tests. The
//! collector, temp dirs and the readable output buffer are in
//! `telemetry-testkit`.
#![allow(dead_code)]

use std::time::Duration;
use telemetry_core::__private::{AppParts, app_meta, env_switch, event_meta, field_meta};
use telemetry_core::meta::{AppMeta, Collect, EventMeta, FieldMeta, FirstRun, HashScope, SwitchAction, Trigger};

use telemetry_core::{PropertyWriter, TelemetryEvent};

const fn field(name: &'static str, ty: &'static str, collect: Collect, required: bool) -> FieldMeta {
    field_meta(name, ty, collect, required, None, &[])
}

/// `schemas/example-cli.yaml`, written out by hand (through `__private`:
/// `AppMeta`'s fields are private), for tests to vary field by field.
pub const PARTS: AppParts = AppParts {
    name: "example-cli",
    title: "Example CLI",
    term: "telemetry",
    docs_url: Some("https://example.org/example-cli/telemetry"),
    anonymous_id_env: None,
    identity: telemetry_core::meta::Identity::Install,
    enabled_by_default: true,
    do_not_track: true,
    env: &[env_switch("EXAMPLE_CLI_DISABLE_TELEMETRY", Trigger::Truthy, SwitchAction::Disable)],
    first_run: FirstRun::Send,
    opt_out_command: Some("example-cli telemetry disable"),
    context: &[
        field("os", "string", Collect::Allowed, true),
        field("arch", "string", Collect::Allowed, true),
        field("app_version", "string", Collect::Allowed, true),
        field("ci", "bool", Collect::Allowed, true),
    ],
    events: &["command_run", "telemetry_changed"],
    product_hashed: &[],
    fingerprint: telemetry_core::meta::Fingerprint::NONE,
    schema_version: None,
};

/// [`PARTS`] as an app.
pub static APP: AppMeta = app_meta(PARTS);

/// Like [`APP`], with a log-only switch.
pub static LOGGING_APP: AppMeta = app_meta(AppParts {
    env: &[env_switch("TRACKING_STRATEGY", Trigger::Equals("logging"), SwitchAction::LogOnly)],
    ..PARTS
});

pub static COMMAND_RUN: EventMeta = event_meta(
    "example-cli",
    "command_run",
    &[
        field("command", "string", Collect::Allowed, true),
        field("duration_ms", "u64", Collect::Allowed, true),
        field("outcome", "enum", Collect::Allowed, true),
        field("exit_code", "i32", Collect::Allowed, true),
        field("project", "string", Collect::Hashed(HashScope::Install), true),
        field("flags", "list of string", Collect::Allowed, true),
        field("ci", "bool", Collect::Allowed, false),
    ],
    telemetry_core::meta::Fingerprint::NONE,
    None,
);

/// The `command_run` event, as the derive would write it. Written by hand
/// (naming `__private::Derived`, outside the privacy guarantee) so these
/// tests of the runtime control every byte.
pub struct CommandRun<'a> {
    pub command: &'a str,
    pub duration_ms: u64,
    pub success: bool,
    pub exit_code: i32,
    pub project: &'a str,
    pub flags: Vec<&'a str>,
    pub ci: Option<bool>,
}

impl TelemetryEvent for CommandRun<'_> {
    const META: &'static EventMeta = &COMMAND_RUN;
    const DERIVED: telemetry_core::__private::Derived = telemetry_core::__private::DERIVED;
    fn write_properties(&self, w: &mut PropertyWriter<'_>) {
        w.str("command", self.command, Some(32));
        w.u64("duration_ms", self.duration_ms);
        w.str("outcome", if self.success { "success" } else { "failure" }, None);
        w.i64("exit_code", i64::from(self.exit_code));
        w.hashed("project", self.project, HashScope::Install);
        w.list("flags", |l| {
            for f in &self.flags {
                l.str(f, Some(32));
            }
        });
        if let Some(ci) = self.ci {
            w.bool("ci", ci);
        }
    }
}

/// A `command_run` numbered by `duration_ms`.
pub fn run(n: u64) -> CommandRun<'static> {
    CommandRun {
        command: "build",
        duration_ms: n,
        success: true,
        exit_code: 0,
        project: "acme-website",
        flags: vec!["release"],
        ci: None,
    }
}

/// The exact properties JSON of [`run`]`(n)` under `key_hex`.
pub fn run_properties(n: u64, key_hex: &str) -> String {
    let key: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&key_hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    let h = telemetry_core::Hasher::new(&key).hash_hex("acme-website");
    format!(
        r#"{{"command":"build","duration_ms":{n},"outcome":"success","exit_code":0,"project":"{h}","flags":["release"]}}"#
    )
}

/// An event of another app.
pub struct Foreign;
pub static FOREIGN: EventMeta =
    event_meta("other-app", "command_run", &[], telemetry_core::__private::fingerprint(1), None);
impl TelemetryEvent for Foreign {
    const META: &'static EventMeta = &FOREIGN;
    const DERIVED: telemetry_core::__private::Derived = telemetry_core::__private::DERIVED;
    fn write_properties(&self, _: &mut PropertyWriter<'_>) {}
}

/// The install's key and anonymous id, from its state file.
pub fn state_of(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("state.json")).unwrap()).unwrap()
}

/// A builder for [`APP`] with state in `dir`, an empty environment, no
/// notice and a 5 s exit deadline.
pub fn quiet_builder(dir: &std::path::Path) -> telemetry_core::TestBuilder {
    telemetry_core::Telemetry::builder(&APP)
        .app_version("1.2.3")
        .state_dir(dir)
        .notice(false)
        .shutdown_deadline(Duration::from_secs(5))
        .with_test_knobs()
        .env(telemetry_core::EnvSource::from_pairs::<&str, &str>([]))
}

/// `b` sending to a collector at `url` that is down: the backoff outlasts
/// the 100 ms exit deadline, so what is recorded is left over at exit.
pub fn giving_up_at_exit(b: telemetry_core::TestBuilder, url: &str) -> telemetry_core::TestBuilder {
    b.settings(|b| {
        b.endpoint(url, telemetry_core::WireFormat::Native)
            .retry(telemetry_core::Retry::default().with_backoff(Duration::from_secs(30), Duration::from_secs(30)))
            .shutdown_deadline(Duration::from_millis(100))
    })
}

/// The names in `dir`, sorted.
pub fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// The message ids of native batches, in the order sent.
pub fn message_ids(reqs: &[telemetry_testkit::Request]) -> Vec<String> {
    reqs.iter()
        .flat_map(|r| {
            r.json()["batch"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["message_id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `VmRSS` and `VmHWM` (peak) of this process in KiB, from /proc (Linux).
pub fn memory_kib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        status.lines().find_map(|l| l.strip_prefix(name))?.split_whitespace().next()?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Samples [`telemetry_core::Telemetry::queued`] every 200 µs until `done`;
/// returns the peak of each.
pub fn peak_queued(t: &telemetry_core::Telemetry, done: &std::sync::atomic::AtomicBool) -> telemetry_core::Queued {
    let mut max = telemetry_core::Queued::default();
    while !done.load(std::sync::atomic::Ordering::SeqCst) {
        let now = t.queued();
        max = telemetry_core::Queued { events: max.events.max(now.events), bytes: max.bytes.max(now.bytes) };
        std::thread::sleep(Duration::from_micros(200));
    }
    max
}

/// The events (log records, batch items) of one request body in `format`;
/// OTLP protobuf decoded by opentelemetry-proto.
pub fn events_in(format: telemetry_core::WireFormat, body: &[u8]) -> usize {
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use prost::Message;
    use telemetry_core::WireFormat;
    if format == WireFormat::OtlpProtobuf {
        let req = ExportLogsServiceRequest::decode(body).expect("an OTLP logs request");
        return req.resource_logs.iter().flat_map(|r| &r.scope_logs).map(|s| s.log_records.len()).sum();
    }
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    match format {
        WireFormat::Otlp => v["resourceLogs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["scopeLogs"].as_array().unwrap())
            .map(|s| s["logRecords"].as_array().unwrap().len())
            .sum(),
        _ => v["batch"].as_array().unwrap().len(),
    }
}
