//! The PII-name lexicon (`src/valid/pii-lexicon.txt`) against names as data:
//! `tests/pii/flagged.txt` (a name and the part `pii_token` must report) and
//! `tests/pii/not-flagged.txt` (plain technical names). Each test reports
//! every mismatch at once. The error text for a flagged name is a case in
//! `tests/cases/` (`pii-name-*`).
//!
//! The lexicon is also listed in `docs/schema-reference.md`, between the
//! `pii-lexicon` markers; `lexicon_is_listed_in_the_schema_reference` fails
//! when the list drifts from the file, and with `BLESS=1` rewrites it:
//!
//! ```text
//! BLESS=1 cargo test -p telemetry-schema --test pii_names
//! ```

use std::path::{Path, PathBuf};
use telemetry_schema::{Collect, pii_token};

const LEXICON: &str = include_str!("../src/valid/pii-lexicon.txt");
const BEGIN: &str = "<!-- pii-lexicon: generated from telemetry-schema/src/valid/pii-lexicon.txt; \
                     `BLESS=1 cargo test -p telemetry-schema --test pii_names` rewrites it -->\n";
const END: &str = "<!-- /pii-lexicon -->\n";

fn crate_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The non-comment lines of a names file.
fn data_lines(rel: &str) -> Vec<String> {
    let path = crate_file(rel);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn every_flagged_name_is_flagged_as_the_part_it_names() {
    let lines = data_lines("tests/pii/flagged.txt");
    assert!(lines.len() >= 60, "flagged.txt holds {} names", lines.len());
    let mut failures = Vec::new();
    for line in &lines {
        let Some((name, token)) = line.split_once(' ') else {
            failures.push(format!("`{line}`: write NAME, a space, then the part pii_token reports"));
            continue;
        };
        let got = pii_token(name);
        if got.as_deref() != Some(token) {
            failures.push(format!("{name}: expected Some({token:?}), got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} names:\n{}", failures.len(), lines.len(), failures.join("\n"));
}

#[test]
fn no_plain_name_is_flagged() {
    let names = data_lines("tests/pii/not-flagged.txt");
    assert!(names.len() >= 30, "not-flagged.txt holds {} names", names.len());
    let flagged: Vec<String> =
        names.iter().filter_map(|n| pii_token(n).map(|t| format!("{n}: flagged as `{t}`"))).collect();
    assert!(flagged.is_empty(), "{} of {} plain names flagged:\n{}", flagged.len(), names.len(), flagged.join("\n"));
}

/// The flagged names pass when `hashed`, `allowed` with a `reviewed` note, or `forbidden`.
#[test]
fn flagged_names_load_when_hashed_reviewed_or_forbidden() {
    let mut fields = String::new();
    for line in data_lines("tests/pii/flagged.txt") {
        let name = line.split(' ').next().unwrap_or_default();
        // Names that are not snake_case are refused for that reason alone.
        if telemetry_schema::is_snake_case(name) {
            fields.push_str(&format!(
                "      {name}: {{ collect: hashed, type: string, description: x }}\n      \
                 {name}_2: {{ collect: allowed, type: string, description: x, reviewed: Not a person's. }}\n      \
                 {name}_3: {{ collect: forbidden, reason: Personal information. }}\n"
            ));
        }
    }
    let yaml = format!(
        "version: 1\napp: {{ name: demo, title: Demo, description: Helps. }}\n\
         events:\n  e:\n    description: x\n    fields:\n{fields}"
    );
    let schema = telemetry_schema::load_str(&yaml, "demo.yaml").unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<Collect> = schema.events[0].fields.iter().map(|f| f.collect).collect();
    assert!(kinds.len() >= 180, "{} fields", kinds.len());
    for three in kinds.chunks(3) {
        assert_eq!(three, [Collect::Hashed, Collect::Allowed, Collect::Forbidden]);
    }
}

/// The markdown list of the lexicon: one row per `## Group`, each term with its synonyms.
fn lexicon_markdown() -> String {
    let mut out = String::from(BEGIN);
    out.push_str("| Group | Terms (other spellings) |\n| --- | --- |\n");
    let mut row: Vec<String> = Vec::new();
    let mut group = String::new();
    let flush = |group: &str, row: &mut Vec<String>, out: &mut String| {
        if !row.is_empty() {
            out.push_str(&format!("| {group} | {} |\n", row.join("; ")));
            row.clear();
        }
    };
    for line in LEXICON.lines().map(str::trim) {
        if let Some(heading) = line.strip_prefix("## ") {
            flush(&group, &mut row, &mut out);
            group = heading.to_string();
        } else if !line.is_empty() && !line.starts_with('#') {
            let (term, synonyms) = line.split_once(':').unwrap_or((line, ""));
            let quoted: Vec<String> =
                synonyms.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| format!("`{s}`")).collect();
            row.push(if quoted.is_empty() {
                format!("`{}`", term.trim())
            } else {
                format!("`{}` ({})", term.trim(), quoted.join(", "))
            });
        }
    }
    flush(&group, &mut row, &mut out);
    out.push_str(END);
    out
}

#[test]
fn lexicon_is_listed_in_the_schema_reference() {
    let path = crate_file("../docs/schema-reference.md");
    let page = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let start = page.find(BEGIN).unwrap_or_else(|| panic!("{} has no line `{}`", path.display(), BEGIN.trim()));
    let end = page[start..].find(END).map(|i| start + i + END.len()).expect("the list ends with its end marker");
    let want = lexicon_markdown();
    if page[start..end] == want {
        return;
    }
    if std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0") {
        std::fs::write(&path, format!("{}{want}{}", &page[..start], &page[end..])).unwrap();
        return;
    }
    panic!(
        "the lexicon list in {} differs from src/valid/pii-lexicon.txt; \
         `BLESS=1 cargo test -p telemetry-schema --test pii_names` rewrites it.\nexpected:\n{want}\nfound:\n{}",
        path.display(),
        &page[start..end]
    );
}
