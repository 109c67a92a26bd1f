//! `cargo telemetry init` in a new crate outside this workspace, as a user
//! runs it: the printed dependency line and snippet are pasted in as they
//! are, the crate builds and records, and its docs generate and check.
//!
//! The crate is built in this workspace's target dir with its Cargo.lock
//! (offline): the same dependency versions and profile, so only
//! telemetry-core's feature set and the new crate itself are compiled, as
//! `.ci/run` does for template/.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXE: &str = env!("CARGO_BIN_EXE_cargo-telemetry");

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

/// `cargo-telemetry telemetry ARGS` in `dir`.
fn cargo_telemetry(dir: &Path, args: &[&str]) -> Output {
    Command::new(EXE).arg("telemetry").args(args).current_dir(dir).output().unwrap()
}

/// The fenced blocks of `lang` in the printed instructions, in order.
fn blocks(out: &str, lang: &str) -> Vec<String> {
    out.split(&format!("```{lang}\n")).skip(1).map(|b| b.split("```").next().unwrap().to_string()).collect()
}

/// This test binary's target dir: `<target>/debug/deps/init-HASH` -> `<target>`.
fn target_dir() -> PathBuf {
    Path::new(EXE).parent().and_then(Path::parent).unwrap().to_path_buf()
}

const MANIFEST: &str =
    "[package]\nname = \"starter-app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n";

/// The workspace's profile (dependencies without debug info), so that its
/// compiled dependencies are reused.
const PROFILE: &str = "\n[profile.dev.package.\"*\"]\ndebug = false\n\n[workspace]\n";

#[test]
fn init_then_the_printed_snippet_builds_records_and_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("Cargo.toml"), MANIFEST).unwrap();

    let out = cargo_telemetry(root, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.starts_with("wrote telemetry/app.yaml: a starter schema for `starter-app`"), "{printed}");
    let schema = std::fs::read_to_string(root.join("telemetry/app.yaml")).unwrap();
    for line in [
        "  name: starter-app\n",
        "  title: Starter App\n",
        "  owner: the Starter App maintainers\n",
        "    - { name: STARTER_APP_DISABLE_TELEMETRY, disables_when: truthy }\n",
        "  opt_out_command: starter-app telemetry disable\n",
        "        collect: allowed\n",
        "        collect: hashed\n",
        "      arguments: { collect: forbidden,",
        "schema_version: \"1.0\"\n",
    ] {
        assert!(schema.contains(line), "{line:?} not in the starter schema:\n{schema}");
    }
    let (toml, rust, sh) = (blocks(&printed, "toml"), blocks(&printed, "rust"), blocks(&printed, "sh"));
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("telemetry-core");
    assert_eq!(toml, [format!("telemetry-core = {{ path = {:?} }}\n", core.display().to_string())]);
    assert_eq!(sh, ["cargo telemetry docs\n", "cargo telemetry docs --check\ncargo telemetry diff origin/main\n"]);

    // Never overwrites: the second run fails and leaves the file as it was.
    std::fs::write(root.join("telemetry/app.yaml"), format!("{schema}# edited\n")).unwrap();
    let again = cargo_telemetry(root, &["init"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        text(&again.stderr),
        "error: telemetry/app.yaml already exists; `init` never overwrites: edit that schema, or move it away and run `init` again\n"
    );
    assert_eq!(std::fs::read_to_string(root.join("telemetry/app.yaml")).unwrap(), format!("{schema}# edited\n"));

    // Paste the dependency line and the snippet, build, run.
    std::fs::write(root.join("Cargo.toml"), format!("{MANIFEST}{}{PROFILE}", toml[0])).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/main.rs"), &rust[0]).unwrap();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let build = Command::new(cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    assert!(build.status.success(), "the printed snippet does not build:\n{}", text(&build.stderr));
    assert_eq!(text(&build.stderr), "", "the snippet builds without warnings");

    let state = root.join("state");
    let mut app = Command::new(target_dir().join("debug").join(format!("starter-app{}", std::env::consts::EXE_SUFFIX)));
    app.env("STARTER_APP_TELEMETRY_DIR", &state);
    for v in [
        "DO_NOT_TRACK",
        "STARTER_APP_DISABLE_TELEMETRY",
        "STARTER_APP_TELEMETRY_OFFLINE",
        "STARTER_APP_TELEMETRY_DEBUG",
    ] {
        app.env_remove(v);
    }
    let run = app.output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(
        text(&run.stderr).starts_with("Starter App collects anonymous usage data (command_run)"),
        "{}",
        text(&run.stderr)
    );
    let events = std::fs::read_to_string(state.join("events.jsonl")).unwrap();
    let event: serde_json::Value = serde_json::from_str(events.lines().next().unwrap()).unwrap();
    assert_eq!(event["event"], "command_run");
    assert_eq!(event["properties"]["command"], "build");
    let project = event["properties"]["project"].as_str().unwrap();
    assert!(project.len() == 64 && project.bytes().all(|b| b.is_ascii_hexdigit()), "hashed: {project}");
    assert!(!events.contains("my-project"));

    // The CI lines: docs, then docs --check.
    let docs = cargo_telemetry(root, &["docs"]);
    assert_eq!(docs.status.code(), Some(0), "{}", text(&docs.stderr));
    let check = cargo_telemetry(root, &["docs", "--check"]);
    assert_eq!(
        (check.status.code(), text(&check.stdout).as_str()),
        (Some(0), "docs: up to date (1 schemas, 1 events, 5 fields, 3 files in docs)\n")
    );
    let page = std::fs::read_to_string(root.join("docs/starter-app.md")).unwrap();
    assert!(page.starts_with("# Starter App telemetry\n"));
}

#[test]
fn init_needs_a_crate_or_a_name() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cargo_telemetry(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: cannot read Cargo.toml ("), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).ends_with("): run `cargo telemetry init` in your crate's directory, or pass `--name NAME`\n")
    );
    assert!(!tmp.path().join("telemetry").exists());

    let out = cargo_telemetry(tmp.path(), &["init", "--name", "My.App"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: `My.App` cannot name an app (a-z, 0-9, `-` and `_` only): pass `--name NAME`\n"
    );

    let out = cargo_telemetry(tmp.path(), &["init", "--name", "Tool_2", "--schemas", "schemas"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        std::fs::read_to_string(tmp.path().join("schemas/app.yaml"))
            .unwrap()
            .contains("  name: tool_2\n  title: Tool 2\n")
    );
    assert!(text(&out.stdout).contains(
        "```sh\ncargo telemetry docs --schemas schemas --check\ncargo telemetry diff origin/main --schemas schemas\n```"
    ));
}
