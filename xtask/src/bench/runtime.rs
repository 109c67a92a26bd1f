//! Rows 1–3: `record()` on and off against serde, and keyed hashing
//! against re-keying per value (telemetry-core's `record` and `hash` benches).

use super::divan::divan;
use super::summary::{Row, ns, spread_ns, yes};

/// Runs the `record` and `hash` benches `repeats` times each.
pub fn rows(repeats: usize, rows: &mut Vec<Row>, notes: &mut Vec<String>) -> Result<(), String> {
    let mut extra = Vec::new();
    let rec = divan(repeats, "record", &["side_by_side", "parts"], &mut extra)?;
    let (on, on_lo, on_hi) = rec.get("record_enabled_memory")?;
    let (serde, s_lo, s_hi) = rec.get("serde_to_vec_baseline")?;
    let (off, off_lo, off_hi) = rec.get("record_disabled")?;
    let (props, _, _) = rec.get("properties_8_fields_2_hashed")?;
    let (hmacs, _, _) = rec.get("two_hmacs")?;
    rows.push(Row {
        what: "1. `record()` on, 8 fields (2 hashed), worker draining to memory".into(),
        median: ns(on),
        spread: spread_ns(repeats, on_lo, on_hi),
        baseline: format!(
            "the same two HMACs + `serde_json::to_vec` of the same fields: {} ({})",
            ns(serde),
            spread_ns(repeats, s_lo, s_hi)
        ),
        ratio: format!("{:.2}×", on / serde),
        target: "≤ 1.5×".into(),
        met: yes(on / serde <= 1.5),
    });
    notes.push(format!(
        "Where `record()` goes (medians): the two HMAC-SHA256 alone {} ({:.0} % of the call); the properties with \
         both HMACs {}; the rest ({}) is the envelope (context, ids, timestamp) and the queue push. {}",
        ns(hmacs),
        100.0 * hmacs / on,
        ns(props),
        ns((on - props).max(0.0)),
        extra.last().map(|s| format!("Counters after the bench: {s}.")).unwrap_or_default()
    ));
    rows.push(Row {
        what: "2. `record()` off (`DO_NOT_TRACK=1`)".into(),
        median: ns(off),
        spread: spread_ns(repeats, off_lo, off_hi),
        baseline: "—".into(),
        ratio: "—".into(),
        target: "≤ 3 ns".into(),
        met: yes(off <= 3.0),
    });
    let hash = divan(repeats, "hash", &[], &mut extra)?;
    let (keyed, k_lo, k_hi) = hash.get("keyed_state_reused")?;
    let (rekey, r_lo, r_hi) = hash.get("rekey_per_value")?;
    rows.push(Row {
        what: "3. one hashed field: keyed HMAC state reused (`Hasher`)".into(),
        median: ns(keyed),
        spread: spread_ns(repeats, k_lo, k_hi),
        baseline: format!("`Hmac::new_from_slice` per value: {} ({})", ns(rekey), spread_ns(repeats, r_lo, r_hi)),
        ratio: format!("{:.2}× faster", rekey / keyed),
        target: "show the ratio".into(),
        met: "—".into(),
    });
    Ok(())
}
