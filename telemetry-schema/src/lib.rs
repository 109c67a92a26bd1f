//! The telemetry schema language.
//!
//! A schema is one YAML file per product. It says which events the product
//! sends, each field's type and how it is collected (`allowed`, `hashed`, or
//! `forbidden`), how users opt out, and what is never collected. This crate
//! loads and validates schemas; errors name the file, line and column, say
//! what is wrong and how to fix it, and every error of a file is reported at
//! once.
//!
//! ```
//! let schema = telemetry_schema::load_str(
//!     r#"
//! version: 1
//! app: { name: demo, title: Demo, description: Helps us see which commands are used. }
//! events:
//!   command_run:
//!     description: A command finished.
//!     fields:
//!       command: { collect: allowed, type: enum, values: [build, test], description: Which command. }
//!       user_email: { collect: forbidden, reason: Personal information. }
//! "#,
//!     "demo.yaml",
//! )
//! .unwrap();
//! assert_eq!(schema.events[0].fields.len(), 2);
//!
//! let err = telemetry_schema::load_str(
//!     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  e:\n    description: x\n    fields:\n      ok: { collect: hashd, type: string, description: x }\n",
//!     "demo.yaml",
//! )
//! .unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "demo.yaml:7:22: error: unknown `collect` value `hashd`\n  help: did you mean `hashed`?"
//! );
//! ```
#![forbid(unsafe_code)]

mod date;
#[cfg(feature = "diff")]
pub mod diff;
#[cfg(feature = "render")]
pub mod docs;
mod error;
mod fingerprint;
#[cfg(feature = "serde")]
pub mod format;
#[cfg(feature = "serde")]
mod json;
mod model;
mod parse;
#[cfg(feature = "render")]
pub mod render;
mod valid;
mod yaml;

pub use date::{Date, DateError};
pub use error::{Diagnostic, Loc, SchemaError, Severity, did_you_mean};
pub use fingerprint::{canonical_form, fingerprint};
pub use model::*;
pub use valid::{
    MAX_ENUM_VALUE_LEN, default_enum_value, enum_value_problem, is_snake_case, pii_token, to_snake_case, variant_name,
};

use std::path::Path;

/// Context keys the runtime fills itself (`telemetry-core` re-exports this
/// list under the same name). A schema may declare any of them under
/// `context.fields`; a `TelemetryContext` struct may leave them out.
pub const WELL_KNOWN_CONTEXT: &[&str] = &["os", "os_version", "arch", "app_version", "ci", "container", "locale"];

/// Largest schema file accepted. Real schemas are a few kilobytes; this bound
/// keeps a mistaken or hostile file from stalling the compiler.
pub const MAX_SCHEMA_BYTES: usize = 1 << 20;

/// Loads and validates the schema at `path`; expiry warnings are judged
/// against today's date ([`Date::today`]).
pub fn load_path(path: &Path) -> Result<Schema, SchemaError> {
    load_path_on(path, Date::today())
}

/// [`load_path`], with expiry warnings judged against `today`.
pub fn load_path_on(path: &Path, today: Date) -> Result<Schema, SchemaError> {
    let bytes = std::fs::read(path).map_err(|e| {
        let help = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; a relative path is resolved from the file that names it".to_string()
            }
            _ => "check the file's permissions".to_string(),
        };
        SchemaError::whole_file(path, format!("cannot read schema file: {e}"), Some(help))
    })?;
    load_bytes_on(&bytes, path, today)
}

/// Loads and validates a schema from raw bytes; `file` is used in error messages.
pub fn load_bytes(bytes: &[u8], file: impl AsRef<Path>) -> Result<Schema, SchemaError> {
    load_bytes_on(bytes, file, Date::today())
}

/// [`load_bytes`], with expiry warnings judged against `today`.
pub fn load_bytes_on(bytes: &[u8], file: impl AsRef<Path>, today: Date) -> Result<Schema, SchemaError> {
    let file = file.as_ref();
    if bytes.len() > MAX_SCHEMA_BYTES {
        return Err(SchemaError::whole_file(
            file,
            format!("schema file is {} bytes, more than the {} byte limit", bytes.len(), MAX_SCHEMA_BYTES),
            Some("a schema describes events, not data; split it or remove what does not belong".into()),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str_on(text, file, today),
        Err(e) => {
            let good = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            let mut d = error::Diags::new(file);
            d.error(yaml::end_of(&good), "schema file is not valid UTF-8", "save the file as UTF-8");
            Err(d.into_error())
        }
    }
}

/// Loads and validates a schema from text; `file` is used in error messages.
/// Expiry warnings ([`Schema::warnings`]) are judged against today's date.
pub fn load_str(text: &str, file: impl AsRef<Path>) -> Result<Schema, SchemaError> {
    load_str_on(text, file, Date::today())
}

/// [`load_str`], with expiry warnings judged against `today`, so that a
/// caller (a test, a reproducible build) gets the same warnings every day.
///
/// ```
/// let s = telemetry_schema::load_str_on(
///     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  e: { description: x, expires: 2026-03-01 }\n",
///     "demo.yaml",
///     "2026-03-02".parse().unwrap(),
/// )
/// .unwrap();
/// assert_eq!(
///     s.warnings[0].to_string(),
///     "demo.yaml:4:3: warning: event `e` expired on 2026-03-01: it still compiles, but nothing is recorded for it\n  help: remove the event and the code that records it, or move `expires` to a later date after a new review"
/// );
/// ```
pub fn load_str_on(text: &str, file: impl AsRef<Path>, today: Date) -> Result<Schema, SchemaError> {
    let file = file.as_ref();
    let mut d = error::Diags::new(file);
    // The text between the start of the tab's line and the tab: blank means the
    // tab indents. `rsplit`, not `lines().last()`: `lines()` skips an empty last
    // line, so a tab at the very start of a line would go unseen.
    // Lines end at `\n` or `\r`, as in YAML (and as saphyr counts them).
    let line_before = |pos: usize| text[..pos].rsplit(['\n', '\r']).next().unwrap_or("");
    if let Some(pos) = text.find('\t').filter(|p| line_before(*p).trim().is_empty()) {
        d.error(
            yaml::end_of(&text[..pos]),
            "tab used for indentation",
            "YAML indents with spaces; replace the tab with spaces",
        );
        return Err(d.into_error());
    }
    let Some(root) = yaml::parse(text, &mut d) else {
        if d.is_empty() {
            d.error(Loc::new(1, 1), "the schema file is empty", "start with `version: 1`, then `app:` and `events:`");
        }
        return Err(d.into_error());
    };
    match parse::schema(&root, file, &mut d) {
        Ok(mut s) => {
            valid::check(&s, today, &mut d);
            s.warnings = d.take_warnings();
            d.finish(s)
        }
        Err(partial) => {
            // The file is already in error. Still apply the privacy rules to
            // what did parse, so that a typo in `consent` does not hide a
            // field that leaks personal data until the next run.
            valid::check_partial(&partial.context, &partial.events, &partial.metrics, &mut d);
            Err(d.into_error())
        }
    }
}
