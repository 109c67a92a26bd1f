//! Automatisch (`schemas/automatisch.yaml`): a workflow server. Events when
//! flows, steps and connections change and when flows run; diagnostics
//! every six hours while it runs. Switch: `TELEMETRY_ENABLED=false` (off).

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext, TelemetryEnum, TelemetryEvent};

use crate::host;

/// This product's program.
pub static PRODUCT: crate::Product = crate::Product { app: &APP, version: VERSION, record_all, with_context };

/// The schema's app, consent rules and context.
pub static APP: AppMeta = telemetry_core::app_meta!("../../schemas/automatisch.yaml");

/// The Automatisch release these events claim to come from.
pub const VERSION: &str = "0.10.0";

/// Sent with every event. The struct cannot carry the email, password or
/// full name the schema forbids: such a field does not compile.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/automatisch.yaml")]
pub struct Context {
    /// The organization's random id, made at install.
    pub organization_id: &'static str,
}

/// The organization of this instance.
pub fn context() -> Context {
    Context { organization_id: "5b2f8e1c-3a4d-4e6f-9a7b-1c2d3e4f5a6b" }
}

fn with_context(b: telemetry_core::Builder) -> telemetry_core::Builder {
    b.context(context())
}

/// A flow was created.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/automatisch.yaml")]
pub struct FlowCreated<'a> {
    /// The flow's random id.
    pub flow_id: &'a str,
}

/// A flow was changed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/automatisch.yaml")]
pub struct FlowUpdated<'a> {
    /// The flow's random id.
    pub flow_id: &'a str,
    /// Switched on.
    pub active: bool,
}

/// A step is the flow's trigger or one of its actions.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum StepType {
    /// Starts the flow.
    Trigger,
    /// Runs when the flow does.
    Action,
}

/// Whether a step is fully set up.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum StepStatus {
    /// Not yet.
    Incomplete,
    /// Yes.
    Completed,
}

// The schema declares `step_created` and `step_updated` (and the two
// connection events) with the same fields; each event needs its own checked
// struct, so the shape is written once and stamped per event.
macro_rules! step_events {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        #[derive(TelemetryEvent)]
        #[telemetry(schema = "../../schemas/automatisch.yaml")]
        pub struct $name<'a> {
            /// The step's random id.
            pub step_id: &'a str,
            /// Its flow's random id.
            pub flow_id: &'a str,
            /// Trigger or action.
            pub r#type: StepType,
            /// The integration, once chosen.
            pub app_key: Option<&'a str>,
            /// The integration's trigger or action, once chosen.
            pub key: Option<&'a str>,
            /// Position in the flow.
            pub position: u16,
            /// Set up or not.
            pub status: StepStatus,
        }
    )*};
}

macro_rules! connection_events {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        #[derive(TelemetryEvent)]
        #[telemetry(schema = "../../schemas/automatisch.yaml")]
        pub struct $name<'a> {
            /// The connection's random id.
            pub connection_id: &'a str,
            /// The integration connected.
            pub app_key: &'a str,
            /// Whether it works.
            pub verified: bool,
        }
    )*};
}

step_events!(
    /// A step was added to a flow.
    StepCreated,
    /// A step was changed.
    StepUpdated
);
connection_events!(
    /// A connection was added, without credentials.
    ConnectionCreated,
    /// A connection was changed or re-verified, without credentials.
    ConnectionUpdated
);

/// A flow ran.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/automatisch.yaml")]
pub struct ExecutionCreated<'a> {
    /// The execution's random id.
    pub execution_id: &'a str,
    /// The flow's random id.
    pub flow_id: &'a str,
    /// A test run from the editor.
    pub test_run: bool,
}

/// How one step of an execution ended.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum ExecutionStatus {
    /// It worked.
    Success,
    /// It failed.
    Failure,
}

/// One step of an execution finished.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/automatisch.yaml")]
pub struct ExecutionStepCreated<'a> {
    /// Its random id.
    pub execution_step_id: &'a str,
    /// The execution's random id.
    pub execution_id: &'a str,
    /// The step's random id.
    pub step_id: &'a str,
    /// How it ended.
    pub status: ExecutionStatus,
}

/// Which service this process is.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum ServiceType {
    /// The web and API service.
    Main,
    /// A queue worker.
    Worker,
}

/// Diagnostics about the instance, sent every six hours.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/automatisch.yaml")]
pub struct Diagnostics {
    /// The running version.
    pub automatisch_version: &'static str,
    /// Main or worker.
    pub service_type: ServiceType,
    /// `Linux`, `Darwin`, `Windows_NT`.
    pub os_type: String,
    /// The kernel release.
    pub os_version: String,
    /// CPU cores available.
    pub cpu_cores: u16,
    /// The CPU model name.
    pub cpu_model: String,
    /// Total memory.
    pub total_memory_mb: u64,
    /// Free memory.
    pub free_memory_mb: u64,
}

/// Diagnostics of this machine now, as Node's `os` module reports them to
/// Automatisch (`os.type()`, `os.release()`, `os.cpus()`, `os.totalmem()`,
/// `os.freemem()`); figures this platform does not expose are 0 or empty.
pub fn diagnostics(service_type: ServiceType) -> Diagnostics {
    // Node's `os.type()` says `Windows_NT` where Python says `Windows`.
    let os_type = if cfg!(windows) { "Windows_NT" } else { host::system() };
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let meminfo = read("/proc/meminfo");
    let field = |text: &str, key: &str| {
        text.lines().find_map(|l| l.strip_prefix(key)?.trim_start().strip_prefix(':').map(|v| v.trim().to_string()))
    };
    let mem_mb = |key: &str| {
        field(&meminfo, key).and_then(|v| v.trim_end_matches("kB").trim().parse::<u64>().ok()).unwrap_or(0) / 1024
    };
    Diagnostics {
        automatisch_version: VERSION,
        service_type,
        os_type: os_type.to_string(),
        os_version: host::release(),
        cpu_cores: std::thread::available_parallelism().map_or(0, |n| n.get().try_into().unwrap_or(u16::MAX)),
        cpu_model: field(&cpuinfo, "model name").unwrap_or_default(),
        total_memory_mb: mem_mb("MemTotal"),
        free_memory_mb: mem_mb("MemAvailable"),
    }
}

/// How often Automatisch sends its diagnostics (the schema's `when`).
pub const DIAGNOSTICS_EVERY: std::time::Duration = std::time::Duration::from_secs(6 * 60 * 60);

/// Schedules the diagnostics of this service every `period` while it runs
/// (normally [`DIAGNOSTICS_EVERY`]); they stop when the guard is dropped or
/// the handle shuts down.
pub fn serve(t: &Telemetry, service_type: ServiceType, period: std::time::Duration) -> telemetry_core::Periodic {
    t.every(period, move || diagnostics(service_type))
}

/// Records every event of the schema, as an instance would while a user
/// builds and runs a flow: returns how many were recorded.
pub fn record_all(t: &Telemetry) -> usize {
    let flow = "8d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
    let (trigger, action) = ("2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b");
    let connection = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b";
    let execution = "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d";
    t.record(&FlowCreated { flow_id: flow });
    // A new step has no integration yet: `app_key` and `key` are left out.
    t.record(&StepCreated {
        step_id: trigger,
        flow_id: flow,
        r#type: StepType::Trigger,
        app_key: None,
        key: None,
        position: 1,
        status: StepStatus::Incomplete,
    });
    // Edited again before its integration was chosen: still no `app_key` nor `key`.
    t.record(&StepUpdated {
        step_id: trigger,
        flow_id: flow,
        r#type: StepType::Trigger,
        app_key: None,
        key: None,
        position: 1,
        status: StepStatus::Incomplete,
    });
    t.record(&StepUpdated {
        step_id: trigger,
        flow_id: flow,
        r#type: StepType::Trigger,
        app_key: Some("github"),
        key: Some("newIssues"),
        position: 1,
        status: StepStatus::Completed,
    });
    t.record(&StepCreated {
        step_id: action,
        flow_id: flow,
        r#type: StepType::Action,
        app_key: Some("slack"),
        key: Some("sendMessageToChannel"),
        position: 2,
        status: StepStatus::Completed,
    });
    t.record(&ConnectionCreated { connection_id: connection, app_key: "slack", verified: false });
    t.record(&ConnectionUpdated { connection_id: connection, app_key: "slack", verified: true });
    t.record(&FlowUpdated { flow_id: flow, active: true });
    t.record(&ExecutionCreated { execution_id: execution, flow_id: flow, test_run: false });
    t.record(&ExecutionStepCreated {
        execution_step_id: "9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
        execution_id: execution,
        step_id: trigger,
        status: ExecutionStatus::Success,
    });
    t.record(&ExecutionStepCreated {
        execution_step_id: "0d1e2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a",
        execution_id: execution,
        step_id: action,
        status: ExecutionStatus::Failure,
    });
    t.record(&diagnostics(ServiceType::Main));
    t.record(&diagnostics(ServiceType::Worker));
    13
}
