//! The schema cases through the derive: every file in
//! `telemetry-schema/tests/cases/` (see `telemetry-schema/tests/cases.rs` for
//! the `.expected` convention) is named by one `#[derive(TelemetryEvent)]` in
//! a single probe crate. The build must fail with, for each struct, a first
//! error that is the loader's expected first line, as the derive words it
//! (`schema error at FILE:LINE:COL: MESSAGE`), and never a panic.

mod probe;

use probe::{Probe, workspace};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// `demo.yaml:3:1: error: msg` (the name every case is loaded under) as the
/// derive reports it for the case's absolute `path`.
fn as_derive_message(expected: &str, path: &std::path::Path) -> String {
    let (place, msg) = expected.split_once(": error: ").expect("expected lines read `PLACE: error: MESSAGE`");
    let line_col = place.strip_prefix("demo.yaml").expect("cases are loaded as `demo.yaml`");
    format!("schema error at {}{line_col}: {msg}", path.display())
}

#[test]
fn the_derive_reports_the_loaders_first_error_for_every_corpus_file() {
    let ws = workspace();
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(ws.join("telemetry-schema/tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            let expected = std::fs::read_to_string(p.with_extension("expected")).unwrap();
            (p, expected.lines().next().unwrap_or_default().to_string())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 200, "the corpus has {} files", files.len());

    // Line of each struct's `schema = ...` attribute -> the file it names.
    let mut lib = String::from("#![allow(dead_code)]\n");
    let mut by_line: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, (path, _)) in files.iter().enumerate() {
        lib.push_str("#[derive(telemetry_core::TelemetryEvent)]\n");
        by_line.insert(lib.lines().count() + 1, i);
        let _ = writeln!(lib, "#[telemetry(schema = {:?})]\nstruct S{i} {{}}", path.display().to_string());
    }
    let p = Probe::new("corpus-derive-probe");
    p.write_lib(&lib);
    let out = p.build(&["--message-format=json"]);
    assert!(!out.status.success(), "every corpus file must fail the build");

    let mut first: BTreeMap<usize, String> = BTreeMap::new();
    let mut panics = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if v["reason"] != "compiler-message" || v["message"]["level"] != "error" {
            continue;
        }
        let text = v["message"]["message"].as_str().unwrap_or_default();
        if text.contains("panicked") {
            panics.push(text.to_string());
        }
        let Some(line_no) = v["message"]["spans"][0]["line_start"].as_u64() else { continue };
        if let Some(&i) = by_line.get(&(line_no as usize)) {
            first.entry(i).or_insert_with(|| text.lines().next().unwrap_or_default().to_string());
        }
    }
    assert!(panics.is_empty(), "the derive panicked: {panics:#?}");
    let mut failures = Vec::new();
    for (i, (path, expected)) in files.iter().enumerate() {
        let want = as_derive_message(expected, path);
        match first.get(&i) {
            Some(got) if *got == want => {}
            Some(got) => failures.push(format!("{}\n  expected: {want}\n       got: {got}", path.display())),
            None => failures.push(format!("{}: no error reported at its attribute", path.display())),
        }
    }
    assert!(failures.is_empty(), "{} of {} files:\n{}", failures.len(), files.len(), failures.join("\n"));
}
