//! The markdown section: one table of every figure with its ratio to
//! telemetry-core on the same wire format (peer ÷ telemetry-core), then the
//! issue's targets, each computed from the same run.

use std::fmt::Write as _;

use crate::bytes::{BATCH, Bytes};
use crate::measure::{Timing, median};
use crate::systems::ALL;

/// One burst: what the collector counted and how fast.
#[derive(Debug, Clone, Default)]
pub struct Burst {
    /// Events the caller recorded.
    pub events: u64,
    /// Events the collector counted.
    pub delivered: u64,
    /// Delivered per second, from the first event to the end of the flush.
    pub rate: f64,
    /// Peak RSS over RSS before the burst.
    pub rss_growth_mib: f64,
    /// The system's own counters, if it keeps any.
    pub stats: String,
}

impl Burst {
    /// The run with the median rate, with the worst loss and RSS growth of all runs.
    pub fn median(mut runs: Vec<Burst>) -> Burst {
        let mut rates: Vec<f64> = runs.iter().map(|b| b.rate).collect();
        let m = median(&mut rates);
        let worst_rss = runs.iter().map(|b| b.rss_growth_mib).fold(0.0, f64::max);
        let fewest = runs.iter().map(|b| b.delivered).min().unwrap_or(0);
        let i = runs.iter().position(|b| b.rate == m).unwrap_or(0);
        let mut b = runs.swap_remove(i);
        b.rss_growth_mib = worst_rss;
        b.delivered = fewest;
        b
    }

    fn dropped_pct(&self) -> f64 {
        100.0 * (self.events.saturating_sub(self.delivered)) as f64 / self.events as f64
    }
}

/// Every figure of one system.
#[derive(Debug, Default)]
pub struct Figures {
    pub record_ns: Option<f64>,
    pub record_stats: Option<String>,
    pub burst_default: Option<Burst>,
    pub burst_raised: Option<Burst>,
    pub exit_up: Option<Timing>,
    pub exit_down: Option<Timing>,
    pub exit_hang: Option<Timing>,
    /// Against the distant collector, one per delay.
    pub distant: Vec<crate::distant::Distant>,
    pub size: Option<u64>,
    pub build_secs: Option<f64>,
    /// Bytes per event on the wire.
    pub bytes: Option<crate::bytes::Bytes>,
}

/// One run of the whole bench.
pub struct Run {
    pub figs: Vec<Figures>,
    pub none: Timing,
    pub core_off: Timing,
    pub none_size: u64,
    pub quick: bool,
    pub record_runs: usize,
    pub per_run: usize,
    pub burst_runs: usize,
    pub exit_runs: usize,
    pub distant_runs: usize,
    pub secs: f64,
    pub load_before: String,
    pub load_after: String,
}

fn ns(v: f64) -> String {
    format!("{v:.0} ns")
}

fn rate(v: f64) -> String {
    format!("{:.0}k/s", v / 1e3)
}

fn ms(v: f64) -> String {
    if v >= 1000.0 { format!("{:.2} s", v / 1e3) } else { format!("{v:.1} ms") }
}

fn mib(bytes: u64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1 << 20) as f64)
}

fn exit_cell(t: &Timing) -> String {
    format!("{} ({}–{}, {} runs)", ms(t.median), ms(t.min), ms(t.max), t.runs)
}

/// A row: each system's cell from `cell`, peers with their ratio `value(peer) ÷ value(base)`.
fn row<T>(
    md: &mut String,
    what: &str,
    figs: &[Figures],
    get: impl Fn(&Figures) -> Option<T>,
    cell: impl Fn(&T) -> String,
    value: impl Fn(&T) -> f64,
) {
    let _ = write!(md, "| {what} |");
    for (s, f) in ALL.iter().zip(figs) {
        let text = match get(f) {
            None => "not measured".to_string(),
            Some(v) => {
                let ratio = s.base.and_then(|b| get(&figs[b])).map(|b| value(&v) / value(&b));
                match ratio {
                    Some(r) => format!("{} ({r:.2}×)", cell(&v)),
                    None => cell(&v),
                }
            }
        };
        let _ = write!(md, " {text} |");
    }
    md.push('\n');
}

/// A target row on exit time: `time` (`what`: a median, or the slowest
/// run) at most `limit` ms over `none`, the no-telemetry CLI's median.
fn exit_target(md: &mut String, target: &str, what: &str, time: f64, none: f64, limit: f64) {
    let over = time - none;
    let _ =
        writeln!(md, "| {target} | {what}{} = {over:+.2} ms over {} | {} |", ms(time), ms(none), yes(over <= limit));
}

fn yes(ok: bool) -> &'static str {
    if ok { "yes" } else { "**no**" }
}

/// The `## Peers` section.
pub fn render(r: &Run) -> String {
    let f = &r.figs;
    let mut md = String::from("## Peers\n\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench --peers{}` (bench-peers/, its own workspace) in {:.0} s; load average before \
         {}, after {} (1, 5, 15 min). One event for every system: `build_finished`, 8 fields, `project` and `branch` \
         HMAC-SHA256'd (inside `record()` for telemetry-core, by the caller for the peers, which cannot hash); each \
         system at its defaults unless the row says otherwise, sending to the same loopback collector, which counts \
         the events it receives per wire format. Exit: `hyperfine -N`, {} runs after 3 warm-ups (3 runs, no warm-up, \
         for a case whose first run takes over 2 s), median (min–max); with the collector up, the no-telemetry CLI \
         and every system take turns in rounds of 10 runs (each round after 3 warm-ups), so that drift in the host's \
         speed reaches each alike. Ratio = peer ÷ telemetry-core on the same wire format (PostHog for \
         posthog-rs, OTLP/HTTP for OpenTelemetry).\n",
        if r.quick { " --quick" } else { "" },
        r.secs,
        r.load_before,
        r.load_after,
        r.exit_runs
    );
    let _ = write!(md, "| measure |");
    for s in &ALL {
        let _ = write!(md, " {} |", s.label);
    }
    let _ = write!(md, "\n| --- |");
    for _ in &ALL {
        md.push_str(" ---: |");
    }
    md.push('\n');
    row(
        &mut md,
        &format!("caller-thread cost per event (median of {} runs of {} events)", r.record_runs, r.per_run),
        f,
        |x| x.record_ns,
        |v| ns(*v),
        |v| *v,
    );
    for (label, pick) in [("defaults", false), ("queue raised to hold the burst", true)] {
        let get = |x: &Figures| if pick { x.burst_raised.clone() } else { x.burst_default.clone() };
        row(
            &mut md,
            &format!("delivered/s, 100k burst counted at the collector, {label} (median of {} runs)", r.burst_runs),
            f,
            get,
            |b| format!("{}, {:.1} % dropped", rate(b.rate), b.dropped_pct()),
            |b| b.rate,
        );
        row(
            &mut md,
            &format!("peak RSS growth during that burst, {label}"),
            f,
            get,
            |b| format!("{:.1} MiB", b.rss_growth_mib),
            |b| b.rss_growth_mib,
        );
    }
    for (label, pick) in [("up", 0), ("down (connection refused)", 1), ("hanging (accepts, never answers)", 2)] {
        let get = |x: &Figures| [x.exit_up, x.exit_down, x.exit_hang][pick];
        row(
            &mut md,
            &format!("whole-process exit of the minimal CLI, collector {label} (hyperfine, median)"),
            f,
            get,
            exit_cell,
            |t| t.median,
        );
    }
    for (i, d) in crate::distant::DELAYS.iter().enumerate() {
        let get = |x: &Figures| x.distant.get(i).copied();
        row(
            &mut md,
            &format!("whole-process exit of the minimal CLI, collector answering after {d} ms (hyperfine, median)"),
            f,
            get,
            |t| exit_cell(&t.exit),
            |t| t.exit.median,
        );
        // Counts, not times: no ratio.
        let _ = write!(
            md,
            "| collector answering after {d} ms: of {} runs' events (one each), arrived before exit / left on disk for the next run |",
            r.distant_runs
        );
        for x in f {
            match get(x) {
                Some(t) => {
                    let _ = write!(md, " {} / {} |", t.arrived, t.left);
                }
                None => md.push_str(" not measured |"),
            }
        }
        md.push('\n');
    }
    row(&mut md, "minimal CLI, release binary size", f, |x| x.size, |b| mib(*b), |b| *b as f64);
    row(
        &mut md,
        "minimal CLI, clean release build (dependencies included, downloaded)",
        f,
        |x| x.build_secs,
        |s| format!("{s:.0} s"),
        |s| *s,
    );
    let _ = writeln!(
        md,
        "\nBaselines: the no-telemetry CLI (same process, same two hashes, nothing sent) exits in {}, its binary is {}; \
         telemetry-core's CLI with `DO_NOT_TRACK=1` exits in {}.",
        exit_cell(&r.none),
        mib(r.none_size),
        exit_cell(&r.core_off)
    );
    let counters: Vec<String> = ALL
        .iter()
        .zip(f)
        .filter(|(s, _)| s.base.is_none())
        .filter_map(|(s, x)| Some(format!("{}: {}", s.label, x.burst_default.as_ref()?.stats)))
        .collect();
    let _ = writeln!(md, "telemetry-core's counters after the burst at defaults: {}.\n", counters.join("; "));
    let bytes: Vec<(&str, Bytes)> = ALL.iter().zip(f).filter_map(|(s, x)| Some((s.label, x.bytes?))).collect();
    if !bytes.is_empty() {
        let _ = writeln!(
            md,
            "Bytes per event on the wire, as the collector read them (request line, headers and body, HTTP/1.1 before \
             TLS): one event in a run, and a burst of {BATCH} flushed (batched as each system batches), each at the \
             system's defaults and with its gzip option on.\n"
        );
        md.push_str(&crate::bytes::table(&bytes));
        md.push('\n');
    }
    targets(&mut md, r);
    costs(&mut md, r);
    md
}

/// Issue 24's targets: exit with the collector up within 1.0 ms of the
/// no-telemetry CLI and below the OpenTelemetry SDK, and the fewest bytes
/// per event of all systems on each wire format (the peers on it).
fn costs(md: &mut String, r: &Run) {
    let f = &r.figs;
    let _ = writeln!(md, "| target (issue 24) | figure, this run | met |\n| --- | --- | --- |");
    let sdk = ALL.iter().position(|s| s.label.starts_with("OpenTelemetry")).and_then(|i| f[i].exit_up);
    for c in (0..ALL.len()).filter(|&i| ALL[i].base.is_none()) {
        let Some(up) = f[c].exit_up else { continue };
        let target = format!("exit, collector up: median ≤ no telemetry + 1.0 ms, {}", ALL[c].label);
        exit_target(md, &target, "", up.median, r.none.median, 1.0);
        if let Some(sdk) = sdk {
            let _ = writeln!(
                md,
                "| exit, collector up: median below the OpenTelemetry SDK's, {} | {} vs {} | {} |",
                ALL[c].label,
                ms(up.median),
                ms(sdk.median),
                yes(up.median < sdk.median)
            );
        }
        let Some(ours) = f[c].bytes else { continue };
        let peers: Vec<(usize, Bytes)> =
            (0..ALL.len()).filter(|&p| ALL[p].base == Some(c)).filter_map(|p| Some((p, f[p].bytes?))).collect();
        for (what, pick) in [
            ("1 event, defaults", 0),
            ("1 event, gzip", 1),
            ("per event in a batch, defaults", 2),
            ("per event in a batch, gzip", 3),
        ] {
            let get = |b: &Bytes| [b.one[0], b.one[1], b.batch[0], b.batch[1]][pick];
            let Some((p, fewest)) = peers.iter().map(|(p, b)| (*p, get(b))).min_by(|a, b| a.1.total_cmp(&b.1)) else {
                continue;
            };
            let _ = writeln!(
                md,
                "| fewest bytes per event on the wire, {what}, {} | {:.1} B vs {} {:.1} B | {} |",
                ALL[c].label,
                get(&ours),
                ALL[p].label,
                fewest,
                yes(get(&ours) <= fewest)
            );
        }
    }
    md.push('\n');
}

fn targets(md: &mut String, r: &Run) {
    let f = &r.figs;
    let _ = writeln!(md, "| target (issue 13) | figure, this run | met |\n| --- | --- | --- |");
    let peers: Vec<usize> = (0..ALL.len()).filter(|&i| ALL[i].base.is_some()).collect();
    let cores: Vec<usize> = (0..ALL.len()).filter(|&i| ALL[i].base.is_none()).collect();
    if let (Some((fi, fastest)), Some(worst)) = (
        peers.iter().filter_map(|&i| Some((i, f[i].record_ns?))).min_by(|a, b| a.1.total_cmp(&b.1)),
        cores.iter().filter_map(|&i| f[i].record_ns).max_by(f64::total_cmp),
    ) {
        let _ = writeln!(
            md,
            "| caller ns/event ≤ fastest peer ÷ 1.5 | slowest telemetry-core column {}; fastest peer ({}) {}: {:.2}× ours | {} |",
            ns(worst),
            ALL[fi].label,
            ns(fastest),
            fastest / worst,
            yes(fastest / worst >= 1.5)
        );
    }
    for (label, pick) in [("defaults", false), ("queue raised", true)] {
        for &c in &cores {
            let get = |x: &Figures| if pick { x.burst_raised.clone() } else { x.burst_default.clone() };
            let best = peers
                .iter()
                .filter(|&&p| ALL[p].base == Some(c))
                .filter_map(|&p| Some((p, get(&f[p])?.rate)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let (Some(ours), Some((p, theirs))) = (get(&f[c]), best) {
                let _ = writeln!(
                    md,
                    "| delivered/s ≥ 1.5× the best peer, {label}, {} | {} vs {} {}: {:.2}× | {} |",
                    ALL[c].label,
                    rate(ours.rate),
                    ALL[p].label,
                    rate(theirs),
                    ours.rate / theirs,
                    yes(ours.rate / theirs >= 1.5)
                );
            }
        }
    }
    for &c in &cores {
        if let Some(b) = &f[c].burst_default {
            let _ = writeln!(
                md,
                "| 100k burst at defaults: 0 dropped, peak RSS growth ≤ 16 MiB, {} | {} dropped, {:.1} MiB | {} |",
                ALL[c].label,
                b.events - b.delivered.min(b.events),
                b.rss_growth_mib,
                yes(b.delivered >= b.events && b.rss_growth_mib <= 16.0)
            );
        }
    }
    for (label, limit, pick) in [("up", 2.0, 0), ("down", 5.0, 1), ("hanging", 120.0, 2)] {
        for &c in &cores {
            if let Some(t) = [f[c].exit_up, f[c].exit_down, f[c].exit_hang][pick] {
                let target =
                    format!("exit, collector {label}: every run ≤ no telemetry + {limit} ms, {}", ALL[c].label);
                exit_target(md, &target, "slowest run ", t.max, r.none.median, limit);
            }
        }
    }
    let posthog: Vec<usize> = peers.iter().copied().filter(|&p| ALL[p].base == Some(0)).collect();
    let smallest = posthog.iter().filter_map(|&p| f[p].size).min();
    if let (Some(ours), Some(theirs)) = (f[0].size, smallest) {
        let _ =
            writeln!(md, "| binary size ≤ posthog-rs's | {} vs {} | {} |", mib(ours), mib(theirs), yes(ours <= theirs));
    }
    let fastest = posthog.iter().filter_map(|&p| f[p].build_secs).min_by(f64::total_cmp);
    match (f[0].build_secs, fastest) {
        (Some(ours), Some(theirs)) => {
            let _ =
                writeln!(md, "| clean build ≤ posthog-rs's | {ours:.0} s vs {theirs:.0} s | {} |", yes(ours <= theirs));
        }
        _ => {
            let _ = writeln!(md, "| clean build ≤ posthog-rs's | not measured (`--quick`) | — |");
        }
    }
    md.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time under the no-telemetry median is a signed difference, not `+-`.
    #[test]
    fn an_exit_target_row_says_the_signed_difference() {
        let mut md = String::new();
        exit_target(
            &mut md,
            "exit, collector down: every run ≤ no telemetry + 5 ms, x",
            "slowest run ",
            11.7,
            12.0,
            5.0,
        );
        exit_target(&mut md, "exit, collector up: median ≤ no telemetry + 1.0 ms, x", "", 13.5, 12.0, 1.0);
        assert_eq!(
            md,
            "| exit, collector down: every run ≤ no telemetry + 5 ms, x | slowest run 11.7 ms = -0.30 ms over 12.0 ms | yes |\n\
             | exit, collector up: median ≤ no telemetry + 1.0 ms, x | 13.5 ms = +1.50 ms over 12.0 ms | **no** |\n"
        );
    }
}
