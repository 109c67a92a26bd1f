//! The native body, `{"batch":[envelope, ...],"sent_at":..}`, or the
//! events file: one envelope a line. Envelopes are taken as they are.

use serde_json::Value;

pub(super) fn envelopes(body: &[u8]) -> Result<Vec<Value>, String> {
    let whole = serde_json::from_slice::<Value>(body).ok();
    if let Some(whole) = whole.filter(|w| w.get("batch").is_some()) {
        let items = super::batch(&whole, "batch")?;
        for (i, item) in items.iter().enumerate() {
            super::string(item, "event", i + 1)?;
        }
        return Ok(items.clone());
    }
    let text = std::str::from_utf8(body).map_err(|_| "binary, not JSON text (an otlp-protobuf body?)")?;
    let lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    lines
        .map(|(i, line)| match serde_json::from_str::<Value>(line) {
            Ok(e) if e.get("event").is_some_and(Value::is_string) => Ok(e),
            Ok(_) => Err(format!("line {} is not an envelope (no `event` string)", i + 1)),
            Err(e) => Err(format!("neither one JSON body nor JSON lines: line {}: {e}", i + 1)),
        })
        .collect()
}
