//! The install's aggregate of one period: `metrics.json` in the state dir,
//! read and rewritten under the state lock through the write gate, so
//! processes that exit together add up exactly, and nothing is written
//! once `disable` has run (which deletes the file).
//!
//! A process takes its cells' values (each swapped to zero) and adds them
//! to the stored aggregate in one locked read-and-rename: a process killed
//! before that loses its own unmerged counts and nothing stored before.
//! When the stored period has ended, its aggregate is handed back to be
//! sent, and a new period starts with this process's values.

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use serde_core::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_core::ser::{Serialize, SerializeStruct, Serializer};

use crate::members::{Field, Unknown, read_fields};
use crate::meta::{MetricKind, MetricsMeta, MetricsPeriod};
use crate::state::{Gate, METRICS_FILE, read_bounded, write_atomic};

/// The file is at most this large: 256 metrics of at most 34 cells of 20 digits fit.
const MAX_BYTES: u64 = 256 * 1024;

const DAY_MS: u64 = 86_400_000;

/// The aggregate of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Period {
    /// First millisecond (Unix epoch, UTC).
    pub(crate) start_ms: u64,
    /// End, exclusive.
    pub(crate) end_ms: u64,
    /// One value per cell, in the meta's layout.
    pub(crate) values: Vec<u64>,
}

/// `metrics.json`: `{"fingerprint":..,"start_ms":..,"values":[..]}`, all
/// three required, other keys ignored.
#[derive(Debug)]
struct Stored {
    fingerprint: String,
    start_ms: u64,
    values: Vec<u64>,
}

// serde by hand, not derived: see `crate::members`.
const FIELDS: Field = Field(&["fingerprint", "start_ms", "values"]);

impl Serialize for Stored {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Stored", 3)?;
        st.serialize_field("fingerprint", &self.fingerprint)?;
        st.serialize_field("start_ms", &self.start_ms)?;
        st.serialize_field("values", &self.values)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Stored {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("Stored", FIELDS.0, StoredVisitor)
    }
}

struct StoredVisitor;

impl<'de> Visitor<'de> for StoredVisitor {
    type Value = Stored;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct Stored")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Stored, A::Error> {
        let mut s = Stored { fingerprint: String::new(), start_ms: 0, values: Vec::new() };
        let seen = read_fields(&mut map, FIELDS, Unknown::Ignored, |i, map| {
            match i {
                0 => s.fingerprint = map.next_value()?,
                1 => s.start_ms = map.next_value()?,
                _ => s.values = map.next_value()?,
            }
            Ok(())
        })?;
        seen.missing(&[0, 1, 2])?;
        Ok(s)
    }
}

/// Takes this process's values out of `cells`, leaving zeros.
pub(crate) fn take(cells: &[AtomicU64]) -> Vec<u64> {
    cells.iter().map(|c| c.swap(0, Relaxed)).collect()
}

/// Puts taken values back (the merge failed): nothing recorded is lost to a busy lock.
pub(crate) fn put_back(cells: &[AtomicU64], meta: &MetricsMeta, values: &[u64]) {
    let mut now: Vec<u64> = take(cells);
    add(meta, &mut now, values);
    // Values recorded since the take are the later ones: they win for last-value metrics.
    let recent = take(cells);
    add(meta, &mut now, &recent);
    for (c, v) in cells.iter().zip(now) {
        c.store(v, Relaxed);
    }
}

/// Adds `delta` into `into`: counts and sums add; a last value set replaces.
pub(crate) fn add(meta: &MetricsMeta, into: &mut [u64], delta: &[u64]) {
    let mut at = 0;
    for m in meta.metrics {
        let n = m.kind.cells();
        for i in at..at + n {
            let (Some(slot), Some(&d)) = (into.get_mut(i), delta.get(i)) else { continue };
            match m.kind {
                MetricKind::Quantity { .. } | MetricKind::Boolean => {
                    if d != 0 {
                        *slot = d;
                    }
                }
                _ => *slot = slot.saturating_add(d),
            }
        }
        at += n;
    }
}

/// The first millisecond of the UTC day holding `ms`.
fn day_start(ms: u64) -> u64 {
    ms - ms % DAY_MS
}

/// Merges `delta` into the stored aggregate at `now_ms`; `exiting` says
/// the process ends (an `on_exit` period ends with it). Returns the
/// aggregate of a period that has ended, to be sent.
pub(crate) fn merge(
    gate: &Gate,
    meta: &MetricsMeta,
    delta: &[u64],
    run_start_ms: u64,
    now_ms: u64,
    exiting: bool,
) -> io::Result<Option<Period>> {
    gate.write(|| merge_in(gate.dir(), meta, delta, run_start_ms, now_ms, exiting))
}

fn merge_in(
    dir: &Path,
    meta: &MetricsMeta,
    delta: &[u64],
    run_start_ms: u64,
    now_ms: u64,
    exiting: bool,
) -> io::Result<Option<Period>> {
    let fingerprint = meta.fingerprint.hex();
    let cells = meta.offsets().1;
    let stored = match read_bounded(&dir.join(METRICS_FILE), MAX_BYTES) {
        Ok((bytes, _)) => serde_json::from_slice::<Stored>(&bytes)
            .ok()
            // Another schema's layout cannot be read as this one's: dropped.
            .filter(|s| s.fingerprint == fingerprint && s.values.len() == cells),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let recorded = delta.iter().any(|v| *v != 0);
    let (keep, ended) = match (meta.period, stored) {
        (MetricsPeriod::Daily, Some(s)) if day_start(s.start_ms) < day_start(now_ms) => {
            let start = day_start(s.start_ms);
            let ended = Period { start_ms: start, end_ms: start + DAY_MS, values: s.values };
            let keep = recorded.then(|| Stored { fingerprint, start_ms: now_ms, values: delta.to_vec() });
            (keep, Some(ended))
        }
        (MetricsPeriod::OnExit, stored) if exiting => {
            let mut values = stored.as_ref().map_or_else(|| vec![0; cells], |s| s.values.clone());
            add(meta, &mut values, delta);
            let start = stored.map_or(run_start_ms, |s| s.start_ms.min(run_start_ms));
            let ended = values.iter().any(|v| *v != 0).then_some(Period { start_ms: start, end_ms: now_ms, values });
            (None, ended)
        }
        (_, Some(mut s)) => {
            add(meta, &mut s.values, delta);
            (Some(s), None)
        }
        (_, None) => (recorded.then(|| Stored { fingerprint, start_ms: now_ms, values: delta.to_vec() }), None),
    };
    match keep {
        Some(s) => write_atomic(dir, METRICS_FILE, &serde_json::to_vec(&s).map_err(io::Error::other)?)?,
        None => match std::fs::remove_file(dir.join(METRICS_FILE)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        },
    }
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{Fingerprint, MetricMeta};

    static METRICS: [MetricMeta; 3] = [
        MetricMeta::new("runs", MetricKind::Counter, None),
        MetricMeta::new("took", MetricKind::Distribution { unit: "ms", bounds: &[10, 100] }, None),
        MetricMeta::new("big", MetricKind::Quantity { unit: "By" }, None),
    ];
    static META: MetricsMeta = MetricsMeta::new("demo", Fingerprint::new(9), MetricsPeriod::Daily, &METRICS);
    static ON_EXIT: MetricsMeta = MetricsMeta::new("demo", Fingerprint::new(9), MetricsPeriod::OnExit, &METRICS);
    const T0: u64 = 1_780_000_000_000;

    fn dir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("metrics-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn runs_of_one_day_add_up_and_the_next_day_sends_them() {
        let d = dir("daily");
        let run = |delta: &[u64], now| merge_in(&d, &META, delta, now, now, true).unwrap();
        assert_eq!(run(&[1, 0, 1, 0, 2100, 0], T0), None);
        assert_eq!(run(&[1, 0, 1, 0, 1900, 5], T0 + 1000), None);
        assert_eq!(run(&[1, 1, 0, 0, 5, 0], T0 + 2000), None);
        let next_day = day_start(T0) + DAY_MS + 5;
        let ended = run(&[0; 6], next_day).expect("the day ended");
        assert_eq!(
            ended,
            Period { start_ms: day_start(T0), end_ms: day_start(T0) + DAY_MS, values: vec![3, 1, 2, 0, 4005, 5] }
        );
        // Nothing recorded since: no file kept, nothing more to send.
        assert!(!d.join(METRICS_FILE).exists());
        assert_eq!(run(&[0; 6], next_day + 1), None);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn nothing_recorded_writes_no_file() {
        let d = dir("empty");
        assert_eq!(merge_in(&d, &META, &[0; 6], T0, T0, true).unwrap(), None);
        assert!(!d.join(METRICS_FILE).exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn on_exit_sends_each_run_and_keeps_nothing() {
        let d = dir("on-exit");
        let ended = merge_in(&d, &ON_EXIT, &[2, 0, 0, 0, 0, 0], T0, T0 + 50, true).unwrap();
        assert_eq!(ended, Some(Period { start_ms: T0, end_ms: T0 + 50, values: vec![2, 0, 0, 0, 0, 0] }));
        assert!(!d.join(METRICS_FILE).exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn the_aggregate_reads_back_and_needs_each_field() {
        let s = Stored { fingerprint: "ab".into(), start_ms: 5, values: vec![1, 2] };
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(text, r#"{"fingerprint":"ab","start_ms":5,"values":[1,2]}"#);
        let back: Stored = serde_json::from_str(&text.replace('{', r#"{"later":{"a":[1]},"#)).unwrap();
        assert_eq!((back.fingerprint, back.start_ms, back.values), (s.fingerprint, s.start_ms, s.values));
        let err = serde_json::from_str::<Stored>(r#"{"fingerprint":"ab","start_ms":5}"#).unwrap_err();
        assert_eq!(err.to_string(), "missing field `values` at line 1 column 33");
        assert!(serde_json::from_str::<Stored>(r#"{"fingerprint":"ab","start_ms":-1,"values":[]}"#).is_err());
    }

    #[test]
    fn another_schemas_aggregate_is_dropped() {
        let d = dir("other");
        std::fs::write(d.join(METRICS_FILE), r#"{"fingerprint":"00","start_ms":1,"values":[7,7,7,7,7,7]}"#).unwrap();
        assert_eq!(merge_in(&d, &META, &[1, 0, 0, 0, 0, 0], T0, T0, true).unwrap(), None);
        let s: Stored = serde_json::from_slice(&std::fs::read(d.join(METRICS_FILE)).unwrap()).unwrap();
        assert_eq!(s.values, [1, 0, 0, 0, 0, 0]);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
