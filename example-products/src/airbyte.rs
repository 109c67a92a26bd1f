//! Airbyte (`schemas/airbyte.yaml`): the web app's page views and the
//! server's finished jobs. Switch: `TRACKING_STRATEGY=logging` (log only).

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext, TelemetryEnum, TelemetryEvent};

/// This product's program.
pub static PRODUCT: crate::Product = crate::Product { app: &APP, version: VERSION, record_all, with_context };

/// The schema's app, consent rules and context.
pub static APP: AppMeta = telemetry_core::app_meta!("../../schemas/airbyte.yaml");

/// The Airbyte release these events claim to come from.
pub const VERSION: &str = "0.63.4";

/// Self-managed (open source) or Airbyte Cloud.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum DeploymentMode {
    /// Self-managed.
    Oss,
    /// Airbyte Cloud.
    Cloud,
}

/// How a self-managed instance runs.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum DeploymentEnv {
    /// Docker Compose.
    Docker,
    /// Kubernetes.
    Kube,
}

/// Sent with every event.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/airbyte.yaml")]
pub struct Context {
    /// Self-managed or Cloud.
    pub deployment_mode: DeploymentMode,
    /// Docker or Kubernetes.
    pub deployment_env: DeploymentEnv,
}

/// A self-managed instance on Docker, as `DEPLOYMENT_MODE` and the
/// deployment's own settings say it.
pub fn context() -> Context {
    Context { deployment_mode: DeploymentMode::Oss, deployment_env: DeploymentEnv::Docker }
}

fn with_context(b: telemetry_core::Builder) -> telemetry_core::Builder {
    b.context(context())
}

/// A page of the web app was opened.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/airbyte.yaml")]
pub struct WebappPageViewed<'a> {
    /// The route name, never the URL.
    pub page: &'a str,
}

/// What a job did.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum JobType {
    /// Moved records.
    Sync,
    /// Cleared a connection's data.
    ResetConnection,
    /// Checked a connector's configuration.
    CheckConnection,
    /// Discovered a source's streams.
    DiscoverSchema,
}

/// How a job ended.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum JobStatus {
    /// It worked.
    Succeeded,
    /// It failed.
    Failed,
    /// Someone stopped it.
    Cancelled,
}

/// A job of the server finished.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/airbyte.yaml")]
pub struct SyncJobFinished<'a> {
    /// What the job did.
    pub job_type: JobType,
    /// How it ended.
    pub status: JobStatus,
    /// `source-postgres`, or `custom`.
    pub source_connector: &'a str,
    /// The source connector's version.
    pub source_connector_version: &'a str,
    /// `destination-bigquery`, or `custom`.
    pub destination_connector: &'a str,
    /// The destination connector's version.
    pub destination_connector_version: &'a str,
    /// Wall time in seconds.
    pub duration_seconds: u64,
    /// Records moved (sync jobs only).
    pub records_synced: Option<u64>,
    /// Bytes moved (sync jobs only).
    pub bytes_synced: Option<u64>,
}

/// Records every event of the schema once or more, as an instance would
/// during a working day: returns how many were recorded.
pub fn record_all(t: &Telemetry) -> usize {
    t.record(&WebappPageViewed { page: "connections" });
    t.record(&WebappPageViewed { page: "source_new" });
    t.record(&SyncJobFinished {
        job_type: JobType::Sync,
        status: JobStatus::Succeeded,
        source_connector: "source-postgres",
        source_connector_version: "3.6.2",
        destination_connector: "destination-bigquery",
        destination_connector_version: "2.4.0",
        duration_seconds: 93,
        records_synced: Some(15_000),
        bytes_synced: Some(2_097_152),
    });
    // A custom connector's name could identify the organization: sent as `custom`.
    t.record(&SyncJobFinished {
        job_type: JobType::CheckConnection,
        status: JobStatus::Failed,
        source_connector: "custom",
        source_connector_version: "0.1.0",
        destination_connector: "destination-postgres",
        destination_connector_version: "2.0.9",
        duration_seconds: 4,
        records_synced: None,
        bytes_synced: None,
    });
    t.record(&SyncJobFinished {
        job_type: JobType::ResetConnection,
        status: JobStatus::Cancelled,
        source_connector: "source-stripe",
        source_connector_version: "5.4.1",
        destination_connector: "destination-snowflake",
        destination_connector_version: "3.11.0",
        duration_seconds: 12,
        records_synced: Some(0),
        bytes_synced: None,
    });
    t.record(&SyncJobFinished {
        job_type: JobType::DiscoverSchema,
        status: JobStatus::Succeeded,
        source_connector: "source-github",
        source_connector_version: "1.8.7",
        destination_connector: "destination-duckdb",
        destination_connector_version: "0.5.0",
        duration_seconds: 7,
        records_synced: None,
        bytes_synced: None,
    });
    6
}
