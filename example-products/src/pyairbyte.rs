//! PyAirbyte (`schemas/pyairbyte.yaml`): a Python library reporting
//! connector installs, syncs, validations and checks. Switches:
//! `DO_NOT_TRACK` (any value) and `AIRBYTE_OFFLINE_MODE` (truthy), both off.

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext, TelemetryEnum, TelemetryEvent};

use crate::host;

/// This product's program.
pub static PRODUCT: crate::Product = crate::Product { app: &APP, version: VERSION, record_all, with_context };

/// The schema's app, consent rules and context.
pub static APP: AppMeta = telemetry_core::app_meta!("../../schemas/pyairbyte.yaml");

/// The PyAirbyte release these events claim to come from.
pub const VERSION: &str = "0.20.1";

/// The script this program claims to be: only its keyed hash is sent.
pub const SCRIPT: &str = "sync_orders.py";

/// Sent with every event. `ci` is left to the runtime (well-known); `os` is
/// carried, to send it as the page shows it (`Linux`, not the runtime's `linux`).
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
pub struct Context {
    /// PyAirbyte's version.
    pub pyairbyte_version: &'static str,
    /// The Python running it.
    pub python_version: &'static str,
    /// `platform.system()`.
    pub os: &'static str,
    /// The notebook or script name: hashed as written.
    pub application_hash: &'static str,
    /// In a Jupyter notebook.
    pub notebook: bool,
    /// In Google Colab.
    pub colab: bool,
}

/// A script run from a shell, outside notebooks.
pub fn context() -> Context {
    Context {
        pyairbyte_version: VERSION,
        python_version: "3.11.9",
        os: host::system(),
        application_hash: SCRIPT,
        notebook: false,
        colab: false,
    }
}

fn with_context(b: telemetry_core::Builder) -> telemetry_core::Builder {
    b.context(context())
}

/// The state of an operation (`EventState`).
#[derive(TelemetryEnum, Clone, Copy)]
pub enum EventState {
    /// Began.
    Started,
    /// Raised.
    Failed,
    /// Worked.
    Succeeded,
    /// Stopped by the user.
    Canceled,
}

/// How a connector is installed and run.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum ConnectorType {
    /// A virtual environment PyAirbyte made.
    Venv,
    /// An executable already installed.
    LocalInstall,
    /// A Docker image.
    Docker,
    /// Not known.
    Unknown,
}

/// A connector as PyAirbyte describes it (`ConnectorRuntimeInfo`). Its
/// configuration is only ever sent as its keyed hash.
#[derive(Clone, Copy)]
pub struct Connector<'a> {
    /// `source-faker`, `destination-duckdb`.
    pub name: &'a str,
    /// Its version, when known.
    pub version: Option<&'a str>,
    /// How it runs.
    pub kind: ConnectorType,
    /// Its configuration as JSON text, when it has one.
    pub config: Option<&'a str>,
}

// The schema declares `source` and `destination` under each event, so each
// is its own object path and needs its own checked struct; they share the
// one shape, written once here.
macro_rules! connector_object {
    ($(#[$doc:meta])* $name:ident, $event:tt, $field:tt) => {
        $(#[$doc])*
        #[derive(TelemetryEvent)]
        #[telemetry(schema = "../../schemas/pyairbyte.yaml", event = $event, object = $field)]
        pub struct $name<'a> {
            name: &'a str,
            version: Option<&'a str>,
            r#type: ConnectorType,
            config_hash: Option<&'a str>,
        }

        impl<'a> From<Connector<'a>> for $name<'a> {
            fn from(c: Connector<'a>) -> Self {
                $name { name: c.name, version: c.version, r#type: c.kind, config_hash: c.config }
            }
        }
    };
}

connector_object!(/// `install.source`.
    InstallSource, "install", "source");
connector_object!(/// `install.destination`.
    InstallDestination, "install", "destination");
connector_object!(/// `sync.source`.
    SyncSource, "sync", "source");
connector_object!(/// `sync.destination`.
    SyncDestination, "sync", "destination");
connector_object!(/// `validate.source`.
    ValidateSource, "validate", "source");
connector_object!(/// `validate.destination`.
    ValidateDestination, "validate", "destination");
connector_object!(/// `check.source`.
    CheckSource, "check", "source");
connector_object!(/// `check.destination`.
    CheckDestination, "check", "destination");

/// The cache records are written to (`WriterRuntimeInfo`).
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml", event = "sync", object = "cache")]
pub struct Cache<'a> {
    /// `DuckDBCache`, `SnowflakeCache`.
    pub r#type: &'a str,
    /// The cache configuration, hashed.
    pub config_hash: Option<&'a str>,
}

/// A connector was installed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
pub struct Install<'a> {
    /// The state.
    pub state: EventState,
    /// The connector, when a source.
    pub source: Option<InstallSource<'a>>,
    /// The connector, when a destination.
    pub destination: Option<InstallDestination<'a>>,
    /// The error's class name, when failed.
    pub exception_type: Option<&'a str>,
}

/// A sync ran.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
pub struct Sync<'a> {
    /// The state.
    pub state: EventState,
    /// The source.
    pub source: Option<SyncSource<'a>>,
    /// The destination, when syncing to one.
    pub destination: Option<SyncDestination<'a>>,
    /// The cache, when syncing to one.
    pub cache: Option<Cache<'a>>,
    /// Records processed.
    pub number_of_records: Option<u64>,
    /// The error's class name, when failed.
    pub exception_type: Option<&'a str>,
}

/// A configuration was validated.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
pub struct Validate<'a> {
    /// The state.
    pub state: EventState,
    /// The connector, when a source.
    pub source: Option<ValidateSource<'a>>,
    /// The connector, when a destination.
    pub destination: Option<ValidateDestination<'a>>,
    /// The error's class name, when failed.
    pub exception_type: Option<&'a str>,
}

/// A connector's `check` finished.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
pub struct Check<'a> {
    /// The state.
    pub state: EventState,
    /// The connector, when a source.
    pub source: Option<CheckSource<'a>>,
    /// The connector, when a destination.
    pub destination: Option<CheckDestination<'a>>,
    /// The error's class name, when failed.
    pub exception_type: Option<&'a str>,
}

/// Like PyAirbyte's `log_connector_check_result` and its siblings: a name
/// starting with `destination-` is a destination, any other a source.
pub fn route<'a, S, D>(connector: Connector<'a>) -> (Option<S>, Option<D>)
where
    S: From<Connector<'a>>,
    D: From<Connector<'a>>,
{
    if connector.name.starts_with("destination-") {
        (None, Some(connector.into()))
    } else {
        (Some(connector.into()), None)
    }
}

/// Records every event of the schema, as a script that installs, validates
/// and checks two sources and two destinations, then syncs into a DuckDB
/// cache and into a destination would: returns how many were recorded.
pub fn record_all(t: &Telemetry) -> usize {
    let faker = Connector {
        name: "source-faker",
        version: Some("6.2.10"),
        kind: ConnectorType::Venv,
        config: Some(r#"{"count": 10000, "seed": 1}"#),
    };
    let file = Connector { name: "source-file", version: None, kind: ConnectorType::LocalInstall, config: None };
    let duckdb = Connector {
        name: "destination-duckdb",
        version: Some("0.5.0"),
        kind: ConnectorType::Docker,
        config: Some(r#"{"destination_path": "md:analytics"}"#),
    };
    let custom = Connector { name: "destination-custom", version: None, kind: ConnectorType::Unknown, config: None };
    let mut n = 0;
    for (c, state, error) in [
        (faker, EventState::Succeeded, None),
        (file, EventState::Started, None),
        (duckdb, EventState::Canceled, None),
        (custom, EventState::Failed, Some("AirbyteConnectorInstallationError")),
    ] {
        let (source, destination) = route(c);
        t.record(&Install { state, source, destination, exception_type: error });
        let (source, destination) = route(c);
        t.record(&Validate { state, source, destination, exception_type: error });
        let (source, destination) = route(c);
        t.record(&Check { state, source, destination, exception_type: error });
        n += 3;
    }
    let duckdb_cache = || Cache { r#type: "DuckDBCache", config_hash: Some(r#"{"schema_name": "main"}"#) };
    t.record(&Sync {
        state: EventState::Succeeded,
        source: Some(faker.into()),
        destination: None,
        cache: Some(duckdb_cache()),
        number_of_records: Some(12_500),
        exception_type: None,
    });
    t.record(&Sync {
        state: EventState::Started,
        source: Some(file.into()),
        destination: None,
        cache: Some(Cache { r#type: "SnowflakeCache", config_hash: None }),
        number_of_records: None,
        exception_type: None,
    });
    t.record(&Sync {
        state: EventState::Failed,
        source: Some(faker.into()),
        destination: Some(duckdb.into()),
        cache: None,
        number_of_records: Some(0),
        exception_type: Some("AirbyteConnectorFailedError"),
    });
    // Canceled before a source was chosen: only the destination is known.
    t.record(&Sync {
        state: EventState::Canceled,
        source: None,
        destination: Some(custom.into()),
        cache: None,
        number_of_records: None,
        exception_type: None,
    });
    n + 4
}
