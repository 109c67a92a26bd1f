//! Argilla (`schemas/argilla.yaml`): a server reporting API use and errors.
//! Switch: `ARGILLA_ENABLE_TELEMETRY=0` (off).

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext, TelemetryEnum, TelemetryEvent};

use crate::host;

/// This product's program.
pub static PRODUCT: crate::Product = crate::Product { app: &APP, version: VERSION, record_all, with_context };

/// The schema's app, consent rules and context.
pub static APP: AppMeta = telemetry_core::app_meta!("../../schemas/argilla.yaml");

/// The Argilla server release these events claim to come from.
pub const VERSION: &str = "1.29.0";

/// Sent with every event: the server and the machine it runs on.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/argilla.yaml")]
pub struct Context {
    /// The server's version.
    pub argilla_version: &'static str,
    /// The Python running it.
    pub python_version: &'static str,
    /// `platform.system()`.
    pub system: &'static str,
    /// `platform.release()`.
    pub system_release: String,
    /// `platform.machine()`.
    pub machine: &'static str,
    /// `platform.platform()`.
    pub platform: String,
}

/// This machine, as the server's Python would describe it.
pub fn context() -> Context {
    Context {
        argilla_version: VERSION,
        python_version: "3.10.14",
        system: host::system(),
        system_release: host::release(),
        machine: host::machine(),
        platform: host::platform(),
    }
}

fn with_context(b: telemetry_core::Builder) -> telemetry_core::Builder {
    b.context(context())
}

/// A client called `/api/me`.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/argilla.yaml")]
pub struct ServerInfoRequested<'a> {
    /// The `user-agent` header.
    pub user_agent: &'a str,
    /// The `accept-language` header, when the client sent one.
    pub accept_language: Option<&'a str>,
}

/// The task of a dataset.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum Task {
    /// Text classification.
    TextClassification,
    /// Token classification.
    TokenClassification,
    /// Text to text.
    #[telemetry(rename = "text2text")]
    Text2Text,
}

impl Task {
    /// The same task as a label of the `bulk_records` metric.
    pub fn label(self) -> BulkRecordsLabel {
        match self {
            Task::TextClassification => BulkRecordsLabel::TextClassification,
            Task::TokenClassification => BulkRecordsLabel::TokenClassification,
            Task::Text2Text => BulkRecordsLabel::Text2text,
        }
    }
}

// `Metrics` (`bulk_records`) and `BulkRecordsLabel`, checked against the schema.
telemetry_core::generate_metrics!("../../schemas/argilla.yaml");

/// Records were logged in bulk.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/argilla.yaml")]
pub struct BulkOperation {
    /// The dataset's task.
    pub task: Task,
    /// How many records.
    pub records: u64,
}

/// A bulk operation as the server reports it: the event, and its records
/// added to the day's total of its task (sent once the day has ended).
pub fn bulk(t: &Telemetry, metrics: &Metrics, task: Task, records: u64) {
    t.record(&BulkOperation { task, records });
    metrics.bulk_records.add(task.label(), records);
}

/// The API raised an error.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/argilla.yaml")]
pub struct ServerError<'a> {
    /// The error's code.
    pub code: &'a str,
    /// The entity type it concerns, if any.
    pub entity_type: Option<&'a str>,
}

/// `ArgillaTrainer` was used.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/argilla.yaml")]
pub struct TrainerUsed<'a> {
    /// `setfit`, `transformers`, `spacy`, `openai`.
    pub framework: &'a str,
    /// The NLP task.
    pub task_type: &'a str,
}

/// Records every event of the schema, as a server handling a few requests
/// would, and counts the bulk operations' records: returns how many events
/// were recorded (a day's counts are sent by the first run after the day).
pub fn record_all(t: &Telemetry) -> usize {
    t.record(&ServerInfoRequested { user_agent: "python-httpx/0.24.1", accept_language: None });
    t.record(&ServerInfoRequested {
        user_agent: "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
        accept_language: Some("en-US,en;q=0.9"),
    });
    let metrics: Metrics = t.metrics();
    bulk(t, &metrics, Task::TextClassification, 500);
    bulk(t, &metrics, Task::TokenClassification, 120);
    bulk(t, &metrics, Task::Text2Text, 64);
    t.record(&ServerError { code: "argilla.api.errors::EntityNotFoundError", entity_type: Some("Dataset") });
    t.record(&ServerError { code: "argilla.api.errors::GenericServerError", entity_type: None });
    t.record(&TrainerUsed { framework: "setfit", task_type: "text_classification" });
    8
}
