//! The bad-schema corpus: malformed and adversarial schema files, each with
//! the exact first line of its error.
//!
//! # The `.expected` convention
//!
//! Every `tests/bad-schemas/NAME.yaml` (paths relative to the workspace root)
//! has a sibling `tests/bad-schemas/NAME.expected` holding exactly one line,
//! with or without a trailing newline: the first line of the rendered
//! [`telemetry_schema::SchemaError`], naming the file by that same
//! workspace-relative path, e.g.
//!
//! ```text
//! tests/bad-schemas/tabs.yaml:3:1: error: tab used for indentation
//! ```
//!
//! A consumer that names the file differently (an absolute path, say)
//! replaces the `tests/bad-schemas/NAME.yaml` prefix with its own before
//! comparing. `bad_schema_corpus` checks every pair with
//! `telemetry_schema::load_path`; the derive can run the same files through
//! `#[telemetry(schema = ...)]` and compare its compile error's first line.
//!
//! Files too large to commit (the 10 MB file, the billion-laughs bomb, the
//! 1 MiB hostile shapes) are generated at run time by `generated_bad_schemas`.
//!
//! Each load runs on its own thread and fails the test if it has not
//! returned within [`HANG`]: a hang detector, not a benchmark.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Far beyond any real load (milliseconds); only a hang gets near it.
const HANG: Duration = Duration::from_secs(10);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the crate lives in the workspace").to_path_buf()
}

/// Loads `path` on a thread; the rendered error, or a description of what went wrong instead.
fn load_with_timeout(path: &Path) -> Result<String, String> {
    let (tx, rx) = mpsc::channel();
    let owned = path.to_path_buf();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| telemetry_schema::load_path(&owned));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(HANG) {
        Ok(Ok(Ok(schema))) => Err(format!("loaded without error ({} events)", schema.events.len())),
        Ok(Ok(Err(e))) => Ok(e.to_string()),
        Ok(Err(_)) => Err("the loader panicked".into()),
        Err(_) => Err(format!("no result after {HANG:?}: the loader hangs")),
    }
}

/// The first line of the error for `path`, with `root/` stripped from the file name.
fn first_line(root: &Path, path: &Path) -> Result<String, String> {
    let rendered = load_with_timeout(path)?;
    let first = rendered.lines().next().unwrap_or_default();
    let prefix = format!("{}/", root.display());
    Ok(first.strip_prefix(&prefix).unwrap_or(first).to_string())
}

#[test]
fn bad_schema_corpus() {
    let root = workspace_root();
    let dir = root.join("tests/bad-schemas");
    let mut yamls: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    yamls.sort();
    assert!(yamls.len() >= 40, "the corpus has {} files", yamls.len());

    let mut failures = Vec::new();
    for yaml in &yamls {
        let expected_path = yaml.with_extension("expected");
        let expected = match std::fs::read_to_string(&expected_path) {
            Ok(s) => s.strip_suffix('\n').unwrap_or(&s).to_string(),
            Err(e) => {
                failures.push(format!("{}: {e}", expected_path.display()));
                continue;
            }
        };
        assert!(!expected.contains('\n'), "{} holds more than one line", expected_path.display());
        match first_line(&root, yaml) {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!("{}\n  expected: {expected}\n       got: {got}", yaml.display())),
            Err(why) => failures.push(format!("{}: {why}", yaml.display())),
        }
    }
    // Every .expected has its .yaml.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "expected") && !p.with_extension("yaml").exists() {
            failures.push(format!("{}: no matching .yaml", p.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} corpus files failed:\n{}", failures.len(), yamls.len(), failures.join("\n"));
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
