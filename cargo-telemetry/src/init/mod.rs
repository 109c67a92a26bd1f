//! `cargo telemetry init`: a starter schema in the user's crate, and what to
//! paste where to use it. The schema is a file of this crate
//! (`starter.yaml`) with the crate's name filled in, so it reads as the YAML
//! it writes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use telemetry_schema::Date;

use crate::{Outcome, USAGE};

const STARTER: &str = include_str!("starter.yaml");

/// The names the starter schema is written with.
struct Names {
    /// `app.name`: the crate's name, lowercase.
    name: String,
    /// `app.title`: `my-tool` -> `My Tool`.
    title: String,
    /// The runtime's variable prefix: `MY_TOOL`.
    upper: String,
}

impl Names {
    fn new(crate_name: &str) -> Result<Names, String> {
        let name = crate_name.to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(format!(
                "error: `{crate_name}` cannot name an app (a-z, 0-9, `-` and `_` only): pass `--name NAME`"
            ));
        }
        let title = name
            .split(['-', '_'])
            .filter(|w| !w.is_empty())
            .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
            .collect::<Vec<_>>()
            .join(" ");
        let upper =
            name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
        Ok(Names { name, title, upper })
    }

    fn schema(&self, today: Date) -> String {
        STARTER
            .replace("@NAME@", &self.name)
            .replace("@TITLE@", &self.title)
            .replace("@UPPER@", &self.upper)
            .replace("@EXPIRES@", &today.plus_years(1).to_string())
            .replace("@TODAY@", &today.to_string())
    }
}

/// `cargo telemetry init [--name NAME] [--schemas DIR]`.
pub(crate) fn run(args: &[String]) -> Outcome {
    let (mut name, mut dir) = (None, PathBuf::from("telemetry"));
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| rest.next().cloned().ok_or_else(|| format!("error: `{flag}` needs a value"));
        let parsed = match arg.as_str() {
            "--name" => value("--name").map(|v| name = Some(v)),
            "--schemas" => value("--schemas").map(|v| dir = PathBuf::from(v)),
            "--help" | "-h" => {
                println!("{USAGE}");
                return Outcome::Ok;
            }
            other => Err(format!("error: unknown option `{other}` for `init`")),
        };
        if let Err(message) = parsed {
            return Outcome::Usage(message);
        }
    }
    let crate_name = match name.map_or_else(|| package_name(Path::new("Cargo.toml")), Ok) {
        Ok(n) => n,
        Err(message) => return Outcome::Failed(message),
    };
    let names = match Names::new(&crate_name) {
        Ok(n) => n,
        Err(message) => return Outcome::Failed(message),
    };
    let file = dir.join("app.yaml");
    if let Err(message) = write_new(&file, &names.schema(Date::today())) {
        return Outcome::Failed(message);
    }
    // The starter must load as written; if it did not, say so rather than
    // print instructions that fail at the next step.
    if let Err(e) = telemetry_schema::load_path(&file) {
        return Outcome::Failed(format!("{e}\nerror: the starter schema {} does not validate (a bug)", file.display()));
    }
    print!("{}", instructions(&names, &dir, &file));
    Outcome::Ok
}

/// `[package] name` of the manifest at `path`: the first `name = "..."`
/// line after `[package]`, which is how `cargo new` writes it.
fn package_name(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "error: cannot read {} ({e}): run `cargo telemetry init` in your crate's directory, or pass `--name NAME`",
            path.display()
        )
    })?;
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package
            && let Some(value) = line.strip_prefix("name").map(str::trim_start).and_then(|l| l.strip_prefix('='))
        {
            return Ok(value.trim().trim_matches(['"', '\'']).to_string());
        }
    }
    Err(format!("error: {} has no `[package]` name: pass `--name NAME`", path.display()))
}

/// Creates `file` (and its directory) with `text`; never replaces a file,
/// a link or anything else already there.
fn write_new(file: &Path, text: &str) -> Result<(), String> {
    let exists = || {
        format!(
            "error: {} already exists; `init` never overwrites: edit that schema, or move it away and run `init` again",
            file.display()
        )
    };
    if file.symlink_metadata().is_ok() {
        return Err(exists());
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("error: cannot create {} ({e})", dir.display()))?;
    }
    let mut f = match std::fs::OpenOptions::new().write(true).create_new(true).open(file) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(exists()),
        Err(e) => return Err(format!("error: cannot create {} ({e})", file.display())),
    };
    f.write_all(text.as_bytes()).map_err(|e| format!("error: cannot write {} ({e})", file.display()))
}

/// The dependency line: this checkout's `telemetry-core` when this binary
/// was installed from one (the crates are not published yet), else the
/// version from crates.io.
fn dependency() -> String {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(|p| p.join("telemetry-core"));
    match checkout.filter(|c| c.join("Cargo.toml").is_file()) {
        Some(path) => format!("telemetry-core = {{ path = {:?} }}", path.display().to_string()),
        None => format!("telemetry-core = \"{}\"", env!("CARGO_PKG_VERSION")),
    }
}

/// What to do next: the dependency, the code, the commands, in order.
fn instructions(names: &Names, dir: &Path, file: &Path) -> String {
    let schema = format!("../{}", file.display()).replace('\\', "/");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "wrote {}: a starter schema for `{}`: edit it to say what you collect and why.",
        file.display(),
        names.name
    );
    let _ =
        writeln!(out, "\n1. Add the runtime to Cargo.toml, under [dependencies]:\n\n```toml\n{}\n```", dependency());
    let _ = writeln!(
        out,
        "\n2. Record the event, here from src/main.rs (the schema path is relative to the file):\n\n```rust\n{}```",
        SNIPPET.replace("@SCHEMA@", &schema)
    );
    let docs = if dir == Path::new("telemetry") { String::new() } else { format!(" --schemas {}", dir.display()) };
    let _ = writeln!(
        out,
        "\n3. Write the \"what we collect\" page (docs/{name}.md) and commit it with the schema:\n\n```sh\ncargo telemetry docs{docs}\n```",
        name = names.name
    );
    let _ = writeln!(
        out,
        "\n4. In CI: fail when the page is stale, and when a schema change lacks its version bump, review or history entry:\n\n```sh\ncargo telemetry docs{docs} --check\ncargo telemetry diff origin/main{docs}\n```"
    );
    let _ = writeln!(
        out,
        "\nThe schema tells users to opt out with `{name} telemetry disable`: add that subcommand with\ntelemetry_core::cli::TelemetryArgs (feature \"clap\"), or change `consent.opt_out_command`.",
        name = names.name
    );
    out
}

/// The derive and record code for the starter schema's event.
const SNIPPET: &str = r#"use telemetry_core::{Telemetry, TelemetryEvent};

/// The schema's app and consent rules, checked at compile time.
static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("@SCHEMA@");

/// `command_run`: each field is checked against the schema when this compiles.
#[derive(TelemetryEvent)]
#[telemetry(schema = "@SCHEMA@")]
struct CommandRun<'a> {
    command: &'a str,
    project: &'a str, // hashed: only its keyed hash leaves the machine
}

fn main() {
    // A mistake in the telemetry setup turns telemetry off; it never stops the app.
    let telemetry = Telemetry::builder(&APP).app_version(env!("CARGO_PKG_VERSION")).build_or_off();
    telemetry.record(&CommandRun { command: "build", project: "my-project" });
    // Dropping the handle sends what is queued, waiting at most 100 ms.
}
"#;
