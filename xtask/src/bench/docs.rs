//! `cargo xtask bench-docs`: loading and rendering a generated schema of
//! N events, timed; and row 7 of the summary, which runs it in a release
//! and a debug build.

use std::time::{Duration, Instant};

use super::command::{cargo, run_capture};
use super::stats::spread;
use super::summary::{Row, yes};

fn median(mut v: Vec<Duration>) -> Duration {
    spread(&mut v).0
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Times `runs` loads and renders of an `events`-event schema; prints the medians.
pub fn task(events: usize, runs: usize) -> Result<(), String> {
    let text = bench_schema(events);
    let (mut load, mut md, mut js, mut total) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut sizes = (0, 0);
    for _ in 0..runs {
        let t0 = Instant::now();
        let schema = telemetry_schema::load_str(&text, "bench.yaml").map_err(|e| e.to_string())?;
        let t1 = Instant::now();
        let page = telemetry_schema::render::markdown(&schema);
        let t2 = Instant::now();
        let json = telemetry_schema::render::payload_schema_text(&schema);
        let t3 = Instant::now();
        sizes = (page.len(), json.len());
        load.push(t1 - t0);
        md.push(t2 - t1);
        js.push(t3 - t2);
        total.push(t3 - t0);
    }
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!("bench-docs: {events} events ({} KiB of YAML), {runs} runs, {profile} build; medians:", text.len() / 1024);
    println!("  load + validate      {}", ms(median(load)));
    println!("  markdown page        {}  ({} KiB)", ms(median(md)), sizes.0 / 1024);
    println!("  payload JSON Schema  {}  ({} KiB)", ms(median(js)), sizes.1 / 1024);
    let worst = total.iter().max().copied().unwrap_or_default();
    println!("  total                {}  (slowest run {})", ms(median(total)), ms(worst));
    Ok(())
}

/// Runs `bench-docs` in a release and a debug build (fewer runs when `quick`).
pub fn rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    let parse_total = |out: &str| -> Result<f64, String> {
        out.lines()
            .find(|l| l.trim_start().starts_with("total"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or(format!("no total in bench-docs output:\n{out}"))
    };
    let (rel_runs, dbg_runs) = if quick { ("5", "3") } else { ("21", "5") };
    for (profile, runs) in [("release", rel_runs), ("debug", dbg_runs)] {
        let mut c = cargo();
        c.args(["run", "-q", "-p", "xtask"]);
        if profile == "release" {
            c.arg("--release");
        }
        c.args(["--", "bench-docs", "--runs", runs]);
        let out = run_capture(&mut c, &format!("bench-docs ({profile})"))?;
        print!("{out}");
        let total = parse_total(&out)?;
        rows.push(Row {
            what: format!("7. docs: load + render a 1,000-event schema, {profile} build ({runs} runs)"),
            median: format!("{total:.0} ms"),
            spread: "—".into(),
            baseline: "—".into(),
            ratio: "—".into(),
            target: "< 1 s".into(),
            met: yes(total < 1000.0),
        });
    }
    Ok(())
}

/// A synthetic schema with `events` events of eight fields each (every
/// type, a nested object, a hashed field, a forbidden one), for timing.
pub fn bench_schema(events: usize) -> String {
    let mut s = String::from(
        "version: 1\napp:\n  name: bench\n  title: Bench\n  description: A generated schema for timing the renderers.\n  docs_url: https://example.org/bench/telemetry\nconsent:\n  env:\n    - { name: BENCH_DISABLE_TELEMETRY, disables_when: truthy }\n    - { name: BENCH_TRACKING, equals: logging, action: log_only }\ncontext:\n  fields:\n    os: { collect: allowed, type: string, description: Operating system., example: linux }\n    ci: { collect: allowed, type: bool, description: Whether it runs in CI., example: false }\nevents:\n",
    );
    for i in 0..events {
        s.push_str(&format!(
            "  event_{i}:\n    description: Event number {i} happened | with a pipe in its text.\n    when: Every {i} minutes.\n    fields:\n      \
             command: {{ collect: allowed, type: string, max_length: 32, description: Which command ran., example: build }}\n      \
             duration_ms: {{ collect: allowed, type: u64, description: How long it took., example: 1200 }}\n      \
             outcome: {{ collect: allowed, type: enum, values: [success, failure, canceled], description: How it ended., example: success }}\n      \
             ratio: {{ collect: allowed, type: f64, required: false, description: Share of work done. }}\n      \
             project: {{ collect: hashed, type: string, description: Project name (hashed)., example: acme-{i} }}\n      \
             flags: {{ collect: allowed, type: list, items: {{ type: string, max_length: 16 }}, description: Flag names., example: [release] }}\n      \
             runtime:\n        collect: allowed\n        type: object\n        description: Runtime details.\n        fields:\n          \
             version: {{ collect: allowed, type: string, description: Runtime version., example: \"1.{i}\" }}\n          \
             threads: {{ collect: allowed, type: u16, description: Worker threads., example: 8 }}\n      \
             arguments: {{ collect: forbidden, reason: Arguments can hold secrets. }}\n"
        ));
    }
    s.push_str("never_collected:\n  - File contents.\n");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn bench_schema_loads_with_every_event() {
        let text = super::bench_schema(3);
        let schema = telemetry_schema::load_str(&text, "bench.yaml").unwrap();
        assert_eq!(schema.events.len(), 3);
        assert_eq!(schema.events[2].name, "event_2");
    }
}
