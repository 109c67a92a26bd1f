//! The `## Summary` table at the top of BENCHMARKS.md: its rows, how the
//! cells are written, and replacing a section of the file.

use std::fmt::Write as _;
use std::path::Path;

/// One summary row.
pub struct Row {
    pub what: String,
    pub median: String,
    pub spread: String,
    pub baseline: String,
    pub ratio: String,
    pub target: String,
    pub met: String,
}

/// How the figures were taken, for the line above the table.
pub struct Run {
    pub quick: bool,
    pub seconds: f64,
    pub machine: String,
    pub rustc: String,
    pub load_before: String,
    pub load_after: String,
    /// Repetitions of each divan bench binary.
    pub repeats: usize,
}

/// Nanoseconds in the unit that reads best.
pub fn ns(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.2} ms", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.2} µs", v / 1e3)
    } else if v >= 10.0 {
        format!("{v:.0} ns")
    } else {
        format!("{v:.2} ns")
    }
}

/// The range of the medians of `repeats` runs, in nanoseconds.
pub fn spread_ns(repeats: usize, lo: f64, hi: f64) -> String {
    if repeats < 2 { "1 run".into() } else { format!("{}–{}", ns(lo), ns(hi)) }
}

/// The "met" cell: a miss stands out in bold.
pub fn yes(ok: bool) -> String {
    if ok { "yes".into() } else { "**no**".into() }
}

/// The `## Summary` section: the run line, the table, the notes.
pub fn render(run: &Run, rows: &[Row], notes: &[String]) -> String {
    let mut md = String::from("## Summary\n\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench{}` in {:.0} s; machine: {}, {}; load average before {}, after \
         {} (1, 5, 15 min). Runtime figures: release builds, medians; \"spread\" is the range of the \
         medians of {} repeated runs of each bench binary (divan), or of the individual runs (delivery, exit).\n",
        if run.quick { " --quick" } else { "" },
        run.seconds,
        run.machine,
        run.rustc,
        run.load_before,
        run.load_after,
        run.repeats
    );
    let _ = writeln!(md, "| measure | median | spread | baseline (same run) | ratio | target | met |");
    let _ = writeln!(md, "| --- | ---: | --- | --- | ---: | --- | --- |");
    for r in rows {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.what, r.median, r.spread, r.baseline, r.ratio, r.target, r.met
        );
    }
    md.push('\n');
    for n in notes {
        let _ = writeln!(md, "- {n}");
    }
    md.push('\n');
    md
}

/// Puts the summary `md` in BENCHMARKS.md at `path`: in place of the old
/// one, or else before the first section.
pub fn write(path: &Path, md: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n\n".into());
    if text.contains("## Summary") {
        upsert_section(path, "## Summary", md)
    } else {
        let at = text.find("\n## ").map_or(text.len(), |i| i + 1);
        std::fs::write(path, format!("{}{md}{}", &text[..at], &text[at..])).map_err(|e| e.to_string())
    }
}

/// Replaces the section that starts with `heading` in BENCHMARKS.md (up to the next `## `), or appends it.
pub fn upsert_section(path: &Path, heading: &str, body: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n\n".into());
    // The heading as a whole line: `## Peers` must not match `## Peers: bytes per event`.
    let line = format!("\n{heading}\n");
    let out = match text.find(&line).map(|i| i + 1) {
        Some(start) => {
            let rest = &text[start + heading.len()..];
            let end = rest.find("\n## ").map_or(text.len(), |e| start + heading.len() + e + 1);
            format!("{}{}{}", &text[..start], body, &text[end..])
        }
        None => format!("{}\n{}", text.trim_end(), format_args!("\n{body}")),
    };
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!([ns(2.345), ns(609.2), ns(1063.0), ns(2.5e6)], ["2.35 ns", "609 ns", "1.06 µs", "2.50 ms"]);
        assert_eq!(spread_ns(1, 1.0, 2.0), "1 run");
        assert_eq!(spread_ns(3, 600.0, 1200.0), "600 ns–1.20 µs");
    }

    #[test]
    fn summary_replaces_its_section_only() {
        let dir = telemetry_testkit::TempDir::new("summary").unwrap();
        let path = dir.path().join("BENCHMARKS.md");
        std::fs::write(&path, "# Benchmarks\n\nIntro.\n\n## Compile time\n\nold\n").unwrap();
        write(&path, "## Summary\n\nfirst\n\n").unwrap();
        write(&path, "## Summary\n\nsecond\n\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# Benchmarks\n\nIntro.\n\n## Summary\n\nsecond\n\n## Compile time\n\nold\n"
        );
    }

    #[test]
    fn a_section_is_found_by_its_whole_heading_line() {
        let dir = telemetry_testkit::TempDir::new("peers").unwrap();
        let path = dir.path().join("BENCHMARKS.md");
        std::fs::write(&path, "# Benchmarks\n\n## Peers: bytes\n\nkept\n\n## Peers\n\nold\n").unwrap();
        upsert_section(&path, "## Peers", "## Peers\n\nnew\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# Benchmarks\n\n## Peers: bytes\n\nkept\n\n## Peers\n\nnew\n"
        );
    }
}
