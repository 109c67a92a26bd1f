//! What changed between two versions of a schema, classified for a privacy
//! review, and the gate that decides whether the change is ready.
//!
//! [`compare`] lists every change per app, event and field (context keys and
//! consent too), each with its classes: it may widen collection, narrow it,
//! break collectors, need a review (how users opt out), or change wording
//! only; one change can carry two classes (removing a field narrows
//! collection and breaks collectors).
//! [`gate`] adds the findings: the version bump each class needs, a
//! `data_review` on every widened item, a `history` entry that lists what
//! widened and narrowed, and published versions left as they were.
//!
//! ```
//! use telemetry_schema::{diff, load_str_on};
//! let today = "2026-01-01".parse().unwrap();
//! let before = load_str_on(
//!     "version: 1\nschema_version: \"1.0\"\napp: { name: demo, title: Demo, description: x }\nevents:\n  e:\n    description: x\n    fields:\n      a: { collect: hashed, type: string, description: x }\n",
//!     "demo.yaml", today).unwrap();
//! let after = load_str_on(
//!     "version: 1\nschema_version: \"1.0\"\napp: { name: demo, title: Demo, description: x }\nevents:\n  e:\n    description: x\n    fields:\n      a: { collect: allowed, type: string, description: x }\n",
//!     "demo.yaml", today).unwrap();
//! let verdict = diff::gate(&[before], &[after]);
//! assert!(!verdict.passed());
//! let change = &verdict.apps[0].changes[0];
//! assert_eq!(change.item, "e.a");
//! assert_eq!(change.classes, [diff::Class::Widens]);
//! assert_eq!(change.what, "collect: hashed -> allowed");
//! assert!(diff::human(&verdict).contains("error: `e.a` widens collection (collect: hashed -> allowed)"));
//! ```

mod collection;
mod compare;
mod consent;
mod expiry;
mod gate;
mod metrics;
mod out;
mod report;
mod switches;
mod types;

pub use compare::compare;
pub use gate::{gate, gate_app, gate_on};
pub use report::human;
#[cfg(feature = "serde")]
pub use report::json;

use crate::model::SchemaVersion;
use std::fmt;

#[cfg(feature = "serde")]
use serde::Serialize;

/// What a change does to collection, for the reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize), serde(rename_all = "snake_case"))]
pub enum Class {
    /// More is collected, or from more people, or for longer: needs a
    /// `data_review` on the item and a minor version bump.
    Widens,
    /// Less is collected: needs a minor version bump.
    Narrows,
    /// Collectors that read the old payload can fail on the new one: needs a major version bump.
    Breaks,
    /// Collects nothing more, but changes how users opt out (`opt_out_command`):
    /// needs a `data_review` on the item, no version bump.
    Review,
    /// Only what the page says changes: no bump needed.
    Wording,
}

impl Class {
    /// The words used in reports: `widens collection`, `narrows collection`,
    /// `breaks collectors`, `needs review`, `wording only`.
    pub fn label(self) -> &'static str {
        match self {
            Class::Widens => "widens collection",
            Class::Narrows => "narrows collection",
            Class::Breaks => "breaks collectors",
            Class::Review => "needs review",
            Class::Wording => "wording only",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One change between two versions of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Change {
    /// The item, named as in `history`: `event`, `event.field` (nested:
    /// `event.object.field`), `context.field`, `consent`, or `app`.
    pub item: String,
    /// What changed, e.g. `collect: hashed -> allowed`.
    pub what: String,
    /// Its classes, in the order widens, narrows, breaks, review, wording.
    pub classes: Vec<Class>,
    /// Where the item is: `file:line:col` in the new version, or in the old one when it was removed.
    pub location: String,
}

impl Change {
    /// Whether the change carries `class`.
    pub fn is(&self, class: Class) -> bool {
        self.classes.contains(&class)
    }
}

/// The changes of one app (one schema file, matched by `app.name`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct AppDiff {
    /// `app.name`.
    pub app: String,
    /// `schema_version` before, if the app existed and was versioned.
    pub from: Option<SchemaVersion>,
    /// `schema_version` after, if the app still exists and is versioned.
    pub to: Option<SchemaVersion>,
    /// The changes, in schema order.
    pub changes: Vec<Change>,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize), serde(rename_all = "snake_case"))]
pub enum Level {
    /// The gate fails.
    Error,
    /// For the reviewer; the gate passes.
    Note,
}

/// Something the gate found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Finding {
    /// Error or note.
    pub level: Level,
    /// `app.name`.
    pub app: String,
    /// `file:line:col` (or `file`) of what to edit.
    pub location: String,
    /// What is wrong, naming the item and the class.
    pub message: String,
    /// What to add or change.
    pub help: Option<String>,
}

/// The gate's answer over a set of schemas.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Verdict {
    /// One entry per app present before or after, by name.
    pub apps: Vec<AppDiff>,
    /// Errors and notes, app by app.
    pub findings: Vec<Finding>,
}

impl Verdict {
    /// Whether no finding is an error.
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| f.level != Level::Error)
    }
}
