//! The example schema's app and `command_run` event written out by hand,
//! as the derive would write them, for the integration tests. The
//! collector, temp dirs and the readable output buffer are in
//! `telemetry-testkit`.
#![allow(dead_code)]

use telemetry_core::meta::{AppMeta, Collect, EnvSwitch, EventMeta, FieldMeta, SwitchAction, Trigger};
use telemetry_core::{PropertyWriter, TelemetryEvent};

const fn field(name: &'static str, ty: &'static str, collect: Collect, required: bool) -> FieldMeta {
    FieldMeta { name, ty, collect, required }
}

/// `schemas/example-cli.yaml`, written out by hand.
pub static APP: AppMeta = AppMeta {
    name: "example-cli",
    title: "Example CLI",
    docs_url: Some("https://example.org/example-cli/telemetry"),
    anonymous_id_env: None,
    enabled_by_default: true,
    do_not_track: true,
    env: &[EnvSwitch {
        name: "EXAMPLE_CLI_DISABLE_TELEMETRY",
        trigger: Trigger::Truthy,
        action: SwitchAction::Disable,
    }],
    context: &[
        field("os", "string", Collect::Allowed, true),
        field("arch", "string", Collect::Allowed, true),
        field("app_version", "string", Collect::Allowed, true),
        field("ci", "bool", Collect::Allowed, true),
    ],
    events: &["command_run", "telemetry_changed"],
};

/// Like [`APP`], with a log-only switch.
pub static LOGGING_APP: AppMeta = AppMeta {
    env: &[EnvSwitch { name: "TRACKING_STRATEGY", trigger: Trigger::Equals("logging"), action: SwitchAction::LogOnly }],
    ..APP
};

pub static COMMAND_RUN: EventMeta = EventMeta {
    app: "example-cli",
    name: "command_run",
    fields: &[
        field("command", "string", Collect::Allowed, true),
        field("duration_ms", "u64", Collect::Allowed, true),
        field("outcome", "enum", Collect::Allowed, true),
        field("exit_code", "i32", Collect::Allowed, true),
        field("project", "string", Collect::Hashed, true),
        field("flags", "list of string", Collect::Allowed, true),
        field("ci", "bool", Collect::Allowed, false),
    ],
};

/// The `command_run` event, as the derive would write it.
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
    fn write_properties(&self, w: &mut PropertyWriter<'_>) {
        w.str("command", self.command, Some(32));
        w.u64("duration_ms", self.duration_ms);
        w.str("outcome", if self.success { "success" } else { "failure" }, None);
        w.i64("exit_code", i64::from(self.exit_code));
        w.hashed("project", self.project);
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
pub static FOREIGN: EventMeta = EventMeta { app: "other-app", name: "command_run", fields: &[] };
impl TelemetryEvent for Foreign {
    const META: &'static EventMeta = &FOREIGN;
    fn write_properties(&self, _: &mut PropertyWriter<'_>) {}
}

/// The install's key and anonymous id, from its state file.
pub fn state_of(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("state.json")).unwrap()).unwrap()
}
