//! The generated part of the bad-schema corpus: files too large to commit
//! (the 10 MB file, the billion-laughs bomb, the 1 MiB hostile shapes),
//! written at run time, each with the exact first line of its error. The
//! committed cases live in `tests/cases/` and are run by `cases.rs`.
//!
//! Each load runs on its own thread and fails the test if it has not
//! returned within `common::HANG`: a hang detector, not a benchmark.

mod common;

use std::path::Path;

/// The first line of the error for `path`, with `root/` stripped from the file name.
fn first_line(root: &Path, path: &Path) -> Result<String, String> {
    let owned = path.to_path_buf();
    let rendered = common::refusal(move || telemetry_schema::load_path(&owned))?;
    let first = rendered.lines().next().unwrap_or_default();
    let prefix = format!("{}/", root.display());
    Ok(first.strip_prefix(&prefix).unwrap_or(first).to_string())
}

const HEAD: &str = "version: 1\napp: { name: demo, title: Demo, description: Helps. }\n";

/// `(name, contents, expected first line)`; the name is the file name in a
/// temporary directory, which the expected line names as `NAME`.
fn generated() -> Vec<(&'static str, Vec<u8>, String)> {
    let mut cases = Vec::new();

    // 10 MB: refused before parsing.
    let mut big = HEAD.as_bytes().to_vec();
    big.resize(10 * 1024 * 1024, b'#');
    cases.push((
        "ten-megabytes.yaml",
        big,
        "ten-megabytes.yaml: error: schema file is 10485760 bytes, more than the 1048576 byte limit".to_string(),
    ));

    // The classic billion-laughs bomb: nine levels, nine references each.
    let mut bomb = String::from("lol0: &lol0 lol\n");
    for i in 1..=9 {
        let refs = vec![format!("*lol{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("lol{i}: &lol{i} [{refs}]\n"));
    }
    cases.push((
        "billion-laughs.yaml",
        bomb.into_bytes(),
        "billion-laughs.yaml:1:1: error: unknown key `lol0` in the schema".to_string(),
    ));

    // Just under the size limit, shapes that were quadratic or recursive.
    let limit = telemetry_schema::MAX_SCHEMA_BYTES - 64;
    let mut many_keys = format!("{HEAD}events:\n  e: {{ description: x }}\n");
    let mut i = 0;
    while many_keys.len() < limit {
        many_keys.push_str(&format!("k{i}: 1\n"));
        i += 1;
    }
    cases.push((
        "hundred-thousand-keys.yaml",
        many_keys.into_bytes(),
        "hundred-thousand-keys.yaml:5:1: error: unknown key `k0` in the schema".to_string(),
    ));

    let mut many_values = format!(
        "{HEAD}events:\n  e:\n    description: x\n    fields:\n      a: {{ collect: hashed, type: enum, values: ["
    );
    let mut i = 0;
    while many_values.len() < limit {
        many_values.push_str(&format!("v{i}, "));
        i += 1;
    }
    many_values.push_str("v0], description: x }\n");
    cases.push((
        "hundred-thousand-enum-values.yaml",
        many_values.into_bytes(),
        "hundred-thousand-enum-values.yaml:7:7: error: field `a` of event `e` is `hashed` but has type `enum`"
            .to_string(),
    ));

    let depth = limit / 2;
    cases.push((
        "deep-flow.yaml",
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes(),
        "deep-flow.yaml:1:256: error: the YAML is nested too deeply".to_string(),
    ));
    cases.push((
        "deep-block-list.yaml",
        format!("{}x\n", "- ".repeat(limit / 2)).into_bytes(),
        "deep-block-list.yaml:1:131: error: the YAML is nested more than 64 levels deep".to_string(),
    ));
    cases.push((
        "unclosed-flow.yaml",
        "{ a: [".repeat(limit / 6).into_bytes(),
        "unclosed-flow.yaml:1:768: error: the YAML is nested too deeply".to_string(),
    ));

    let mut long_value = format!("{HEAD}events: {{ e: {{ description: x }} }}\nnotes: \"");
    long_value.push_str(&"x".repeat(limit - long_value.len()));
    long_value.push_str("\"\n");
    cases.push((
        "one-long-line.yaml",
        long_value.into_bytes(),
        "one-long-line.yaml:4:1: error: unknown key `notes` in the schema".to_string(),
    ));

    let mut many_events = format!("{HEAD}events:\n");
    let mut i = 0;
    while many_events.len() < limit {
        many_events.push_str(&format!("  Event{i}: {{ description: x }}\n"));
        i += 1;
    }
    cases.push((
        "thousands-of-bad-events.yaml",
        many_events.into_bytes(),
        "thousands-of-bad-events.yaml:4:3: error: event name `Event0` is not snake_case".to_string(),
    ));

    cases
}

#[test]
fn generated_bad_schemas() {
    let dir = std::env::temp_dir().join(format!("telemetry-schema-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (name, bytes, expected) in generated() {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        match first_line(&dir, &path) {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!("{name}\n  expected: {expected}\n       got: {got}")),
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The bomb is refused without expanding it: one diagnostic per anchor and
/// alias (10 + 81) plus one per unknown key (10) and the three missing keys.
#[test]
fn billion_laughs_reports_each_anchor_and_alias_once() {
    let (_, bomb, _) = generated().into_iter().find(|(n, _, _)| *n == "billion-laughs.yaml").unwrap();
    let err = telemetry_schema::load_bytes(&bomb, "bomb.yaml").unwrap_err();
    let count = |needle: &str| err.diagnostics().iter().filter(|d| d.message.contains(needle)).count();
    assert_eq!(count("anchors and aliases"), 91);
    assert_eq!(count("unknown key"), 10);
    assert_eq!(count("missing the required key"), 3);
    assert_eq!(err.diagnostics().len(), 104);
}
