//! Segment's `/v1/batch` body back to envelopes: `context.app` is the app,
//! `context.os` the OS, `schema.version` and `session_id` what the origin
//! added; a product context key that is one of Segment's own context
//! fields travels as `app.<key>`.

use serde_json::{Map, Value};

use super::{Parts, batch, extra, member, string};

pub(super) fn envelopes(body: &Value) -> Result<Vec<Value>, String> {
    batch(body, "batch")?.iter().enumerate().map(|(i, item)| envelope(item, i + 1)).collect()
}

fn envelope(item: &Value, n: usize) -> Result<Value, String> {
    if item.get("type").and_then(Value::as_str) != Some("track") {
        return Err(format!("item {n} of `batch` has no `type` (\"track\")"));
    }
    let all = member(item, "context", n)?
        .as_object()
        .ok_or_else(|| format!("item {n} of `batch`: `context` is not an object"))?;
    let app = all.get("app").ok_or_else(|| format!("item {n} of `batch` has no `context.app`"))?;
    let mut context = Map::new();
    if let Some(os) = all.get("os") {
        if let Some(name) = os.get("name") {
            context.insert("os".into(), name.clone());
        }
        if let Some(version) = os.get("version") {
            context.insert("os_version".into(), version.clone());
        }
    }
    for (k, v) in all {
        match k.as_str() {
            "app" | "library" | "os" | "schema.version" | "session_id" => {}
            _ => {
                context.insert(k.strip_prefix("app.").unwrap_or(k).into(), v.clone());
            }
        }
    }
    let properties = member(item, "properties", n)?
        .as_object()
        .ok_or_else(|| format!("item {n} of `batch`: `properties` is not an object"))?;
    Ok(Parts {
        event: string(item, "event", n)?.into(),
        properties: properties.clone(),
        context,
        anonymous_id: member(item, "anonymousId", n)?.clone(),
        session_id: all.get("session_id").cloned().unwrap_or_default(),
        message_id: member(item, "messageId", n)?.clone(),
        timestamp: member(item, "timestamp", n)?.clone(),
        app: app.get("name").cloned().ok_or_else(|| format!("item {n} of `batch` has no `context.app.name`"))?,
        app_version: app.get("version").and_then(Value::as_str).unwrap_or_default().into(),
        schema_version: all.get("schema.version").cloned(),
    }
    .envelope(extra(item, ITEM)))
}

/// The members of a batch item this module reads; others are kept in the envelope.
const ITEM: &[&str] = &["type", "event", "properties", "context", "anonymousId", "messageId", "timestamp"];
