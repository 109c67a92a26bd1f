//! OTLP logs back to envelopes, from the JSON encoding (the protobuf body
//! is first decoded to the same JSON by `proto`): one envelope per log
//! record. The resource names the app (`service.name`, `service.version`)
//! and carries the context by the semantic conventions (`os.type`,
//! `os.version`, `host.arch`, the product's keys as `app.<key>`); the
//! scope's `schema.version` attribute names the schema. The resource's
//! `session.id` and `enduser.pseudo.id` are the ids every record of it
//! shares (a record's own, where an earlier runtime put them, wins); a
//! record's `log.record.uid` is its message id (22 characters: the id's 16
//! bytes in unpadded base64url, read back as the UUID) and its other
//! attributes the event's properties. A record without a uid under a
//! resource with a `session.id` is identified by the two and its time (the
//! runtime makes each time unique in its run): its envelope's message id is
//! made from that time ([`time_id`]), as the body carries none. The time is
//! `timeUnixNano`, else `observedTimeUnixNano` (as logs.proto recommends;
//! the runtime sends the observed time only).

use serde_json::{Map, Value};

use super::Parts;

pub(super) fn from_json(body: &Value) -> Result<Vec<Value>, String> {
    let resources =
        body.get("resourceLogs").and_then(Value::as_array).ok_or("no `resourceLogs` array at the top level")?;
    let mut out = Vec::new();
    for (r, resource) in resources.iter().enumerate() {
        let at = format!("resourceLogs[{r}]");
        let mut resource_attributes = attributes(resource.pointer("/resource/attributes"), &format!("{at}.resource"))?;
        let shared = ["enduser.pseudo.id", "session.id"].map(|k| resource_attributes.remove(k));
        let (app, app_version, context) = service(resource_attributes);
        for (s, scope) in list(resource.get("scopeLogs"), &format!("{at}.scopeLogs"))?.iter().enumerate() {
            let at = format!("{at}.scopeLogs[{s}]");
            let scope_attributes = attributes(scope.pointer("/scope/attributes"), &format!("{at}.scope"))?;
            let schema_version = scope_attributes.get("schema.version").cloned();
            for (l, record) in list(scope.get("logRecords"), &format!("{at}.logRecords"))?.iter().enumerate() {
                let at = format!("{at}.logRecords[{l}]");
                let mut properties = attributes(record.get("attributes"), &at)?;
                let [anonymous_id, session_id] = ["enduser.pseudo.id", "session.id"].map(|k| properties.remove(k));
                let anonymous_id = anonymous_id.or_else(|| shared[0].clone()).unwrap_or(Value::Null);
                let session_id = session_id.or_else(|| shared[1].clone()).unwrap_or(Value::Null);
                let nanos = nanos(record, &at)?;
                let message_id = match properties.remove("log.record.uid") {
                    Some(uid) => message_id(uid),
                    None if session_id.is_string() => time_id(nanos).into(),
                    None => Value::Null,
                };
                let event =
                    record.get("eventName").filter(|n| n.is_string()).ok_or(format!("{at} has no `eventName`"))?;
                let mut extra = Map::new();
                if let Some(b) = record.get("body").filter(|b| !b.is_null()) {
                    extra.insert("body".into(), b.clone());
                }
                let parts = Parts {
                    event: event.clone(),
                    properties,
                    context: context.clone(),
                    anonymous_id,
                    session_id,
                    message_id,
                    timestamp: timestamp(Some(&nanos.into()), &at)?,
                    app: app.clone(),
                    app_version: app_version.clone(),
                    schema_version: schema_version.clone(),
                };
                out.push(parts.envelope(extra));
            }
        }
    }
    Ok(out)
}

/// A `log.record.uid` of 22 characters of base64url (the runtime's: the
/// message id's 16 bytes) as the UUID the envelope carries; any other value
/// as it is.
fn message_id(uid: Value) -> Value {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let Some(text) = uid.as_str().filter(|t| t.len() == 22) else { return uid };
    let mut bits: u128 = 0;
    for (i, c) in text.bytes().enumerate() {
        let Some(six) = ALPHABET.iter().position(|&a| a == c) else { return uid };
        let six = six as u128;
        // 21 characters hold 126 bits; the last one's 2 high bits end the
        // id, its 4 low bits are padding (zero in the runtime's encoding).
        bits = match i {
            0..21 => bits << 6 | six,
            _ if six & 0xf == 0 => bits << 2 | six >> 4,
            _ => return uid,
        };
    }
    let hex = format!("{bits:032x}");
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]).into()
}

/// A record's time in nanoseconds: `timeUnixNano` where it is set (not 0,
/// "unknown or missing" in logs.proto), else `observedTimeUnixNano`.
fn nanos(record: &Value, at: &str) -> Result<u64, String> {
    let read = |key| match record.get(key) {
        Some(Value::String(s)) => s.parse::<u64>().ok(),
        Some(n) => n.as_u64(),
        None => None,
    };
    read("timeUnixNano")
        .filter(|n| *n != 0)
        .or_else(|| read("observedTimeUnixNano"))
        .ok_or(format!("{at} has neither `timeUnixNano` nor `observedTimeUnixNano`"))
}

/// The message id of a record the body identifies by its run's session and
/// its time: a version 8 UUID (RFC 9562, "custom") whose 72 low bits,
/// around the version and variant digits, are the time in nanoseconds.
fn time_id(nanos: u64) -> String {
    let h = format!("{nanos:018x}");
    format!("00000000-0000-8{}-8{}-{}", &h[..3], &h[3..6], &h[6..])
}

/// The app, its version and the context, from the resource's attributes.
pub(super) fn service(attributes: Map<String, Value>) -> (Value, String, Map<String, Value>) {
    let (mut app, mut version, mut context) = (Value::Null, String::new(), Map::new());
    for (k, v) in attributes {
        match k.as_str() {
            "service.name" => app = v,
            "service.version" => version = v.as_str().unwrap_or_default().into(),
            "os.type" => _ = context.insert("os".into(), mapped(v, os_from_semconv)),
            "os.version" => _ = context.insert("os_version".into(), v),
            "host.arch" => _ = context.insert("arch".into(), mapped(v, arch_from_semconv)),
            // Any other name stays as it is, where the payload schema rejects it.
            _ => _ = context.insert(k.strip_prefix("app.").unwrap_or(&k).into(), v),
        }
    }
    (app, version, context)
}

fn mapped(v: Value, map: fn(&str) -> Option<&'static str>) -> Value {
    match v.as_str().and_then(map) {
        Some(m) => m.into(),
        None => v,
    }
}

/// Rust's `std::env::consts::OS` for an `os.type`: the inverse of the
/// runtime's `os_type` (`telemetry-core/src/transport/http/semconv.rs`).
fn os_from_semconv(os: &str) -> Option<&'static str> {
    match os {
        "darwin" => Some("macos"),
        "dragonflybsd" => Some("dragonfly"),
        _ => None,
    }
}

/// Rust's `std::env::consts::ARCH` for a `host.arch`: the inverse of the
/// runtime's `host_arch` (same file).
fn arch_from_semconv(arch: &str) -> Option<&'static str> {
    match arch {
        "amd64" => Some("x86_64"),
        "arm64" => Some("aarch64"),
        "arm32" => Some("arm"),
        "ppc32" => Some("powerpc"),
        "ppc64" => Some("powerpc64"),
        _ => None,
    }
}

pub(super) fn list<'a>(v: Option<&'a Value>, at: &str) -> Result<&'a [Value], String> {
    match v {
        None => Ok(&[]),
        Some(v) => v.as_array().map(Vec::as_slice).ok_or(format!("{at} is not an array")),
    }
}

/// `[{"key":..,"value":AnyValue}, ...]` as a JSON object.
pub(super) fn attributes(v: Option<&Value>, at: &str) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for kv in list(v, &format!("{at}.attributes"))? {
        let key = kv.get("key").and_then(Value::as_str).ok_or(format!("{at}: an attribute without a `key`"))?;
        out.insert(key.into(), any(kv.get("value").unwrap_or(&Value::Null), at)?);
    }
    Ok(out)
}

/// An OTLP `AnyValue` as the JSON value the runtime read it from.
fn any(v: &Value, at: &str) -> Result<Value, String> {
    let Some((kind, inner)) = v.as_object().and_then(|o| o.iter().next()) else {
        return Ok(Value::Null);
    };
    Ok(match kind.as_str() {
        "stringValue" => inner.as_str().map_or_else(|| inner.clone(), big_integer),
        "intValue" => match inner {
            Value::String(s) => s.parse::<i64>().map(Value::from).map_err(|_| format!("{at}: intValue {s:?}"))?,
            other => other.clone(),
        },
        "arrayValue" => {
            Value::Array(list(inner.get("values"), at)?.iter().map(|v| any(v, at)).collect::<Result<_, _>>()?)
        }
        "kvlistValue" => Value::Object(attributes(inner.get("values"), at)?),
        _ => inner.clone(),
    })
}

/// The runtime sends an integer above `i64::MAX` as its digits in a
/// `stringValue` (no OTLP integer holds it): such digits read as that integer.
fn big_integer(s: &str) -> Value {
    match s.parse::<u64>() {
        Ok(n) if n > i64::MAX as u64 && !s.starts_with('+') => n.into(),
        _ => s.into(),
    }
}

/// `timeUnixNano` (a decimal string, or a number) as the envelope's RFC
/// 3339 UTC time with milliseconds.
pub(super) fn timestamp(v: Option<&Value>, at: &str) -> Result<Value, String> {
    let nanos = match v {
        Some(Value::String(s)) => s.parse::<u64>().ok(),
        Some(n) => n.as_u64(),
        None => None,
    };
    let nanos = nanos.ok_or(format!("{at} has no `timeUnixNano`"))?;
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(nanos);
    Ok(humantime::format_rfc3339_millis(t).to_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base64url_uid_reads_back_as_its_uuid() {
        // Python's `base64.urlsafe_b64encode(uuid.UUID(u).bytes).rstrip(b"=")`.
        for (uid, uuid) in [
            ("AAAAAAAAQACAAAAAAAAAAA", "00000000-0000-4000-8000-000000000000"),
            ("ASNFZ4mrTe-BIwAAAAAAAA", "01234567-89ab-4def-8123-000000000000"),
            ("________T_-__________w", "ffffffff-ffff-4fff-bfff-ffffffffffff"),
        ] {
            assert_eq!(message_id(uid.into()), Value::from(uuid), "{uid}");
        }
        // Anything else stays as it is: a UUID (an earlier runtime's), a
        // non-canonical last character, a character out of the alphabet, a number.
        for other in ["01234567-89ab-4def-8123-000000000000", "AAAAAAAAQACAAAAAAAAAAB", "AAAAAAAAQACAAAAAAAAA+A"] {
            assert_eq!(message_id(other.into()), Value::from(other));
        }
        assert_eq!(message_id(7.into()), Value::from(7));
    }

    #[test]
    fn a_record_identified_by_its_time_reads_back_with_an_id_made_from_it() {
        assert_eq!(time_id(1_700_000_000_123_000_002), "00000000-0000-8001-8797-9cfe3d7ed4c2");
        assert_eq!(time_id(u64::MAX), "00000000-0000-800f-8fff-ffffffffffff");
        let record = |time: &str| serde_json::from_str::<Value>(&format!("{{{time}}}")).unwrap();
        let both = record(r#""timeUnixNano":"5","observedTimeUnixNano":"7""#);
        assert_eq!(nanos(&both, "r"), Ok(5));
        assert_eq!(nanos(&record(r#""timeUnixNano":"0","observedTimeUnixNano":7"#), "r"), Ok(7));
        assert_eq!(nanos(&record(r#""observedTimeUnixNano":"7""#), "r"), Ok(7));
        assert_eq!(nanos(&record(""), "r"), Err("r has neither `timeUnixNano` nor `observedTimeUnixNano`".into()));
    }
}
