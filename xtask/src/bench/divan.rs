//! Running a divan bench binary of telemetry-core several times and
//! reading the medians out of its table.

use std::collections::HashMap;

use super::command::{cargo, run_capture};
use super::stats::spread;

/// A divan time such as `609.2 ns` or `1.063 µs`, in nanoseconds.
fn parse_time(s: &str) -> Option<f64> {
    let mut it = s.split_whitespace();
    let v: f64 = it.next()?.parse().ok()?;
    let scale = match it.next()? {
        "ps" => 1e-3,
        "ns" => 1.0,
        "µs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(v * scale)
}

/// Median per bench name from divan's table (`name  fastest │ slowest │ median │ ...`).
fn divan_medians(out: &str) -> HashMap<String, f64> {
    let mut m = HashMap::new();
    for line in out.lines() {
        // Nested benches start with the tree: `│  ├─ name  fastest │ slowest │ median │ ...`.
        let line = line.trim_start_matches(|c: char| "├╰─│ ".contains(c));
        let cols: Vec<&str> = line.split('│').collect();
        if cols.len() < 4 {
            continue;
        }
        let Some(name) = cols[0].split_whitespace().next() else { continue };
        if let Some(median) = parse_time(cols[2].trim()) {
            m.insert(name.to_string(), median);
        }
    }
    m
}

/// Median and range over repeated runs of a divan bench binary.
pub struct Repeated {
    runs: HashMap<String, Vec<f64>>,
}

impl Repeated {
    /// Median, fastest and slowest run median of bench `name`, in nanoseconds.
    pub fn get(&self, name: &str) -> Result<(f64, f64, f64), String> {
        let mut v = self.runs.get(name).cloned().ok_or_else(|| format!("bench `{name}` missing from divan output"))?;
        Ok(spread(&mut v))
    }
}

/// Runs `cargo bench -p telemetry-core --bench BENCH -- FILTERS` `repeats`
/// times; the `memory sink:` lines it prints are added to `extra`.
pub fn divan(repeats: usize, bench: &str, filters: &[&str], extra: &mut Vec<String>) -> Result<Repeated, String> {
    let mut runs: HashMap<String, Vec<f64>> = HashMap::new();
    for i in 0..repeats {
        let out = run_capture(
            cargo().args(["bench", "-q", "-p", "telemetry-core", "--bench", bench, "--"]).args(filters),
            &format!("divan --bench {bench} (run {} of {repeats})", i + 1),
        )?;
        for (k, v) in divan_medians(&out) {
            runs.entry(k).or_default().push(v);
        }
        extra.extend(out.lines().filter(|l| l.starts_with("memory sink:")).map(str::to_string));
    }
    Ok(Repeated { runs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_flat_and_nested_benches() {
        let out = "\
record                          fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ record_disabled              1.063 ns      │ 2.1 ns        │ 1.2 ns        │ 1.3 ns        │ 100     │ 1
╰─ side_by_side                               │               │               │               │         │
   ╰─ serde_to_vec_baseline     500 ns        │ 900 ns        │ 609.2 ns      │ 620 ns        │ 100     │ 1
keyed_state_reused              1 µs          │ 2 µs          │ 1.5 µs        │ 1.5 µs        │ 100     │ 1";
        let m = divan_medians(out);
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!(m["record_disabled"], 1.2);
        assert_eq!(m["serde_to_vec_baseline"], 609.2);
        assert_eq!(m["keyed_state_reused"], 1500.0);
        assert_eq!(parse_time("2 ps"), Some(0.002));
        assert_eq!(parse_time("2 parsecs"), None);
    }
}
