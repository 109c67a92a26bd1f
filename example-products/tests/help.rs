//! Each product's program behaves like a command-line tool: `--help` is an
//! answer (usage on stdout, exit 0) listing every wire format, and a mistake
//! is an error naming it, with the usage (exit 2).

use std::process::{Command, Output};

const PROGRAMS: [(&str, &str); 7] = [
    ("airbyte", env!("CARGO_BIN_EXE_airbyte")),
    ("argilla", env!("CARGO_BIN_EXE_argilla")),
    ("automatisch", env!("CARGO_BIN_EXE_automatisch")),
    ("evidently", env!("CARGO_BIN_EXE_evidently")),
    ("pyairbyte", env!("CARGO_BIN_EXE_pyairbyte")),
    ("dotnet-cli", env!("CARGO_BIN_EXE_dotnet-cli")),
    ("brew", env!("CARGO_BIN_EXE_brew")),
];

fn run(exe: &str, args: &[&str]) -> Output {
    // No state dir is given: a program that ran anyway would fail the assertions
    // on its output before it could matter where it wrote.
    Command::new(exe).args(args).env("DO_NOT_TRACK", "1").output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

#[test]
fn help_exits_0_and_lists_every_format() {
    for (name, exe) in PROGRAMS {
        for flag in ["--help", "-h"] {
            let out = run(exe, &[flag]);
            assert_eq!(out.status.code(), Some(0), "{name} {flag}: {}", text(&out.stderr));
            assert_eq!(text(&out.stderr), "", "{name} {flag}");
            let help = text(&out.stdout);
            let extra = match name {
                "automatisch" => AUTOMATISCH,
                "brew" => BREW,
                _ => "",
            };
            assert_eq!(help, example_products::usage(name, extra));
            assert!(
                help.contains(
                    "  --format FORMAT   the endpoint's wire format: native (the default), segment, posthog, otlp or otlp-protobuf\n  \
                     --api-key KEY     the Segment write key or PostHog project key (segment and posthog need one)\n"
                ),
                "{name}:\n{help}"
            );
        }
    }
}

const AUTOMATISCH: &str = "  --run-for SECS    keep running SECS seconds after recording, as a service\n  \
                           --every SECS      send the diagnostics every SECS seconds (default: every six hours)\n";

const BREW: &str = "  analytics [on|off|state]\n                    turn analytics on or off (saved for this install), or say whether they are on\n";

#[test]
fn automatisch_help_names_its_service_options() {
    let help = text(&run(PROGRAMS[2].1, &["--help"]).stdout);
    assert!(help.starts_with(
        "usage: automatisch [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR] [OPTIONS]\n"
    ));
    assert!(help.ends_with(&format!("{AUTOMATISCH}  -h, --help        print this help\n")), "{help}");
}

#[test]
fn posthog_without_a_key_is_a_usage_error() {
    let out = run(PROGRAMS[0].1, &["--endpoint", "https://eu.i.posthog.com", "--format", "posthog"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("airbyte: --format posthog needs --api-key KEY (the project's API key)\n\nusage: airbyte "),
        "{stderr}"
    );
}
