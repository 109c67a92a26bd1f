//! Bytes on the wire (issue 24): what each system sends for the bench's
//! event, counted by the loopback collector as it read it (request line,
//! headers and body, HTTP/1.1 before TLS), for one event in a run and for a
//! burst of 500 flushed, each at the system's defaults and with gzip on.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use crate::collector::Collector;
use crate::measure;
use crate::settled_count;
use crate::systems::Sys;

/// Bytes per event of one system.
#[derive(Debug, Clone, Copy)]
pub struct Bytes {
    /// One event in a run: at defaults, then with gzip.
    pub one: [f64; 2],
    /// A burst of 500: at defaults, then with gzip.
    pub batch: [f64; 2],
    /// Requests the burst of 500 took: at defaults, then with gzip.
    pub requests: [u64; 2],
}

/// The events in a batch.
pub const BATCH: usize = 500;

/// `sys` sending 1 event, then 500, each at its defaults and with gzip, to
/// `up` (a collector that counts before it answers).
pub fn measure(sys: &Sys, up: &Collector) -> Result<Bytes, String> {
    let mut cells = Vec::new();
    for events in [1usize, BATCH] {
        for gzip in [false, true] {
            up.counts.reset();
            let mut a = vec!["burst".into(), "--url".into(), sys.url(up.port), "--events".into(), events.to_string()];
            a.extend(sys.format.iter().flat_map(|f| ["--format".to_string(), f.to_string()]));
            if gzip {
                a.push("--gzip".into());
            }
            measure::bench(&sys.bench(), &a, "burst")?;
            let delivered = settled_count(up);
            if delivered != events as u64 {
                return Err(format!("{} (gzip: {gzip}): {delivered} of {events} events delivered", sys.label));
            }
            let bytes = up.counts.bytes.load(Ordering::Relaxed);
            cells.push((bytes as f64 / events as f64, up.counts.requests.load(Ordering::Relaxed)));
        }
    }
    Ok(Bytes { one: [cells[0].0, cells[1].0], batch: [cells[2].0, cells[3].0], requests: [cells[2].1, cells[3].1] })
}

/// The bytes-per-event table, a row per system.
pub fn table(rows: &[(&str, Bytes)]) -> String {
    let mut md = format!(
        "| system | 1 event, defaults | 1 event, gzip | per event in {BATCH}, defaults | per event in {BATCH}, gzip | requests for {BATCH} (defaults / gzip) |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |\n"
    );
    for (label, b) in rows {
        let _ = writeln!(
            md,
            "| {label} | {:.0} | {:.0} | {:.1} | {:.1} | {} / {} |",
            b.one[0], b.one[1], b.batch[0], b.batch[1], b.requests[0], b.requests[1]
        );
    }
    md
}
