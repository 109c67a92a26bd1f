//! The `collection` section of the model: what a product states about its
//! own server — how long it keeps the events, who runs the collector and
//! where, who can see the data, and what it does with the sender's IP
//! address. These are the product's statements, not something the toolkit
//! enforces: the page says so beside each of them.

use crate::error::Loc;

#[cfg(feature = "serde")]
use serde::Serialize;

/// What a product states about what happens to the data on its server
/// (`collection:`). Every statement is optional: what is not stated, the
/// page says is not stated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct Collection {
    /// How long the collector keeps the events.
    pub retention: Option<Retention>,
    /// Who runs the collector (`operator`), e.g. `The Homebrew project`.
    pub operator: Option<String>,
    /// What the collector runs on (`service`), e.g. `InfluxDB`.
    pub service: Option<String>,
    /// Where the data is kept (`location`), e.g. `EU (Frankfurt)`.
    pub location: Option<String>,
    /// Who can see the events (`viewers`), in file order; empty when not stated.
    pub viewers: Vec<String>,
    /// Whether, and where, aggregates of the data are published.
    pub public_aggregates: Option<PublicAggregates>,
    /// What the collector does with the sender's IP address.
    pub ip_address: Option<IpAddress>,
    /// The review of the last change to these statements that widened collection.
    pub data_review: Option<String>,
    /// Where the section's key is.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub loc: Loc,
}

impl Collection {
    /// Whether the section states anything (a section with only a
    /// `data_review` states nothing).
    ///
    /// ```
    /// let s = telemetry_schema::load_str(
    ///     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents: { e: { description: x } }\ncollection: { retention_days: 365, ip_address: not_stored }\n",
    ///     "demo.yaml",
    /// )
    /// .unwrap();
    /// let c = s.collection.as_ref().unwrap();
    /// assert_eq!(c.retention, Some(telemetry_schema::Retention::Days(365)));
    /// assert_eq!(c.ip_address, Some(telemetry_schema::IpAddress::NotStored));
    /// assert!(c.states_anything());
    /// ```
    pub fn states_anything(&self) -> bool {
        self.retention.is_some()
            || self.operator.is_some()
            || self.service.is_some()
            || self.location.is_some()
            || !self.viewers.is_empty()
            || self.public_aggregates.is_some()
            || self.ip_address.is_some()
    }
}

/// How long the collector keeps the events.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum Retention {
    /// `retention_days: N`: at most N days.
    Days(u32),
    /// `retention: TEXT`: the product's own words, when it does not count in days.
    Stated(String),
}

/// Aggregates of the data that the product publishes (`public_aggregates`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum PublicAggregates {
    /// Published at this https URL.
    At(String),
    /// `true`: published, at no address the product states.
    Unlinked,
}

/// What the collector does with the IP address a request comes from
/// (`ip_address`), from the least kept to the most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum IpAddress {
    /// `not_stored`: the collector sees the address and does not keep it.
    NotStored,
    /// `truncated`: it keeps a shortened form only (such as the first three
    /// numbers of an IPv4 address), never the whole address.
    Truncated,
    /// `stored`: it keeps the address.
    Stored,
}

impl IpAddress {
    /// The keyword, as written in the schema.
    pub fn keyword(self) -> &'static str {
        match self {
            IpAddress::NotStored => "not_stored",
            IpAddress::Truncated => "truncated",
            IpAddress::Stored => "stored",
        }
    }
}
