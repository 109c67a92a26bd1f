//! The gate's verdict for people (text) and for programs (JSON).

use super::{Level, Verdict};
use crate::model::SchemaVersion;
use std::fmt::Write as _;

fn version(v: Option<SchemaVersion>) -> String {
    v.map_or_else(|| "(none)".to_string(), |v| v.to_string())
}

/// The verdict as text: each app with changes (its versions, then one line
/// per change with its classes), the findings as `file:line:col: error: ...`
/// with a `help:` line, and a last line `gate: passed` or `gate: failed`.
///
/// ```
/// let text = telemetry_schema::diff::human(&telemetry_schema::diff::Verdict::default());
/// assert_eq!(text, "no changes in 0 schemas\ngate: passed\n");
/// ```
pub fn human(verdict: &Verdict) -> String {
    let mut out = String::new();
    let changed: Vec<_> = verdict.apps.iter().filter(|a| !a.changes.is_empty()).collect();
    for a in &changed {
        writeln!(out, "{}: schema_version {} -> {}", a.app, version(a.from), version(a.to)).ok();
        for c in &a.changes {
            let classes: Vec<&str> = c.classes.iter().map(|c| c.label()).collect();
            writeln!(out, "  {}: {} [{}]", c.item, c.what, classes.join(", ")).ok();
        }
    }
    if changed.is_empty() {
        writeln!(out, "no changes in {} schemas", verdict.apps.len()).ok();
    }
    for f in &verdict.findings {
        let level = match f.level {
            Level::Error => "error",
            Level::Note => "note",
        };
        writeln!(out, "{}: {level}: {}", f.location, f.message).ok();
        if let Some(help) = &f.help {
            writeln!(out, "  help: {help}").ok();
        }
    }
    let errors = verdict.findings.iter().filter(|f| f.level == Level::Error).count();
    if errors == 0 {
        out.push_str("gate: passed\n");
    } else {
        writeln!(out, "gate: failed with {errors} error{}", if errors == 1 { "" } else { "s" }).ok();
    }
    out
}

/// The verdict as pretty JSON: `{ "passed": bool, "apps": [...], "findings": [...] }`,
/// each change with `item`, `what`, `classes` (`widens`, `narrows`, `breaks`, `wording`) and `location`.
///
/// ```
/// let json = telemetry_schema::diff::json(&telemetry_schema::diff::Verdict::default());
/// assert_eq!(json, "{\n  \"passed\": true,\n  \"apps\": [],\n  \"findings\": []\n}\n");
/// ```
#[cfg(feature = "serde")]
pub fn json(verdict: &Verdict) -> String {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        passed: bool,
        apps: &'a [super::AppDiff],
        findings: &'a [super::Finding],
    }
    let doc = Doc { passed: verdict.passed(), apps: &verdict.apps, findings: &verdict.findings };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
