//! `docs/` is generated from `schemas/`: this test fails when someone
//! changes a schema or a renderer and forgets `cargo xtask docs`
//! (rust-analyzer's "tidy" style). The CLI is exercised end to end too.

use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::{Drift, generate, workspace_root};

#[test]
fn committed_docs_are_fresh() {
    let root = workspace_root();
    let generated = generate(&root.join("schemas")).unwrap_or_else(|e| panic!("{e}"));
    let found = xtask::drift(&generated, &root.join("docs")).unwrap();
    let list: Vec<String> = found.iter().map(|d| format!("{d:?}")).collect();
    assert!(found.is_empty(), "docs/ is out of date: {list:?}\nrun `cargo xtask docs` and commit the result");
    for product in ["airbyte", "automatisch", "pyairbyte", "argilla", "evidently"] {
        assert!(generated.files.contains_key(&format!("{product}.md")));
        assert!(generated.files.contains_key(&format!("{product}.events.schema.json")));
    }
    // Hand-written pages live beside the generated ones and are left alone.
    for page in ["coverage.md", "schema-reference.md"] {
        let text = std::fs::read_to_string(root.join("docs").join(page)).unwrap();
        assert!(!xtask::is_generated(page, &text), "{page} must stay hand-written");
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("xtask-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn xtask(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const DEMO: &str = "version: 1\napp: { name: demo, title: Demo, description: Helps. }\nevents:\n  ping:\n    description: A ping.\n    fields:\n      n: { collect: allowed, type: u8, description: Count., example: 1 }\n";

#[test]
fn docs_write_check_and_clean_up() {
    let tmp = TempDir::new("cli");
    let (schemas, out) = (tmp.0.join("schemas"), tmp.0.join("docs"));
    std::fs::create_dir_all(&schemas).unwrap();
    std::fs::write(schemas.join("demo.yaml"), DEMO).unwrap();

    let (ok, _, err) = xtask(&["docs", "--check", "--schemas", s(&schemas), "--out", s(&out)]);
    assert!(!ok);
    assert!(err.contains("demo.md: missing"), "{err}");
    assert!(err.contains("run `cargo xtask docs`"), "{err}");

    let (ok, stdout, err) = xtask(&["docs", "--schemas", s(&schemas), "--out", s(&out)]);
    assert!(ok, "{err}");
    assert!(
        stdout.contains("docs: 1 schemas, 1 events, 1 fields; 3 files written, 0 unchanged, 0 removed"),
        "{stdout}"
    );

    let (ok, stdout, _) = xtask(&["docs", "--check", "--schemas", s(&schemas), "--out", s(&out)]);
    assert!(ok);
    assert!(stdout.contains("up to date"), "{stdout}");

    // A hand-written page is never listed or touched; an edited generated page is stale;
    // a page no schema produces any more is extra.
    std::fs::write(out.join("notes.md"), "# Notes\n").unwrap();
    let page = std::fs::read_to_string(out.join("demo.md")).unwrap();
    std::fs::write(out.join("demo.md"), format!("{page}\nEdited by hand.\n")).unwrap();
    let old = std::fs::read_to_string(out.join("demo.events.schema.json")).unwrap();
    std::fs::write(out.join("gone.events.schema.json"), old).unwrap();
    let (ok, _, err) = xtask(&["docs", "--check", "--schemas", s(&schemas), "--out", s(&out)]);
    assert!(!ok);
    assert!(err.contains("demo.md: stale"), "{err}");
    assert!(err.contains("gone.events.schema.json: extra"), "{err}");
    assert!(!err.contains("notes.md"), "{err}");

    let (ok, stdout, _) = xtask(&["docs", "--schemas", s(&schemas), "--out", s(&out)]);
    assert!(ok);
    assert!(stdout.contains("1 files written, 2 unchanged, 1 removed"), "{stdout}");
    assert!(!out.join("gone.events.schema.json").exists());
    assert_eq!(std::fs::read_to_string(out.join("notes.md")).unwrap(), "# Notes\n");
}

#[test]
fn schema_errors_are_located_for_every_bad_file() {
    let tmp = TempDir::new("bad");
    std::fs::write(tmp.0.join("a.yaml"), DEMO.replace("collect: allowed", "collect: alowed")).unwrap();
    std::fs::write(tmp.0.join("b.yaml"), DEMO.replace("name: demo", "name: other").replace("type: u8", "type: u9"))
        .unwrap();
    std::fs::write(tmp.0.join("c.yaml"), DEMO.replace("name: demo", "name: third")).unwrap();
    let out = tmp.0.join("docs");
    let (ok, _, err) = xtask(&["docs", "--schemas", s(&tmp.0), "--out", s(&out)]);
    assert!(!ok);
    assert!(
        err.contains("a.yaml:7:21: error: unknown `collect` value `alowed`\n  help: did you mean `allowed`?"),
        "{err}"
    );
    assert!(err.contains("b.yaml:7:36: error: unknown type `u9`"), "{err}");
    assert!(err.contains("2 problem(s)"), "{err}");
    assert!(!out.exists(), "nothing is written when a schema is bad");
}

#[test]
fn duplicate_app_names_are_refused() {
    let tmp = TempDir::new("dup");
    std::fs::write(tmp.0.join("a.yaml"), DEMO).unwrap();
    std::fs::write(tmp.0.join("b.yaml"), DEMO).unwrap();
    let err = generate(&tmp.0).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert!(err.problems[0].contains("b.yaml: error: `app.name` `demo` is also used by"), "{err}");
}

#[test]
fn hand_written_pages_are_never_overwritten() {
    let tmp = TempDir::new("clash");
    let (schemas, out) = (tmp.0.join("schemas"), tmp.0.join("docs"));
    std::fs::create_dir_all(&schemas).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(schemas.join("coverage.yaml"), DEMO.replace("name: demo", "name: coverage")).unwrap();
    std::fs::write(out.join("coverage.md"), "# Hand-written\n").unwrap();
    let generated = generate(&schemas).unwrap();
    assert!(xtask::drift(&generated, &out).unwrap().contains(&Drift::Clash("coverage.md".into())));
    assert!(xtask::write(&generated, &out).unwrap_err().contains("hand-written file would be overwritten"));
    assert_eq!(std::fs::read_to_string(out.join("coverage.md")).unwrap(), "# Hand-written\n");
}
