//! Issue 12's done-when scenario, on a temporary git clone of
//! `schemas/example-cli.yaml`: `cargo xtask docs --diff HEAD` fails on an
//! unreviewed new allowed field, passes once it is bumped and reviewed, and
//! passes with a note when a field is made forbidden.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Repo(PathBuf);

impl Drop for Repo {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A git repository holding `schemas/example-cli.yaml`, committed.
fn repo(name: &str) -> Repo {
    let dir = std::env::temp_dir().join(format!("xtask-diff-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(dir.join("schemas")).unwrap();
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/example-cli.yaml");
    std::fs::copy(original, dir.join("schemas/example-cli.yaml")).unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "base"]);
    Repo(dir)
}

fn edit(repo: &Repo, from: &str, to: &str) {
    let path = repo.0.join("schemas/example-cli.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn diff(repo: &Repo) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(&repo.0)
        .args(["docs", "--diff", "HEAD", "--schemas", "schemas"])
        .output()
        .unwrap()
}

const REGION: &str =
    "      region: { collect: allowed, type: string, description: Cloud region the command ran in. }\n";
/// The `schema_version` of the copied schema, `(major, minor)`: the tests
/// follow the schema as it moves on.
fn version(repo: &Repo) -> (u32, u32) {
    let text = std::fs::read_to_string(repo.0.join("schemas/example-cli.yaml")).unwrap();
    let v = text.lines().find_map(|l| l.strip_prefix("schema_version: \"")).expect("a versioned schema");
    let (major, minor) = v.trim_end_matches('"').split_once('.').unwrap();
    (major.parse().unwrap(), minor.parse().unwrap())
}

/// Adds a `history` entry at the end of the file, where `history` is.
fn append_history(repo: &Repo, entry: &str) {
    let path = repo.0.join("schemas/example-cli.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\nhistory:\n"));
    std::fs::write(&path, format!("{}\n{entry}\n", text.trim_end())).unwrap();
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn unreviewed_widening_fails_naming_field_class_and_fix() {
    let r = repo("widen");
    edit(&r, "      user_name:", &format!("{REGION}      user_name:"));
    let out = diff(&r);
    assert_eq!(out.status.code(), Some(1));
    // Issue 22.3: the version, the review and the history entry, each with its fix, in one run.
    let today = telemetry_schema::Date::today();
    let (major, minor) = version(&r);
    let (v, next) = (format!("{major}.{minor}"), format!("{major}.{}", minor + 1));
    assert_eq!(
        stdout(&out),
        format!("example-cli: schema_version {v} -> {v}
  command_run.region: new field, collected as allowed (string) [widens collection]
schemas/example-cli.yaml: error: `command_run.region` widens collection (new field, collected as allowed (string)), but `schema_version` stays {v}: a published version never changes what is collected
  help: set `schema_version: \"{next}\"`
schemas/example-cli.yaml:51:7: error: `command_run.region` widens collection (new field, collected as allowed (string)) and has no `data_review`
  help: add `data_review: \"<link to the review, or why this is fine>\"` to field `region` of event `command_run`
schemas/example-cli.yaml: error: `history` has no entry for version {next}, which changes what is collected
  help: add the line `  - {{ version: \"{next}\", date: {today}, widens: [command_run.region], summary: \"command_run.region: new field, collected as allowed (string).\" }}` at the end of `history`
gate: failed with 3 errors
")
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: the schema changes since `HEAD` are not ready: fix the errors above\n"
    );
}

#[test]
fn bumped_reviewed_widening_passes() {
    let r = repo("reviewed");
    let reviewed = REGION.replace(" }", ", data_review: \"https://example.org/reviews/7\" }");
    edit(&r, "      user_name:", &format!("{reviewed}      user_name:"));
    let (major, minor) = version(&r);
    let (v, next) = (format!("{major}.{minor}"), format!("{major}.{}", minor + 1));
    edit(&r, &format!("schema_version: \"{v}\""), &format!("schema_version: \"{next}\""));
    append_history(&r, &format!("  - {{ version: \"{next}\", date: 2026-12-03, widens: [command_run.region] }}"));
    let out = diff(&r);
    assert_eq!(
        stdout(&out),
        format!(
            "example-cli: schema_version {v} -> {next}\n  command_run.region: new field, collected as allowed (string) [widens collection]\ngate: passed\n"
        )
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn forbidding_a_field_passes_with_a_narrowing_note() {
    let r = repo("narrow");
    edit(
        &r,
        "      ci:\n        collect: allowed\n        type: bool\n        required: false\n        description: Whether the command ran in CI, when known.\n",
        "      ci: { collect: forbidden, reason: The context already says whether this is CI. }\n",
    );
    let (major, minor) = version(&r);
    let next = format!("{}.0", major + 1);
    edit(&r, &format!("schema_version: \"{major}.{minor}\""), &format!("schema_version: \"{next}\""));
    append_history(&r, &format!("  - {{ version: \"{next}\", date: 2026-12-03, narrows: [command_run.ci] }}"));
    let out = diff(&r);
    let text = stdout(&out);
    assert!(
        text.contains(
            "  command_run.ci: collect: allowed -> forbidden: no longer sent [narrows collection, breaks collectors]\n"
        ),
        "{text}"
    );
    assert!(text.contains("schemas/example-cli.yaml:46:7: note: `command_run.ci` narrows collection (collect: allowed -> forbidden: no longer sent)\n"), "{text}");
    assert!(text.ends_with("gate: passed\n"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn json_report_and_directory_base() {
    let r = repo("json");
    std::fs::create_dir_all(r.0.join("base")).unwrap();
    std::fs::copy(r.0.join("schemas/example-cli.yaml"), r.0.join("base/example-cli.yaml")).unwrap();
    edit(&r, "description: Whether the command succeeded.", "description: Whether the command succeeded or failed.");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(&r.0)
        .args(["docs", "--base-dir", "base", "--schemas", "schemas", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["passed"], true);
    assert_eq!(
        v["apps"][0]["changes"][0],
        serde_json::json!({
            "item": "command_run.outcome",
            "what": "`description` changed",
            "classes": ["wording"],
            "location": "schemas/example-cli.yaml:33:7"
        })
    );
    let (major, minor) = version(&r);
    assert_eq!(v["apps"][0]["from"], format!("{major}.{minor}"));
}

/// Issue 20.4: a change that adds a directory named like BASE (`HEAD/`,
/// `origin/main/`, `HEAD~1/`) holding its own schemas does not choose what
/// the gate compares with: BASE is read from git.
#[test]
fn a_directory_named_like_base_is_not_base() {
    let r = repo("base-dir-named-head");
    edit(&r, "      user_name:", &format!("{REGION}      user_name:"));
    for dir in ["HEAD", "origin/main", "HEAD~1"] {
        std::fs::create_dir_all(r.0.join(dir)).unwrap();
        std::fs::copy(r.0.join("schemas/example-cli.yaml"), r.0.join(dir).join("example-cli.yaml")).unwrap();
    }
    git(&r.0, &["add", "."]);
    git(&r.0, &["commit", "-qm", "widen, with look-alike BASE directories"]);
    for base in ["HEAD~1", "origin/main"] {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .current_dir(&r.0)
            .args(["docs", "--diff", base, "--schemas", "schemas"])
            .output()
            .unwrap();
        let (text, err) = (stdout(&out), String::from_utf8_lossy(&out.stderr).into_owned());
        assert_eq!(out.status.code(), Some(1), "{base}: {text}{err}");
        if base == "HEAD~1" {
            assert!(text.contains("command_run.region: new field, collected as allowed (string)"), "{text}");
        } else {
            assert!(err.starts_with("error: `origin/main` is not a commit of this repository\n"), "{err}");
        }
    }
}

const USER_NAME: &str = "      user_name: { collect: forbidden, reason: Identifies a person. }\n";
const USER_NAME_ALLOWED: &str = "      user_name: { collect: allowed, type: string, description: Who ran it., reviewed: \"It is the login, which we want.\" }\n";

fn gate_in(r: &Repo) -> (Option<i32>, String, String) {
    let out = diff(r);
    (out.status.code(), stdout(&out), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Issue 20.4: `git mv schemas/example-cli.yaml schemas/v2/` plus a widening
/// passed as "schema removed"; the derive reads the moved, widened file.
#[test]
fn a_schema_moved_out_of_the_gated_directory_is_refused() {
    for moved in ["schemas/v2/example-cli.yaml", "schemas/example-cli.yaml.in"] {
        let r = repo("moved");
        edit(&r, USER_NAME, USER_NAME_ALLOWED);
        std::fs::create_dir_all(r.0.join("schemas/v2")).unwrap();
        git(&r.0, &["mv", "schemas/example-cli.yaml", moved]);
        let (code, text, _) = gate_in(&r);
        assert_eq!(code, Some(1), "{moved}: {text}");
        assert!(
            text.contains(&format!(
                "{moved}: error: the schema of `example-cli` left schemas, but this file still declares it: a derive can name it, and the gate would not see it\n  help: move it back to schemas so the gate compares it, or delete it and retire the app in schemas/retired.yaml\n"
            )),
            "{moved}: {text}"
        );
    }
}

/// A schema deleted outright needs an explicit retirement entry.
#[test]
fn a_schema_removed_needs_a_retirement_entry() {
    let r = repo("retired");
    let other = "version: 1\napp: { name: other, title: Other, description: Helps. }\nevents: { ping: { description: A ping. } }\n";
    std::fs::write(r.0.join("schemas/other.yaml"), other).unwrap();
    git(&r.0, &["add", "."]);
    git(&r.0, &["commit", "-qm", "another app"]);
    git(&r.0, &["rm", "-q", "schemas/example-cli.yaml"]);
    let (code, text, _) = gate_in(&r);
    assert_eq!(code, Some(1), "{text}");
    let today = telemetry_schema::Date::today();
    assert!(
        text.contains(&format!("schemas/retired.yaml: error: the schema of `example-cli` was removed without a retirement entry\n  help: add the line `- {{ app: example-cli, date: {today}, reason: \"<link to the review, or why>\" }}` to schemas/retired.yaml\n")),
        "{text}"
    );
    std::fs::write(
        r.0.join("schemas/retired.yaml"),
        "- { app: example-cli, date: 2026-12-02, reason: \"https://example.org/reviews/31\" }\n",
    )
    .unwrap();
    let (code, text, _) = gate_in(&r);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("  app: schema of `example-cli` removed: nothing is collected any more [narrows collection, breaks collectors]\n"), "{text}");
    // A retirement entry for an app that still has a schema is a mistake too.
    std::fs::write(
        r.0.join("schemas/retired.yaml"),
        "- { app: example-cli, date: 2026-12-02, reason: \"https://example.org/reviews/31\" }\n- { app: other, date: 2026-12-02, reason: TODO }\n",
    )
    .unwrap();
    let (code, _, err) = gate_in(&r);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("schemas/retired.yaml:2:43: error: the `reason` of a retirement is not written yet"),
        "{err}"
    );
    std::fs::write(
        r.0.join("schemas/retired.yaml"),
        "- { app: example-cli, date: 2026-12-02, reason: \"https://example.org/reviews/31\" }\n- { app: other, date: 2026-12-02, reason: \"https://example.org/reviews/32\" }\n",
    )
    .unwrap();
    let (code, text, _) = gate_in(&r);
    assert_eq!(code, Some(1));
    assert!(
        text.contains(
            "schemas/retired.yaml:2:3: error: `other` is listed as retired, but schemas/other.yaml declares it\n"
        ),
        "{text}"
    );
}

/// Issue 22.3: the fixes the first run prints, applied as printed, are all
/// the change needs: the second run passes.
#[test]
fn the_printed_fixes_are_all_a_change_needs() {
    let r = repo("one-round");
    edit(&r, "      user_name:", &format!("{REGION}      user_name:"));
    let first = stdout(&diff(&r));
    let help = |prefix: &str, suffix: &str| -> String {
        let line = first.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}: {first}"));
        line[prefix.len()..].strip_suffix(suffix).unwrap_or_else(|| panic!("{suffix}: {line}")).to_string()
    };
    let version = help("  help: set `", "`");
    let review = help("  help: add `data_review: ", "` to field `region` of event `command_run`");
    let history = help("  help: add the line `", "` at the end of `history`");
    let (major, minor) = self::version(&r);
    edit(&r, &format!("schema_version: \"{major}.{minor}\""), &version);
    let reviewed = REGION.replace(
        " }",
        &format!(
            ", data_review: {} }}",
            review.replace("<link to the review, or why this is fine>", "https://example.org/reviews/7")
        ),
    );
    edit(&r, REGION, &reviewed);
    append_history(&r, &history);
    let second = diff(&r);
    assert_eq!(second.status.code(), Some(0), "{first}\n---\n{}", stdout(&second));
    assert!(stdout(&second).ends_with("gate: passed\n"));
}
