//! The schema cases, trybuild's way: every `tests/cases/NAME.yaml` is a
//! schema the loader must refuse, and `tests/cases/NAME.expected` holds the
//! exact rendered error, every diagnostic with its `help:` line, ending in
//! one newline. The file name says what the case proves
//! (`hashed-bool-rejected`, `yaml-tags-refused`, ...).
//!
//! Each case is loaded from its bytes with `load_bytes(bytes, "demo.yaml")`,
//! so errors read `demo.yaml:LINE:COL: error: ...` wherever the directory
//! lives. Other consumers (the derive's `corpus_derive` test, the fuzzer's
//! seeds) replace that `demo.yaml` with their own file name.
//!
//! One test, [`every_case_renders_its_expected_error`], runs every case and
//! reports all mismatches at once, each with a line diff. A case that loads,
//! panics or hangs (see `common::HANG`) always fails.
//!
//! # Bless
//!
//! After changing a message on purpose, rewrite the `.expected` files from
//! what the loader says now, then review the diff with `git diff`:
//!
//! ```text
//! BLESS=1 cargo test -p telemetry-schema --test cases
//! ```
//!
//! A new case is a new `NAME.yaml`; blessing writes its `NAME.expected`.

mod common;

use std::path::{Path, PathBuf};

/// The file name every case is loaded under.
const FILE: &str = "demo.yaml";

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Case names are kebab-case so they read as sentences and sort by topic.
fn is_case_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn every_case_renders_its_expected_error() {
    let dir = cases_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let bless = blessing();
    let mut failures = Vec::new();
    let mut blessed = Vec::new();
    let mut count = 0;
    for file in &names {
        let (name, ext) = file.rsplit_once('.').unwrap_or((file, ""));
        match ext {
            "yaml" => {}
            "expected" if names.contains(&format!("{name}.yaml")) => continue,
            "expected" => {
                failures.push(format!("{file}: no {name}.yaml beside it; remove it or add the case"));
                continue;
            }
            _ => {
                failures.push(format!("{file}: only NAME.yaml and NAME.expected belong in {}", dir.display()));
                continue;
            }
        }
        count += 1;
        if !is_case_name(name) {
            failures.push(format!("{file}: case names are kebab-case (lowercase letters, digits and `-`)"));
        }
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let got = match common::refusal(move || telemetry_schema::load_bytes(&bytes, FILE)) {
            Ok(rendered) => format!("{rendered}\n"),
            Err(why) => {
                failures.push(format!("{file}: {why}; every case must be refused"));
                continue;
            }
        };
        let expected_path = dir.join(format!("{name}.expected"));
        let expected = std::fs::read_to_string(&expected_path).ok();
        if expected.as_deref() == Some(got.as_str()) {
            continue;
        }
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            blessed.push(format!("{name}.expected"));
            continue;
        }
        match expected {
            None => failures.push(format!("{name}.expected is missing; this is what the loader says:\n{got}")),
            Some(want) => failures.push(format!("{name}.yaml\n{}", line_diff(&want, &got))),
        }
    }
    if !blessed.is_empty() {
        eprintln!("BLESS: rewrote {} file(s): {}", blessed.len(), blessed.join(", "));
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed (`-` expected, `+` the loader now; \
         `BLESS=1 cargo test -p telemetry-schema --test cases` rewrites the .expected files):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // An emptied or moved directory must not pass as "no mismatches".
    assert!(count >= 200, "{} holds only {count} cases", dir.display());
}

/// A line diff (longest common subsequence): `  ` both, `- ` only in `want`, `+ ` only in `got`.
fn line_diff(want: &str, got: &str) -> String {
    let a: Vec<&str> = want.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("    {}\n", a[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("  - {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("  + {}\n", b[j]));
            j += 1;
        }
    }
    if want.ends_with('\n') != got.ends_with('\n') {
        out.push_str("  (the files differ in their final newline)\n");
    }
    out
}

#[test]
fn line_diff_marks_removed_added_and_kept_lines() {
    assert_eq!(line_diff("a\nb\nc\n", "a\nx\nc\n"), "    a\n  - b\n  + x\n    c\n");
    assert_eq!(line_diff("a\n", "a"), "    a\n  (the files differ in their final newline)\n");
    assert_eq!(line_diff("old\n", "new\n"), "  - old\n  + new\n");
}
