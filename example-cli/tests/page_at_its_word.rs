//! `docs/example-cli.md` taken at its word: each variable of its "How to
//! see what is sent" section, set as the page writes it on a run of the
//! example CLI, does what the page says; the command of "How to opt out",
//! run as the page writes it, turns telemetry off.

use std::path::Path;
use std::process::{Command, Output};

use telemetry_testkit::{Collector, TempDir};

const PAGE: &str = include_str!("../../docs/example-cli.md");

/// The section, up to the next `## ` heading.
fn section() -> &'static str {
    let at = PAGE.find("## How to see what is sent\n").expect("the page has the section");
    let rest = &PAGE[at..];
    &rest[..rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4)]
}

/// The `NAME=VALUE` a bullet of the section starts with (`- **`NAME=VALUE`**`).
fn bullet_setting(starts: &str) -> (String, String) {
    let bullet = section()
        .lines()
        .find_map(|l| l.strip_prefix("- **`").filter(|rest| rest.starts_with(starts)))
        .unwrap_or_else(|| panic!("a bullet `{starts}...` in:\n{}", section()));
    let setting = &bullet[..bullet.find("`**").expect("the setting in bold code")];
    let (name, value) = setting.split_once('=').expect("NAME=VALUE");
    (name.to_string(), value.to_string())
}

/// The example CLI with a clean environment for its own variables, HOME and
/// the XDG config dir in `home`, and `env` on top.
fn run(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_example-cli"));
    c.args(args).env("HOME", home).env_remove("XDG_CONFIG_HOME");
    for v in [
        "DO_NOT_TRACK",
        "EXAMPLE_CLI_DISABLE_TELEMETRY",
        "EXAMPLE_CLI_TELEMETRY_OFFLINE",
        "EXAMPLE_CLI_TELEMETRY_DEBUG",
        "EXAMPLE_CLI_TELEMETRY_DIR",
        "CI",
    ] {
        c.env_remove(v);
    }
    c.envs(env.iter().copied());
    c.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

#[test]
fn the_single_run_line_prints_the_event_and_sends_nothing() {
    // The page's own line: `EXAMPLE_CLI_TELEMETRY_DEBUG=1 example-cli ...`.
    let block = section().split("```sh\n").nth(1).expect("a shell block");
    let words: Vec<&str> = block.lines().next().unwrap().split_whitespace().collect();
    let (name, value) = words[0].split_once('=').unwrap();
    assert_eq!((name, value), (bullet_setting("EXAMPLE_CLI_TELEMETRY_DEBUG").0.as_str(), "1"));
    assert_eq!(&words[1..], ["example-cli", "..."]);

    let home = TempDir::new("see-sent-debug").unwrap();
    let home = home.path();
    let state = home.join("state");
    let c = Collector::ok();
    let state_var = state.to_str().unwrap();
    let out = run(home, &[(name, value), ("EXAMPLE_CLI_TELEMETRY_DIR", state_var)], &["--endpoint", &c.url(), "build"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    // After the first-run notice: the event, as the pretty JSON object of the page.
    let json = &stderr[stderr.find("{\n").unwrap_or_else(|| panic!("an event on stderr:\n{stderr}"))..];
    let event: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(event["event"], "command_run");
    assert_eq!(event["properties"]["command"], "build");
    assert_eq!(event["app"], "example-cli");
    assert_eq!(c.connections(), 0, "nothing is sent");
    assert!(!state.join("events.jsonl").exists(), "nor written to the events file");
}

#[test]
fn the_offline_variable_turns_telemetry_off() {
    let (name, value) = bullet_setting("EXAMPLE_CLI_TELEMETRY_OFFLINE");
    assert_eq!(value, "1");
    let home = TempDir::new("see-sent-offline").unwrap();
    let home = home.path();
    let c = Collector::ok();
    // Even after `telemetry enable`, and with the debug variable set too.
    let out = run(home, &[], &["telemetry", "enable"]);
    assert!(text(&out.stdout).starts_with("Telemetry is on: "), "{}", text(&out.stdout));
    let debug = bullet_setting("EXAMPLE_CLI_TELEMETRY_DEBUG");
    let env = [(name.as_str(), value.as_str()), (debug.0.as_str(), debug.1.as_str())];
    let out = run(home, &env, &["--endpoint", &c.url(), "build"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "", "nothing recorded, nothing printed");
    assert_eq!(c.connections(), 0);
    let out = run(home, &env, &["telemetry", "status"]);
    assert!(text(&out.stdout).starts_with("Telemetry is off: EXAMPLE_CLI_TELEMETRY_OFFLINE is set to \"1\".\n"));
}

#[test]
fn state_lives_where_the_page_says() {
    let section = section();
    assert!(section.contains("the absolute path in `EXAMPLE_CLI_TELEMETRY_DIR` when it is set"), "{section}");
    let home = TempDir::new("see-sent-state").unwrap();
    let home = home.path();
    let dir = home.join("chosen");
    run(home, &[("EXAMPLE_CLI_TELEMETRY_DIR", dir.to_str().unwrap())], &["build"]);
    assert!(dir.join("state.json").exists());
    assert!(dir.join("events.jsonl").exists(), "an install that sends to no collector keeps its events there");

    // "a relative path there turns telemetry off rather than keep state elsewhere"
    let out = run(home, &[("EXAMPLE_CLI_TELEMETRY_DIR", "relative/dir")], &["telemetry", "status"]);
    assert!(
        text(&out.stdout).starts_with("Telemetry is off: EXAMPLE_CLI_TELEMETRY_DIR is set to"),
        "{}",
        text(&out.stdout)
    );

    if cfg!(target_os = "linux") {
        assert!(section.contains("`$XDG_CONFIG_HOME/example-cli` or `~/.config/example-cli` on Linux"));
        run(home, &[], &["build"]);
        assert!(home.join(".config/example-cli/state.json").exists());
        let xdg = home.join("xdg");
        run(home, &[("XDG_CONFIG_HOME", xdg.to_str().unwrap())], &["build"]);
        assert!(xdg.join("example-cli/state.json").exists());
    }
}

/// The command of the page's "How to opt out" section, as the page writes it
/// for users to copy: run against the example CLI, it turns telemetry off.
#[test]
fn the_pages_opt_out_command_turns_telemetry_off() {
    let at = PAGE.find("### The command\n").expect("the page names the opt-out command");
    let block = PAGE[at..].split("```sh\n").nth(1).expect("in a shell block");
    let command = block.lines().next().unwrap();
    let words: Vec<&str> = command.split(' ').collect();
    assert_eq!(words[0], "example-cli", "the page's command runs this program");

    let home = TempDir::new("page-opt-out").unwrap();
    let home = home.path();
    let c = Collector::ok();
    let out = run(home, &[], &["--endpoint", &c.url(), "build"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(c.requests().len(), 1, "on before the command");

    let out = run(home, &[], &words[1..]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with(&format!("Telemetry is off: you disabled it (`{command}`).\n")),
        "{}",
        text(&out.stdout)
    );
    let out = run(home, &[], &["telemetry", "status"]);
    assert!(text(&out.stdout).starts_with("Telemetry is off: you disabled it"), "{}", text(&out.stdout));
    let out = run(home, &[], &["--endpoint", &c.url(), "build"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(c.connections(), 1, "no byte sent after the command: the one connection is the first run's");
}
