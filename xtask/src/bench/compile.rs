//! `cargo xtask bench-compile` and row 6 of the summary: what the derive
//! costs at compile time.
//!
//! Generates two crates with the same 100 eight-field structs: one deriving
//! `TelemetryEvent` against a generated 100-event schema, one deriving only
//! `serde::Serialize`. Times, in one run and alternating between the two:
//! clean builds (dependencies included) and rebuilds of the crate alone
//! (dependencies already built: the cost paid on every edit).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::command::cargo;
use super::machine::machine;
use super::stats::spread;
use super::summary::{Row, upsert_section};

const EVENTS: usize = 100;

fn schema() -> String {
    let mut s = String::from(
        "version: 1\napp: { name: bench, title: Bench, description: Compile-time benchmark schema. }\nevents:\n",
    );
    for i in 0..EVENTS {
        let _ = write!(
            s,
            "  event_{i:03}:\n    description: Benchmark event {i}.\n    fields:\n\
             \x20     name: {{ collect: allowed, type: string, description: A name. }}\n\
             \x20     count: {{ collect: allowed, type: u64, description: A count. }}\n\
             \x20     ok: {{ collect: allowed, type: bool, description: A flag. }}\n\
             \x20     kind: {{ collect: allowed, type: enum, values: [alpha, beta, gamma], description: A kind. }}\n\
             \x20     ratio: {{ collect: allowed, type: f64, description: A ratio. }}\n\
             \x20     project: {{ collect: hashed, type: string, description: A hashed name. }}\n\
             \x20     tags: {{ collect: allowed, type: list, items: string, description: Tags. }}\n\
             \x20     code: {{ collect: allowed, type: i32, description: A code. }}\n\
             \x20     secret: {{ collect: forbidden, reason: Never sent. }}\n"
        );
    }
    s
}

fn structs(derive: &str, attr: impl Fn(usize) -> String) -> String {
    let mut s = String::new();
    for i in 0..EVENTS {
        let _ = write!(
            s,
            "#[derive({derive})]\n{}pub struct Event{i:03} {{\n    pub name: String,\n    pub count: u64,\n    pub ok: bool,\n    \
             pub kind: Kind,\n    pub ratio: f64,\n    pub project: String,\n    pub tags: Vec<String>,\n    pub code: i32,\n}}\n\n",
            attr(i)
        );
    }
    s
}

/// The toolkit's crates as a user's cargo compiles them from crates.io:
/// without incremental state. Cargo compiles path dependencies
/// incrementally (writing a query cache a registry build does not), and the
/// bench depends on them by path; serde-only has no path dependency.
const AS_REGISTRY_DEPENDENCIES: &str = "\n[profile.dev.package.telemetry-core]\nincremental = false\n\n\
     [profile.dev.package.telemetry-schema]\nincremental = false\n\n\
     [profile.dev.package.telemetry-derive]\nincremental = false\n";

/// The heading of the section this bench writes into BENCHMARKS.md, apart
/// from the hand-written compile-time sections (a section is replaced up to
/// the next `## `, its `###` subsections included).
const HEADING: &str = "## Compile time: `cargo xtask bench-compile`, 100 derived events vs serde-only";

fn write_crate(dir: &Path, name: &str, dep: &str, profile: &str, lib: &str, lock: &Path) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", dir.display());
    std::fs::create_dir_all(dir.join("src")).map_err(io)?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\n{dep}\n\n[workspace]\n{profile}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(io)?;
    std::fs::write(dir.join("src/lib.rs"), lib).map_err(io)?;
    // The workspace's lockfile, so both crates build offline with the same versions.
    std::fs::copy(lock, dir.join("Cargo.lock")).map_err(io)?;
    Ok(())
}

/// One build's wall time and, where GNU time is installed, its CPU time
/// (user + system of cargo and every rustc it waited for): on a shared
/// machine the CPU time is the steadier figure.
struct Took {
    wall: Duration,
    cpu: Option<Duration>,
}

fn cargo_build(dir: &Path) -> Result<Took, String> {
    const TIME: &str = "/usr/bin/time";
    let times = dir.join("target-cpu-time.txt");
    let timed = Path::new(TIME).exists();
    let mut cmd = if timed {
        let mut c = Command::new(TIME);
        c.args(["-f", "%U %S", "-o"]).arg(&times).arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        c
    } else {
        cargo()
    };
    let start = Instant::now();
    let out = cmd
        .args(["build", "--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let wall = start.elapsed();
    if !out.status.success() {
        return Err(format!("build of {} failed:\n{}", dir.display(), String::from_utf8_lossy(&out.stderr)));
    }
    let cpu = timed
        .then(|| std::fs::read_to_string(&times).ok())
        .flatten()
        .and_then(|t| t.split_whitespace().map(|v| v.parse::<f64>().ok()).sum::<Option<f64>>())
        .map(Duration::from_secs_f64);
    Ok(Took { wall, cpu })
}

fn touch(dir: &Path) -> Result<(), String> {
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, text).map_err(|e| e.to_string())
}

fn median(v: &mut [Duration]) -> Duration {
    spread(v).0
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// `cargo xtask bench-compile [--quick]`: prints the section and writes it to BENCHMARKS.md.
pub fn task(root: &Path, quick: bool) -> Result<(), String> {
    let (clean, rebuild) = if quick { (1, 2) } else { (3, 5) };
    let md = run(root, clean, rebuild)?;
    print!("{md}");
    upsert_section(&root.join("BENCHMARKS.md"), HEADING, &md)
}

/// Row 6 of the summary: the same benchmark (fewer builds when `quick`), its
/// section written to BENCHMARKS.md, its table turned into rows.
pub fn rows(quick: bool, root: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    let (clean, rebuild) = if quick { (1, 2) } else { (3, 5) };
    eprintln!("bench: compile time ({clean} clean builds, {rebuild} rebuilds each)");
    let md = run(root, clean, rebuild)?;
    upsert_section(&root.join("BENCHMARKS.md"), HEADING, &md)?;
    for line in md.lines().filter(|l| l.starts_with("| clean") || l.starts_with("| rebuild")) {
        let c: Vec<&str> = line.split('|').map(str::trim).collect();
        if c.len() >= 5 {
            rows.push(Row {
                what: format!("6. compile 100 derived events: {}", c[1]),
                median: c[2].into(),
                spread: "—".into(),
                baseline: format!("`#[derive(serde::Serialize)]`: {}", c[3]),
                ratio: c[4].into(),
                target: "—".into(),
                met: "—".into(),
            });
        }
    }
    if let Some(l) = md.lines().find(|l| l.starts_with("Derive cost per event")) {
        rows.push(Row {
            what: "6. derive cost per event over serde's (crate rebuilds)".into(),
            median: l.split("rebuilds: ").nth(1).and_then(|s| s.split(" ms").next()).unwrap_or("?").to_string() + " ms",
            spread: "—".into(),
            baseline: "—".into(),
            ratio: "—".into(),
            target: "—".into(),
            met: "—".into(),
        });
    }
    Ok(())
}

/// Runs the benchmark; returns the markdown section for BENCHMARKS.md.
fn run(root: &Path, clean_runs: usize, rebuild_runs: usize) -> Result<String, String> {
    let base = root.join("target/bench-compile");
    let derived = base.join("derived");
    let serde = base.join("serde");
    let lock = root.join("Cargo.lock");
    let core = root.join("telemetry-core");
    std::fs::create_dir_all(&derived).map_err(|e| e.to_string())?;
    std::fs::write(derived.join("schema.yaml"), schema()).map_err(|e| e.to_string())?;
    let derived_lib = format!(
        "#[derive(telemetry_core::TelemetryEnum)]\npub enum Kind {{ Alpha, Beta, Gamma }}\n\n{}",
        structs("telemetry_core::TelemetryEvent", |i| format!(
            "#[telemetry(schema = \"../schema.yaml\", event = \"event_{i:03}\")]\n"
        ))
    );
    let serde_lib = format!(
        "#[derive(serde::Serialize)]\n#[serde(rename_all = \"snake_case\")]\npub enum Kind {{ Alpha, Beta, Gamma }}\n\n{}",
        structs("serde::Serialize", |_| String::new())
    );
    write_crate(
        &derived,
        "bench-derived",
        &format!("telemetry-core = {{ path = {:?}, default-features = false }}", core.display().to_string()),
        AS_REGISTRY_DEPENDENCIES,
        &derived_lib,
        &lock,
    )?;
    write_crate(&serde, "bench-serde", "serde = { version = \"1\", features = [\"derive\"] }", "", &serde_lib, &lock)?;

    let (mut clean_d, mut clean_s) = (Vec::new(), Vec::new());
    for i in 0..clean_runs {
        for (dir, out) in [(&derived, &mut clean_d), (&serde, &mut clean_s)] {
            let _ = std::fs::remove_dir_all(dir.join("target"));
            let t = cargo_build(dir)?;
            eprintln!("clean build {} #{}: {}", dir.file_name().unwrap().to_string_lossy(), i + 1, secs(t.wall));
            out.push(t);
        }
    }
    let (mut inc_d, mut inc_s) = (Vec::new(), Vec::new());
    for i in 0..rebuild_runs {
        for (dir, out) in [(&derived, &mut inc_d), (&serde, &mut inc_s)] {
            touch(dir)?;
            let t = cargo_build(dir)?;
            eprintln!("crate rebuild {} #{}: {}", dir.file_name().unwrap().to_string_lossy(), i + 1, secs(t.wall));
            out.push(t);
        }
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    let (cd, cs, id, is) = (walls(&clean_d), walls(&clean_s), walls(&inc_d), walls(&inc_s));
    let per_event_ms = (id.as_secs_f64() - is.as_secs_f64()) * 1000.0 / EVENTS as f64;
    let mut md = String::new();
    let _ = writeln!(md, "{HEADING}\n");
    let _ = writeln!(
        md,
        "`cargo xtask bench-compile` ({clean_runs} clean builds and {rebuild_runs} crate rebuilds each, alternating, dev profile, medians; telemetry-core, -schema and -derive compiled as from crates.io, without incremental state; machine: {}; load average at the end {}).\n",
        machine(),
        load.join(" ")
    );
    let _ = writeln!(
        md,
        "| build | `#[derive(TelemetryEvent)]` | `#[derive(serde::Serialize)]` (baseline) | ratio | CPU time (user + sys), derived / serde | CPU ratio |"
    );
    let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- |");
    for (what, d, s, (wd, ws)) in [
        ("clean, dependencies included", &clean_d, &clean_s, (cd, cs)),
        ("rebuild of the crate alone", &inc_d, &inc_s, (id, is)),
    ] {
        let cpu = match (cpus(d), cpus(s)) {
            (Some(a), Some(b)) => format!("{} / {} | {:.2}×", secs(a), secs(b), ratio(a, b)),
            _ => "not measured (no /usr/bin/time) | —".into(),
        };
        let _ = writeln!(md, "| {what} | {} | {} | {:.2}× | {cpu} |", secs(wd), secs(ws), ratio(wd, ws));
    }
    let _ = writeln!(
        md,
        "\nDerive cost per event over serde's, from the crate rebuilds: {per_event_ms:.2} ms. The schema (100 events) is parsed once per compiler process: every derive after the first reuses the cached parse.\n"
    );
    Ok(md)
}

fn walls(v: &[Took]) -> Duration {
    median(&mut v.iter().map(|t| t.wall).collect::<Vec<_>>())
}

fn cpus(v: &[Took]) -> Option<Duration> {
    let mut c: Vec<Duration> = v.iter().map(|t| t.cpu).collect::<Option<_>>()?;
    Some(median(&mut c))
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
