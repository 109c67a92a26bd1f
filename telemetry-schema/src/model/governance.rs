//! The keys that govern how a schema changes: its version, how long an
//! event is collected, and the history of what the product promised.

use crate::date::Date;
use crate::error::Loc;
use std::fmt;

#[cfg(feature = "serde")]
use serde::Serialize;

/// `schema_version: "MAJOR.MINOR"`: MAJOR rises when a change breaks
/// collectors, MINOR when collection widens or narrows; wording changes
/// leave it alone.
///
/// ```
/// let v: telemetry_schema::SchemaVersion = "1.10".parse().unwrap();
/// assert_eq!((v.major, v.minor), (1, 10));
/// assert!(v > "1.9".parse().unwrap());
/// assert_eq!(v.next_minor().to_string(), "1.11");
/// assert_eq!(v.next_major().to_string(), "2.0");
/// assert!("1".parse::<telemetry_schema::SchemaVersion>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemaVersion {
    /// Raised when a change breaks collectors.
    pub major: u32,
    /// Raised when collection widens or narrows.
    pub minor: u32,
}

impl SchemaVersion {
    /// The next minor version (`1.3` -> `1.4`).
    pub fn next_minor(self) -> SchemaVersion {
        SchemaVersion { major: self.major, minor: self.minor + 1 }
    }

    /// The next major version (`1.3` -> `2.0`).
    pub fn next_major(self) -> SchemaVersion {
        SchemaVersion { major: self.major + 1, minor: 0 }
    }
}

impl fmt::Display for SchemaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl std::str::FromStr for SchemaVersion {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let (major, minor) = s.split_once('.').ok_or(())?;
        let num = |t: &str| -> Result<u32, ()> {
            // No signs, no leading zeros: `01.2` would compare equal to `1.2` yet read differently.
            let ok = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && (t == "0" || !t.starts_with('0'));
            if ok { t.parse().map_err(|_| ()) } else { Err(()) }
        };
        Ok(SchemaVersion { major: num(major)?, minor: num(minor)? })
    }
}

#[cfg(feature = "serde")]
impl Serialize for SchemaVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl schemars::JsonSchema for SchemaVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SchemaVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$" })
    }
}

#[cfg(feature = "serde")]
impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

/// `expires:` of an event: after this date the event is no longer sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema), serde(rename_all = "snake_case"))]
pub enum Expiry {
    /// `expires: YYYY-MM-DD`: sent up to and including the day before; from this day on, nothing.
    On(Date),
    /// `expires: never`, with the required `expires_reason`.
    Never {
        /// Why the event is collected without an end date.
        reason: String,
    },
}

/// One entry of `history:`: what one version changed in what is collected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, schemars::JsonSchema))]
pub struct HistoryEntry {
    /// The version this entry describes.
    pub version: SchemaVersion,
    /// When the version was published.
    pub date: Date,
    /// Items collected more by this version (`event`, `event.field`, `context.field`, `consent`).
    pub widens: Vec<String>,
    /// Items collected less by this version.
    pub narrows: Vec<String>,
    /// A sentence for the page, if the lists need one.
    pub summary: Option<String>,
    /// Where the entry is.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub loc: Loc,
}

/// Words that mark a review entry or a reason as not written yet.
const PLACEHOLDER_WORDS: &[&str] = &["todo", "tbd", "fixme", "xxx", "tba", "placeholder"];
/// Whole texts that say nothing.
const PLACEHOLDER_TEXTS: &[&str] = &["", "-", "?", "n/a", "na", "none", "null", "...", "link", "reason"];
/// A link or a reason takes at least this many characters.
pub const MIN_REVIEW_CHARS: usize = 10;

/// Why `text` does not count as a written review entry (or reason), if it does not.
///
/// ```
/// use telemetry_schema::placeholder_problem;
/// assert_eq!(placeholder_problem("TODO"), Some("`TODO` is a placeholder".to_string()));
/// assert_eq!(placeholder_problem("see TBD"), Some("`TBD` is a placeholder".to_string()));
/// assert_eq!(placeholder_problem("ok"), Some("`ok` is too short to be a link or a reason (fewer than 10 characters)".to_string()));
/// assert_eq!(placeholder_problem("https://example.org/reviews/42"), None);
/// ```
pub fn placeholder_problem(text: &str) -> Option<String> {
    let t = text.trim();
    if PLACEHOLDER_TEXTS.contains(&t.to_ascii_lowercase().as_str()) {
        return Some(if t.is_empty() { "it is empty".into() } else { format!("`{t}` is a placeholder") });
    }
    if let Some(w) = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| PLACEHOLDER_WORDS.contains(&w.to_ascii_lowercase().as_str()))
    {
        return Some(format!("`{w}` is a placeholder"));
    }
    if t.chars().count() < MIN_REVIEW_CHARS {
        return Some(format!("`{t}` is too short to be a link or a reason (fewer than {MIN_REVIEW_CHARS} characters)"));
    }
    None
}
