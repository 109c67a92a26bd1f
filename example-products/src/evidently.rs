//! Evidently (`schemas/evidently.yaml`): `evidently calculate` on the
//! command line reports what it generated. Switch:
//! `EVIDENTLY_DISABLE_TELEMETRY=1` (off).

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext, TelemetryEnum, TelemetryEvent};

use crate::host;

/// This product's program.
pub static PRODUCT: crate::Product = crate::Product { app: &APP, version: VERSION, record_all, with_context };

/// The schema's app, consent rules and context.
pub static APP: AppMeta = telemetry_core::app_meta!("../../schemas/evidently.yaml");

/// The Evidently release these events claim to come from.
pub const VERSION: &str = "0.1.21.dev0";

/// The Python that runs Evidently.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml", object = "environment.python")]
pub struct Python {
    /// `3.8.2`.
    pub version: &'static str,
    /// `CPython`.
    pub interpreter: &'static str,
    /// In a conda environment.
    pub conda: bool,
    /// In a virtual environment.
    pub venv: bool,
}

/// Basic information about the environment.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml", object = "environment")]
pub struct Environment {
    /// `platform.platform()`.
    pub os: String,
    /// The Python.
    pub python: Python,
}

/// The Evidently install.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml", object = "evidently")]
pub struct Install {
    /// Its version.
    pub version: &'static str,
}

/// Sent with every event: two nested objects, as Evidently's page shows them.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml")]
pub struct Context {
    /// The environment.
    pub environment: Environment,
    /// The install.
    pub evidently: Install,
}

/// This machine, with CPython 3.8.2 in a virtual environment.
pub fn context() -> Context {
    Context {
        environment: Environment {
            os: host::platform(),
            python: Python { version: "3.8.2", interpreter: "CPython", conda: false, venv: true },
        },
        evidently: Install { version: VERSION },
    }
}

fn with_context(b: telemetry_core::Builder) -> telemetry_core::Builder {
    b.context(context())
}

/// What was generated.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum Output {
    /// An HTML report.
    Dashboard,
    /// A JSON profile.
    Profile,
}

/// A sampling method.
#[derive(TelemetryEnum, Clone, Copy)]
pub enum Method {
    /// Every row.
    None,
    /// Every nth row.
    Nth,
    /// Random rows.
    Random,
}

// `sampling.reference` and `sampling.current` are two object paths of one
// shape: one checked struct each, written once.
macro_rules! sampling_objects {
    ($($(#[$doc:meta])* $name:ident => $path:tt),*) => {$(
        $(#[$doc])*
        #[derive(TelemetryEvent)]
        #[telemetry(schema = "../../schemas/evidently.yaml", event = "usage", object = $path)]
        pub struct $name {
            /// The method.
            pub r#type: Method,
            /// Share of rows kept (random).
            pub ratio: f64,
            /// Keep every nth row (nth).
            pub n: u64,
            /// The seed of random sampling, when set.
            pub random_seed: Option<i64>,
        }
    )*};
}

sampling_objects!(
    /// How the reference data was sampled.
    ReferenceSampling => "sampling.reference",
    /// How the current data was sampled.
    CurrentSampling => "sampling.current"
);

/// How the input data was sampled.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/evidently.yaml", event = "usage", object = "sampling")]
pub struct Sampling {
    /// The reference data.
    pub reference: ReferenceSampling,
    /// The current data.
    pub current: CurrentSampling,
}

/// `evidently calculate` ran.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/evidently.yaml")]
pub struct Usage<'a> {
    /// Report or profile.
    pub r#type: Output,
    /// Sections of a profile.
    pub parts: &'a [&'a str],
    /// Tabs of a report.
    pub tabs: &'a [&'a str],
    /// How the data was sampled.
    pub sampling: Sampling,
}

/// Records every event of the schema: a profile with nth and seeded random
/// sampling, then a report with seeded random sampling of the current data only. Returns how many were recorded.
pub fn record_all(t: &Telemetry) -> usize {
    t.record(&Usage {
        r#type: Output::Profile,
        parts: &["data_drift", "cat_target_drift"],
        tabs: &[],
        sampling: Sampling {
            reference: ReferenceSampling { r#type: Method::Random, ratio: 0.1, n: 1, random_seed: Some(42) },
            current: CurrentSampling { r#type: Method::Nth, ratio: 1.0, n: 2, random_seed: None },
        },
    });
    t.record(&Usage {
        r#type: Output::Dashboard,
        parts: &[],
        tabs: &["data_drift"],
        sampling: Sampling {
            reference: ReferenceSampling { r#type: Method::None, ratio: 1.0, n: 1, random_seed: None },
            current: CurrentSampling { r#type: Method::Random, ratio: 0.25, n: 1, random_seed: Some(7) },
        },
    });
    2
}
