//! Envelopes validated against the payload JSON Schema of the app and
//! schema version they name, rendered from the schemas of a directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::{Format, envelopes};

/// The payload JSON Schemas of a directory's schemas, by app and schema version.
pub struct Pages {
    dir: PathBuf,
    pages: Vec<Page>,
}

struct Page {
    app: String,
    version: Option<String>,
    schema: Value,
    /// Each event's validator, compiled once: compiling one per envelope
    /// was most of the time a check of many bodies took.
    validators: Mutex<BTreeMap<String, Option<Arc<jsonschema::Validator>>>>,
}

/// What checking one body found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// How many envelopes the body carries.
    pub events: usize,
    /// The apps and schema versions the body's events name, as `app schema 1.0`.
    pub schemas: Vec<String>,
    /// Each violation, or why the body could not be checked, one line each.
    pub problems: Vec<String>,
}

impl Pages {
    /// The schemas of `dir` (`*.yaml`, `*.yml`), loaded and rendered. `Err`
    /// lists every problem of every file, located.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("demo.yaml"), "version: 1\nschema_version: \"1.2\"\napp: { name: demo, title: Demo, description: x }\nevents: { ping: { description: x } }\n").unwrap();
    /// let pages = cargo_telemetry::wire::Pages::load(dir.path()).unwrap();
    /// assert_eq!(pages.apps(), ["demo schema 1.2"]);
    /// ```
    pub fn load(dir: &Path) -> Result<Pages, String> {
        let files = telemetry_schema::docs::schema_files(dir).map_err(|e| format!("error: {}: {e}", dir.display()))?;
        let (mut pages, mut problems) = (Vec::new(), Vec::new());
        for file in files {
            match telemetry_schema::load_path(&file) {
                Ok(s) => pages.push(Page {
                    app: s.app.name.clone(),
                    version: s.schema_version.map(|v| v.to_string()),
                    schema: telemetry_schema::render::payload_schema(&s),
                    validators: Mutex::default(),
                }),
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !problems.is_empty() {
            return Err(problems.join("\n"));
        }
        if pages.is_empty() {
            return Err(format!(
                "error: no schema files (*.yaml) in {}; name the directory with --schemas DIR",
                dir.display()
            ));
        }
        Ok(Pages { dir: dir.into(), pages })
    }

    /// Each app and schema version, as `app schema 1.0` (`app, unversioned`).
    pub fn apps(&self) -> Vec<String> {
        self.pages.iter().map(|p| named(&p.app, p.version.as_deref())).collect()
    }

    /// `body`, a request body of `format`, mapped back to envelopes and each
    /// validated against the payload schema of the app and schema version it
    /// names. A problem names the event (its place in the body, from 1, and
    /// its name), the JSON pointer of the value in the envelope, and the rule
    /// it breaks.
    ///
    /// ```
    /// use cargo_telemetry::wire::{Format, Pages};
    /// let dir = tempfile::tempdir().unwrap();
    /// let schema = "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  ping:\n    description: x\n    fields:\n      source: { collect: allowed, type: enum, values: [command, env], description: x, example: env }\n";
    /// std::fs::write(dir.path().join("demo.yaml"), schema).unwrap();
    /// let pages = Pages::load(dir.path()).unwrap();
    /// let envelope = r#"{"event":"ping","properties":{"source":"mail"},"context":{},"anonymous_id":"00000000-0000-4000-8000-000000000000","session_id":"00000000-0000-4000-8000-000000000001","message_id":"00000000-0000-4000-8000-000000000002","timestamp":"2023-11-14T22:13:20.123Z","app":"demo"}"#;
    /// let report = pages.check(Format::Native, envelope.as_bytes());
    /// assert_eq!(report.problems, [r#"event 1 of 1 (`ping`) at /properties/source: "mail" is not one of "command" or "env""#]);
    /// ```
    pub fn check(&self, format: Format, body: &[u8]) -> Report {
        let all = match envelopes(format, body) {
            Ok(all) => all,
            Err(e) => return Report { problems: vec![e.to_string()], ..Report::default() },
        };
        let mut report = Report { events: all.len(), ..Report::default() };
        let mut missing: BTreeMap<String, usize> = BTreeMap::new();
        for (i, mut envelope) in all.into_iter().enumerate() {
            let app = envelope.get("app").and_then(Value::as_str).unwrap_or_default().to_string();
            let version = envelope.get("schema_version").and_then(Value::as_str).map(str::to_string);
            let name = named(&app, version.as_deref());
            let Some(page) = self.pages.iter().find(|p| p.app == app && p.version == version) else {
                *missing.entry(name).or_default() += 1;
                continue;
            };
            if !report.schemas.contains(&name) {
                report.schemas.push(name.clone());
            }
            if format != Format::Native {
                restore_app_version(&mut envelope, &page.schema);
            }
            let event = envelope.get("event").and_then(Value::as_str).unwrap_or_default().to_string();
            let which = format!("event {} of {} (`{event}`)", i + 1, report.events);
            match page.validator(&event) {
                None => report.problems.push(format!("{which}: not an event of {name}")),
                Some(v) => {
                    // By pointer, then message: the same order whatever the map order.
                    let mut found: Vec<(String, String)> =
                        v.iter_errors(&envelope).map(|e| (e.instance_path.to_string(), e.to_string())).collect();
                    // OTLP metrics have no place for a message id: its absence is not a violation.
                    let otlp = matches!(format, Format::OtlpJson | Format::OtlpProtobuf);
                    if otlp && event == "metrics" && envelope.get("message_id").is_none() {
                        found.retain(|(at, rule)| !(at.is_empty() && rule == "\"message_id\" is a required property"));
                    }
                    found.sort();
                    report.problems.extend(found.into_iter().map(|(at, rule)| {
                        let at = if at.is_empty() { "the top level" } else { &at };
                        format!("{which} at {at}: {rule}")
                    }));
                }
            }
        }
        for (name, n) in missing {
            report.problems.push(format!(
                "{n} event(s) name {name}, which {} does not have (it has: {}); check against the schema of that version",
                self.dir.display(),
                self.apps().join(", ")
            ));
        }
        report
    }
}

fn named(app: &str, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("{app} schema {v}"),
        None => format!("{app}, unversioned"),
    }
}

impl Page {
    /// [`validator`] of `event`, compiled on first use.
    fn validator(&self, event: &str) -> Option<Arc<jsonschema::Validator>> {
        let mut cache = self.validators.lock().unwrap_or_else(|e| e.into_inner());
        cache.entry(event.to_string()).or_insert_with(|| validator(&self.schema, event).map(Arc::new)).clone()
    }
}

/// The validator of one event of the payload schema: its `oneOf` over the
/// events only says "none matched", so the envelope is checked against the
/// event it names. `None` when the schema has no such event.
fn validator(schema: &Value, event: &str) -> Option<jsonschema::Validator> {
    let def = format!("event_{event}");
    schema.get("$defs")?.get(&def)?;
    let mut one = schema.clone();
    let o = one.as_object_mut()?;
    o.remove("oneOf");
    o.insert("$ref".into(), format!("#/$defs/{def}").into());
    jsonschema::validator_for(&one).ok()
}

/// PostHog, Segment and OTLP send the context's `app_version` only as the
/// app's version: put it back where the schema's context declares it.
fn restore_app_version(envelope: &mut Value, schema: &Value) {
    if schema.pointer("/$defs/context/properties/app_version").is_none() {
        return;
    }
    let Some(version) = envelope.get("app_version").cloned() else { return };
    if let Some(context) = envelope.get_mut("context").and_then(Value::as_object_mut) {
        context.entry("app_version").or_insert(version);
    }
}
