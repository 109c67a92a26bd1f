//! The diff and its gate, as data: each directory of `tests/diff_cases/`
//! holds `before.yaml`, `after.yaml` and `expected.txt`, the gate's human
//! report followed by `exit status: 0` (passed) or `1` (failed), as
//! `cargo xtask docs --diff` would exit. A pair that does not load shows the
//! loader's errors instead. After an intended change, rerun with `BLESS=1`
//! and review the diff of `tests/diff_cases/`.

use std::path::Path;
use telemetry_schema::{Date, diff, load_str_on};

/// Expiry warnings are judged against this day, so the cases read the same every day.
const TODAY: Date = Date { year: 2026, month: 1, day: 1 };

fn load(dir: &Path, name: &str) -> Result<telemetry_schema::Schema, String> {
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()));
    load_str_on(&text, name, TODAY).map_err(|e| e.to_string())
}

fn run(dir: &Path) -> String {
    match (load(dir, "before.yaml"), load(dir, "after.yaml")) {
        (Ok(before), Ok(after)) => {
            let verdict = diff::gate_on(&[before], &[after], TODAY);
            format!("{}exit status: {}\n", diff::human(&verdict), u8::from(!verdict.passed()))
        }
        (before, after) => {
            let errors: Vec<String> = [before.err(), after.err()].into_iter().flatten().collect();
            format!("{}\nexit status: 1\n", errors.join("\n"))
        }
    }
}

#[test]
fn every_pair_classifies_and_gates_as_expected() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff_cases");
    let mut dirs: Vec<_> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(dirs.len() >= 30, "only {} cases", dirs.len());
    let bless = std::env::var_os("BLESS").is_some();
    let mut failed = Vec::new();
    for dir in &dirs {
        let actual = run(dir);
        let path = dir.join("expected.txt");
        if bless {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            failed.push(format!("--- {} ---\n{actual}", dir.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(
        failed.is_empty(),
        "{} case(s) differ (rerun with BLESS=1 if intended):\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn both_outcomes_are_covered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff_cases");
    let outcomes: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path().join("expected.txt")).unwrap())
        .collect();
    let passed = outcomes.iter().filter(|t| t.ends_with("gate: passed\nexit status: 0\n")).count();
    let failed = outcomes.iter().filter(|t| t.ends_with("exit status: 1\n")).count();
    assert!(passed >= 10 && failed >= 10, "{passed} passing and {failed} failing cases");
    assert_eq!(passed + failed, outcomes.len());
}
