//! PostHog's `/batch/` body back to envelopes: `$app_name`, `$app_version`,
//! `schema.version`, `$session_id`, `$lib`, `$lib_version`, the OS as `$os`
//! / `$os_version`, `context.<key>` and the two privacy flags
//! (`$geoip_disable: true`, `$process_person_profile: false`) are what the
//! runtime adds to every event; every other member is the event's own
//! (a flag with another value too, so the payload schema rejects it).

use serde_json::{Map, Value};

use super::{Parts, batch, extra, member, string};

pub(super) fn envelopes(body: &Value) -> Result<Vec<Value>, String> {
    batch(body, "batch")?.iter().enumerate().map(|(i, item)| envelope(item, i + 1)).collect()
}

fn envelope(item: &Value, n: usize) -> Result<Value, String> {
    let all = member(item, "properties", n)?
        .as_object()
        .ok_or_else(|| format!("item {n} of `batch`: `properties` is not an object"))?;
    let added = |key: &str| {
        all.get(key).ok_or_else(|| {
            format!("item {n} of `batch` has no `properties.{key}` (PostHog bodies of this toolkit carry it)")
        })
    };
    let mut properties = Map::new();
    let mut context = Map::new();
    for (k, v) in all {
        if let Some(key) = k.strip_prefix("context.") {
            context.insert(key.into(), v.clone());
        } else if k == "$os" {
            context.insert("os".into(), v.as_str().map_or_else(|| v.clone(), |os| os_from_posthog(os).into()));
        } else if k == "$os_version" {
            context.insert("os_version".into(), v.clone());
        } else if !shared(k, v) {
            properties.insert(k.clone(), v.clone());
        }
    }
    Ok(Parts {
        event: string(item, "event", n)?.into(),
        properties,
        context,
        anonymous_id: member(item, "distinct_id", n)?.clone(),
        session_id: all.get("$session_id").cloned().unwrap_or_default(),
        message_id: member(item, "uuid", n)?.clone(),
        timestamp: member(item, "timestamp", n)?.clone(),
        app: added("$app_name")?.clone(),
        app_version: added("$app_version")?.as_str().unwrap_or_default().into(),
        schema_version: all.get("schema.version").cloned(),
    }
    .envelope(extra(item, ITEM)))
}

/// The members of a batch item this module reads; others are kept in the envelope.
const ITEM: &[&str] = &["event", "properties", "distinct_id", "uuid", "timestamp"];

/// What every event carries beside its own properties, with the value it
/// must have where the page promises one; anything else stays in the
/// properties, where the payload schema rejects it.
fn shared(key: &str, v: &Value) -> bool {
    match key {
        "$session_id" | "$lib" | "$lib_version" | "$app_name" | "$app_version" | "schema.version" => true,
        "$geoip_disable" => v == &Value::Bool(true),
        "$process_person_profile" => v == &Value::Bool(false),
        _ => false,
    }
}

/// Rust's `std::env::consts::OS` for PostHog's name of it: the inverse of
/// the runtime's `os_name` (`telemetry-core/src/transport/http/body/posthog.rs`).
fn os_from_posthog(os: &str) -> &str {
    match os {
        "Linux" => "linux",
        "Mac OS X" => "macos",
        "Windows" => "windows",
        "FreeBSD" => "freebsd",
        other => other,
    }
}
