//! PyAirbyte's telemetry as a user of the toolkit writes it: a crate of its
//! own, outside the toolkit's workspace, whose context and events are derived
//! from `schemas/pyairbyte.yaml` and checked against it at compile time.
//!
//! ```
//! use pyairbyte_user::{APP, Context};
//! use telemetry_core::{MemorySink, Telemetry};
//!
//! let sink = MemorySink::new();
//! let telemetry = Telemetry::builder(&APP)
//!     .context(Context::script("0.20.1", "3.11.9", "sync_orders.py"))
//!     .for_tests(sink.clone())
//!     .build()
//!     .unwrap();
//! assert_eq!(pyairbyte_user::record_all(&telemetry), 8);
//! telemetry.shutdown();
//! assert_eq!(sink.take().len(), 8);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext, TelemetryEnum, TelemetryEvent};

/// PyAirbyte's app, consent switches and context keys, from its schema.
pub static APP: AppMeta = telemetry_core::app_meta!("../../../schemas/pyairbyte.yaml");

/// Sent with every event. The schema's other keys, `os` and `ci`, are
/// well-known: the runtime fills them.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../../schemas/pyairbyte.yaml")]
pub struct Context {
    /// PyAirbyte's version.
    pub pyairbyte_version: &'static str,
    /// The Python interpreter's version.
    pub python_version: String,
    /// The notebook or script using PyAirbyte: `hashed`, so only its keyed
    /// hash leaves the machine.
    pub application_hash: String,
    /// Running in a Jupyter notebook.
    pub notebook: bool,
    /// Running in Google Colab.
    pub colab: bool,
}

impl Context {
    /// The context of a Python script run from a shell, outside any notebook.
    pub fn script(pyairbyte_version: &'static str, python_version: &str, script: &str) -> Context {
        Context {
            pyairbyte_version,
            python_version: python_version.to_string(),
            application_hash: script.to_string(),
            notebook: false,
            colab: false,
        }
    }
}

/// Where an operation stands (`EventState` in PyAirbyte).
#[derive(TelemetryEnum, Clone, Copy)]
pub enum State {
    /// It began.
    Started,
    /// It raised.
    Failed,
    /// It worked.
    Succeeded,
    /// The user stopped it.
    Canceled,
}

/// How a connector is installed and run.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum ConnectorType {
    /// In a virtual environment PyAirbyte made.
    Venv,
    /// An executable already on the machine.
    LocalInstall,
    /// A Docker image.
    Docker,
    /// Not known.
    Unknown,
}

/// A connector as the application knows it; its configuration is sent only
/// as its keyed hash.
#[derive(Clone, Copy)]
pub struct Connector<'a> {
    /// Such as `source-faker` or `destination-duckdb`.
    pub name: &'a str,
    /// Its version, when known.
    pub version: Option<&'a str>,
    /// How it runs.
    pub kind: ConnectorType,
    /// Its configuration as JSON text, when it has one.
    pub config: Option<&'a str>,
}

// Each event declares its own `source` and `destination` objects, so each
// object path is checked against its own struct; one shape serves them all.
macro_rules! connector_objects {
    ($($name:ident = $event:literal . $object:literal;)*) => {$(
        #[doc = concat!("`", $event, ".", $object, "`: a [`Connector`] as that event sends it.")]
        #[derive(TelemetryEvent)]
        #[telemetry(schema = "../../../schemas/pyairbyte.yaml", event = $event, object = $object)]
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
    )*};
}

connector_objects! {
    InstallSource = "install"."source";
    InstallDestination = "install"."destination";
    SyncSource = "sync"."source";
    SyncDestination = "sync"."destination";
    ValidateSource = "validate"."source";
    ValidateDestination = "validate"."destination";
    CheckSource = "check"."source";
    CheckDestination = "check"."destination";
}

/// `sync.cache`: the cache records are written to.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/pyairbyte.yaml", event = "sync", object = "cache")]
pub struct Cache<'a> {
    /// Such as `DuckDBCache`.
    pub r#type: &'a str,
    /// The cache's configuration, hashed.
    pub config_hash: Option<&'a str>,
}

/// A connector was installed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/pyairbyte.yaml")]
pub struct Install<'a> {
    /// Where it stands.
    pub state: State,
    /// The connector, when a source.
    pub source: Option<InstallSource<'a>>,
    /// The connector, when a destination.
    pub destination: Option<InstallDestination<'a>>,
    /// The error's class name, when it failed; never its message.
    pub exception_type: Option<&'a str>,
}

/// A configuration was validated.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/pyairbyte.yaml")]
pub struct Validate<'a> {
    /// Where it stands.
    pub state: State,
    /// The connector, when a source.
    pub source: Option<ValidateSource<'a>>,
    /// The connector, when a destination.
    pub destination: Option<ValidateDestination<'a>>,
    /// The error's class name, when it failed.
    pub exception_type: Option<&'a str>,
}

/// A connector's `check` finished.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/pyairbyte.yaml")]
pub struct Check<'a> {
    /// Where it stands.
    pub state: State,
    /// The connector, when a source.
    pub source: Option<CheckSource<'a>>,
    /// The connector, when a destination.
    pub destination: Option<CheckDestination<'a>>,
    /// The error's class name, when it failed.
    pub exception_type: Option<&'a str>,
}

/// A sync ran.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/pyairbyte.yaml")]
pub struct Sync<'a> {
    /// Where it stands.
    pub state: State,
    /// The source.
    pub source: Option<SyncSource<'a>>,
    /// The destination, when syncing to one.
    pub destination: Option<SyncDestination<'a>>,
    /// The cache, when syncing to one.
    pub cache: Option<Cache<'a>>,
    /// Records processed, when counted.
    pub number_of_records: Option<u64>,
    /// The error's class name, when it failed.
    pub exception_type: Option<&'a str>,
}

/// The source `record_all` uses; its configuration is only sent hashed.
pub const FAKER: Connector<'static> =
    Connector { name: "source-faker", version: Some("6.2.10"), kind: ConnectorType::Venv, config: Some(FAKER_CONFIG) };

/// `FAKER`'s configuration, which must never appear in what is sent.
pub const FAKER_CONFIG: &str = r#"{"count": 10000, "seed": 1}"#;

/// Records every event of the schema as one script would, each state and
/// connector type at least once, optional fields both set and left out:
/// returns how many events it recorded.
pub fn record_all(t: &Telemetry) -> usize {
    let duckdb = Connector { name: "destination-duckdb", version: None, kind: ConnectorType::Docker, config: None };
    let local =
        Connector { name: "source-file", version: Some("0.5.1"), kind: ConnectorType::LocalInstall, config: None };
    let custom = Connector { name: "destination-custom", version: None, kind: ConnectorType::Unknown, config: None };
    let events: [&dyn Fn(); 8] = [
        &|| {
            t.record(&Install {
                state: State::Succeeded,
                source: Some(FAKER.into()),
                destination: None,
                exception_type: None,
            })
        },
        &|| {
            let error = Some("AirbyteConnectorInstallationError");
            t.record(&Install {
                state: State::Failed,
                source: None,
                destination: Some(custom.into()),
                exception_type: error,
            })
        },
        &|| {
            t.record(&Validate {
                state: State::Started,
                source: Some(local.into()),
                destination: None,
                exception_type: None,
            })
        },
        &|| {
            t.record(&Validate {
                state: State::Canceled,
                source: None,
                destination: Some(duckdb.into()),
                exception_type: None,
            })
        },
        &|| {
            t.record(&Check {
                state: State::Succeeded,
                source: Some(FAKER.into()),
                destination: None,
                exception_type: None,
            })
        },
        &|| {
            let error = Some("AirbyteConnectorCheckFailedError");
            t.record(&Check {
                state: State::Failed,
                source: None,
                destination: Some(duckdb.into()),
                exception_type: error,
            })
        },
        &|| {
            t.record(&Sync {
                state: State::Succeeded,
                source: Some(FAKER.into()),
                destination: None,
                cache: Some(Cache { r#type: "DuckDBCache", config_hash: Some(r#"{"schema_name": "main"}"#) }),
                number_of_records: Some(10_000),
                exception_type: None,
            })
        },
        &|| {
            t.record(&Sync {
                state: State::Failed,
                source: Some(local.into()),
                destination: Some(duckdb.into()),
                cache: None,
                number_of_records: None,
                exception_type: Some("AirbyteConnectorFailedError"),
            })
        },
    ];
    events.iter().for_each(|record| record());
    events.len()
}
