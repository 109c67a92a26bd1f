//! The schema model: what a loaded, validated schema file says.
//!
//! Every name carries the [`Loc`] of its key in the YAML file so that the
//! derive and the docs generator can point back at the line that declares it.
//!
//! The schema, the app and events are here; fields and their types are in
//! `field.rs`, the consent section in `consent.rs`, the product's
//! statements about its server in `collection.rs`.

mod collection;
mod consent;
mod field;
mod governance;
mod metric;

pub use collection::*;
pub use consent::*;
pub use field::*;
pub use governance::*;
pub use metric::*;

use crate::date::Date;
use crate::error::{Diagnostic, Loc};
use std::path::PathBuf;

#[cfg(feature = "serde")]
use serde::Serialize;

/// What a product calls its telemetry when `app.term` is not set.
pub const DEFAULT_TERM: &str = "telemetry";

/// A product's telemetry schema (one YAML file).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct Schema {
    /// Where it was loaded from.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub file: PathBuf,
    /// Format version; always 1.
    pub version: u32,
    /// The product.
    pub app: App,
    /// How users opt in and out.
    pub consent: Consent,
    /// Fields sent with every event.
    pub context: Vec<Field>,
    /// The events, in file order.
    pub events: Vec<Event>,
    /// The metrics (`metrics:`), in file order; aggregated on the device.
    pub metrics: Vec<Metric>,
    /// When the metrics' aggregates are sent (`metrics_period:`, default daily).
    pub metrics_period: MetricsPeriod,
    /// Product-wide promises of what is never collected.
    pub never_collected: Vec<NeverCollected>,
    /// What the product states about its server (`collection:`), if it states anything.
    pub collection: Option<Collection>,
    /// `schema_version: "MAJOR.MINOR"`, if the schema is versioned.
    pub schema_version: Option<SchemaVersion>,
    /// `history:`, oldest first: what each version changed in what is collected.
    pub history: Vec<HistoryEntry>,
    /// What the loader warns about (an expired event, an expiry far away):
    /// located like errors, but the schema loads.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub warnings: Vec<Diagnostic>,
}

/// The product a schema describes.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct App {
    /// Identifier: lowercase letters, digits, `-` and `_`. Names the state
    /// directory and the default `<APP>_TELEMETRY_*` variables.
    pub name: String,
    /// Human name for page titles.
    pub title: String,
    /// The product's own word for its telemetry (`app.term`, e.g.
    /// `analytics`), used by the page, the notice and `status`; `None`
    /// for "telemetry". See [`App::term`].
    pub term: Option<String>,
    /// Why the product collects telemetry and how it helps.
    pub description: String,
    /// The published "what we collect" page, linked from the first-run notice.
    pub docs_url: Option<String>,
    /// The product's privacy policy.
    pub privacy_url: Option<String>,
    /// An environment variable that, when set, replaces the random anonymous
    /// install id (`app.anonymous_id_env`, optional). For products whose users
    /// pin the id themselves, e.g. PyAirbyte's `AIRBYTE_ANALYTICS_ID`.
    pub anonymous_id_env: Option<String>,
    /// Which id the product's events carry (`app.identity`, default `install`).
    pub identity: Identity,
    /// Who answers for the telemetry: an email address or a team name
    /// (`app.owner`); an event's `owner` overrides it.
    pub owner: Option<String>,
    /// The review of the last change to the app that widened collection
    /// (an `anonymous_id_env` added or changed): a link or a reason.
    pub data_review: Option<String>,
}

impl App {
    /// The prefix of this app's own environment variables: `name` upper-cased, `-` as `_`.
    ///
    /// ```
    /// # let app = telemetry_schema::App { name: "my-cli".into(), title: String::new(), term: None,
    /// #     description: String::new(), docs_url: None, privacy_url: None, anonymous_id_env: None, owner: None,
    /// #     data_review: None, identity: telemetry_schema::Identity::Install };
    /// assert_eq!(app.env_prefix(), "MY_CLI");
    /// ```
    pub fn env_prefix(&self) -> String {
        self.name.to_ascii_uppercase().replace('-', "_")
    }

    /// The product's word for its telemetry: `app.term`, else `telemetry`.
    ///
    /// ```
    /// let s = telemetry_schema::load_str(
    ///     "version: 1\napp: { name: brew, title: Homebrew, description: x, term: analytics }\nevents: { e: { description: x } }\n",
    ///     "brew.yaml",
    /// )
    /// .unwrap();
    /// assert_eq!(s.app.term(), "analytics");
    /// ```
    pub fn term(&self) -> &str {
        self.term.as_deref().unwrap_or(DEFAULT_TERM)
    }
}

/// Which id a product's events carry: the promise `app.identity` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum Identity {
    /// A random id made on the first run and kept in the state dir: every
    /// event of one install carries the same id (the default).
    #[default]
    Install,
    /// A random id made for each run of the program and never stored:
    /// events of one run share it, runs cannot be linked by it.
    Run,
    /// No id: nothing links two events. A wire format that needs an id
    /// (PostHog's `distinct_id`, Segment's `anonymousId`) gets the event's
    /// own random message id.
    None,
}

impl Identity {
    /// The YAML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::Install => "install",
            Identity::Run => "run",
            Identity::None => "none",
        }
    }

    /// How much the id links events: `none` < `run` < `install`.
    #[cfg(feature = "diff")]
    pub(crate) fn rank(self) -> u8 {
        match self {
            Identity::None => 0,
            Identity::Run => 1,
            Identity::Install => 2,
        }
    }
}

/// An event.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct Event {
    /// snake_case name, as sent.
    pub name: String,
    /// Where its key is.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub loc: Loc,
    /// What happened and why it is collected.
    pub description: String,
    /// When it is sent (e.g. "every six hours"), if not obvious from the description.
    pub when: Option<String>,
    /// Its fields, in file order.
    pub fields: Vec<Field>,
    /// Who answers for this event, when not the app's owner.
    pub owner: Option<String>,
    /// When collection of this event ends, if declared.
    pub expires: Option<Expiry>,
    /// The review of the last change that widened what this event collects (a link or a reason).
    pub data_review: Option<String>,
}

impl Event {
    /// The field called `name`, if declared.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether the event has expired on `today`: its `expires` date is
    /// `today` or earlier. An expired event still compiles; the runtime
    /// records nothing for it.
    ///
    /// ```
    /// let s = telemetry_schema::load_str_on(
    ///     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  e: { description: x, expires: 2026-03-01 }\n",
    ///     "demo.yaml",
    ///     "2026-01-01".parse().unwrap(),
    /// )
    /// .unwrap();
    /// let e = &s.events[0];
    /// assert!(!e.expired_on("2026-02-28".parse().unwrap()));
    /// assert!(e.expired_on("2026-03-01".parse().unwrap()));
    /// ```
    pub fn expired_on(&self, today: Date) -> bool {
        matches!(self.expires, Some(Expiry::On(date)) if date <= today)
    }

    /// The event's owner, else the app's.
    pub fn owner<'a>(&'a self, app: &'a App) -> Option<&'a str> {
        self.owner.as_deref().or(app.owner.as_deref())
    }
}

impl Schema {
    /// The event called `name`, if declared.
    pub fn event(&self, name: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.name == name)
    }

    /// The metric called `name`, if declared.
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

/// A product-wide "we never collect" statement.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct NeverCollected {
    /// What is never collected.
    pub what: String,
    /// Why, if stated.
    pub reason: Option<String>,
}
