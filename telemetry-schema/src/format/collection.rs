//! The `collection` section as the editor sees it: what a product states
//! about its own server. The loader (`parse/collection.rs`) is the authority;
//! the bounds here are its bounds.

#![allow(dead_code)] // The fields exist for their schema; nothing reads them.

use schemars::JsonSchema;
use serde::Deserialize;

/// What the product states about what happens to the data on its server.
/// The page shows these as the product's own statements, apart from what
/// the toolkit enforces. Every key is optional; what is left out, the page
/// says is not stated.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = { "required": ["retention_days", "retention"] }))]
pub struct CollectionSpec {
    /// How many days the collector keeps the events, at most (1 to 36500).
    #[serde(default)]
    #[schemars(range(min = 1, max = 36500))]
    pub retention_days: Option<u32>,
    /// The retention in the product's own words, when it does not count in days (not with `retention_days`).
    #[serde(default)]
    #[schemars(pattern("^[^\\n\\r]*\\S[^\\n\\r]*$"), length(max = 200))]
    pub retention: Option<String>,
    /// Who runs the collector, e.g. `The Homebrew project`.
    #[serde(default)]
    #[schemars(pattern("^[^\\n\\r]*\\S[^\\n\\r]*$"), length(max = 100))]
    pub operator: Option<String>,
    /// What the collector runs on, e.g. `InfluxDB`.
    #[serde(default)]
    #[schemars(pattern("^[^\\n\\r]*\\S[^\\n\\r]*$"), length(max = 100))]
    pub service: Option<String>,
    /// Where the data is kept, e.g. `EU (Frankfurt)`.
    #[serde(default)]
    #[schemars(pattern("^[^\\n\\r]*\\S[^\\n\\r]*$"), length(max = 100))]
    pub location: Option<String>,
    /// Who can see the events, one entry each (1 to 16, no repeats).
    #[serde(default)]
    #[schemars(length(min = 1, max = 16), extend("uniqueItems" = true))]
    pub viewers: Option<Vec<ViewerSpec>>,
    /// Where aggregates of the data are published (a plain https URL), or `true` when the product names no address.
    #[serde(default)]
    pub public_aggregates: Option<PublicAggregatesSpec>,
    /// What the collector does with the sender's IP address.
    #[serde(default)]
    pub ip_address: Option<IpAddressSpec>,
    /// The review of the last change to these statements that widened collection: a link or a reason.
    #[serde(default)]
    #[schemars(length(min = 10))]
    pub data_review: Option<String>,
}

/// Who can see the events: one line of at most 100 characters.
#[derive(Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct ViewerSpec(#[schemars(pattern("^[^\\n\\r]*\\S[^\\n\\r]*$"), length(max = 100))] pub String);

/// Where aggregates are published.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PublicAggregatesSpec {
    /// The address: a plain https URL.
    At(
        #[schemars(pattern("^https://[A-Za-z0-9._~:?#@!$+,;=%&-][A-Za-z0-9._~:/?#@!$+,;=%&-]*$"))]
        String,
    ),
    /// `true`: published, at no stated address.
    Published(#[schemars(extend("const" = true))] bool),
}

/// What the collector does with the sender's IP address.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IpAddressSpec {
    /// The collector sees it and does not keep it.
    NotStored,
    /// It keeps a shortened form only, never the whole address.
    Truncated,
    /// It keeps the address.
    Stored,
}
