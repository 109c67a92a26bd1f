//! Row 4: delivery throughput over loopback, batched against one request
//! per event (telemetry-core's `delivery` bench, which prints one line per case).

use std::collections::HashMap;

use super::command::{cargo, run_capture};
use super::summary::{Row, yes};

/// The `delivery name events=N runs=R median=X min=X max=X` lines, by case name.
fn parse_cases(out: &str) -> HashMap<String, HashMap<&str, f64>> {
    let mut cases = HashMap::new();
    for line in out.lines().filter(|l| l.starts_with("delivery ")) {
        let mut f = line.split_whitespace();
        let name = f.nth(1).unwrap_or_default().to_string();
        let kv: HashMap<&str, f64> =
            f.filter_map(|p| p.split_once('=')).filter_map(|(k, v)| Some((k, v.parse().ok()?))).collect();
        cases.insert(name, kv);
    }
    cases
}

/// Runs the delivery bench (fewer events and runs when `quick`).
pub fn rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    let (batched, runs) = if quick { ("20000", "3") } else { ("50000", "5") };
    let out = run_capture(
        cargo().args(["bench", "-q", "-p", "telemetry-core", "--bench", "delivery", "--"]).args([
            "--batched",
            batched,
            "--per-event",
            "2000",
            "--runs",
            runs,
        ]),
        "delivery to the loopback collector",
    )?;
    let cases = parse_cases(&out);
    let get = |name: &str, k: &str| {
        cases.get(name).and_then(|c| c.get(k).copied()).ok_or(format!("delivery output lacks {name} {k}"))
    };
    let rate = |v: f64| format!("{:.0}k/s", v / 1e3);
    let per = get("per-event", "median")?;
    for (name, label) in [("batched(500)", "default batches of 500"), ("batched(1000)", "batches of 1,000")] {
        let (m, lo, hi, n) = (get(name, "median")?, get(name, "min")?, get(name, "max")?, get(name, "events")?);
        let default = name == "batched(500)";
        rows.push(Row {
            what: format!("4. delivery over loopback, {label} ({n:.0} events, median of {runs} runs)"),
            median: rate(m),
            spread: format!("{}–{}", rate(lo), rate(hi)),
            baseline: format!(
                "one request per event ({:.0} events): {} ({}–{})",
                get("per-event", "events")?,
                rate(per),
                rate(get("per-event", "min")?),
                rate(get("per-event", "max")?)
            ),
            ratio: format!("{:.1}×", m / per),
            target: if default { "≥ 200k/s, ratio ≥ 50×".into() } else { "(for comparison)".into() },
            met: if default {
                format!("rate {}, ratio {}", yes(m >= 200e3), yes(m / per >= 50.0))
            } else {
                "—".into()
            },
        });
    }
    Ok(())
}
