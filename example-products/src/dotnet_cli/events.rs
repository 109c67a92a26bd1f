//! The .NET CLI's events (`schemas/dotnet-cli.yaml`), and the command line
//! taken apart as the page says: the command and the listed arguments and
//! options only ([`CommandInvoked::parse`]); the runtime hashes the `hashed`
//! ones before anything leaves the process.

use telemetry_core::{TelemetryEnum, TelemetryEvent};

/// The fixed words some commands send as their first argument.
#[derive(TelemetryEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml", field = "command_invoked.subcommand")]
#[allow(missing_docs)] // the words say what they are
pub enum Subcommand {
    Package,
    Reference,
    Add,
    List,
    Remove,
    Delete,
    Locals,
    Push,
    Install,
    Update,
    Search,
    Uninstall,
    Repair,
    Restore,
    Run,
}

impl Subcommand {
    /// The word of `command`'s first argument, if that command sends it.
    fn of(command: &str, word: &str) -> Option<Subcommand> {
        use Subcommand::*;
        let allowed: &[Subcommand] = match command {
            "add" | "remove" | "list" => &[Package, Reference],
            "sln" => &[Add, List, Remove],
            "nuget" => &[Delete, Locals, Push],
            "workload" => &[Install, Update, List, Search, Uninstall, Repair, Restore],
            "tool" => &[Install, Update, List, Search, Uninstall, Run],
            _ => &[],
        };
        allowed.iter().copied().find(|s| s.word() == word)
    }

    fn word(self) -> &'static str {
        use Subcommand::*;
        match self {
            Package => "package",
            Reference => "reference",
            Add => "add",
            List => "list",
            Remove => "remove",
            Delete => "delete",
            Locals => "locals",
            Push => "push",
            Install => "install",
            Update => "update",
            Search => "search",
            Uninstall => "uninstall",
            Repair => "repair",
            Restore => "restore",
            Run => "run",
        }
    }
}

/// `--verbosity` (`-v`) values, as typed.
#[derive(TelemetryEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml", field = "command_invoked.verbosity")]
#[allow(missing_docs)]
pub enum Verbosity {
    Q,
    Quiet,
    M,
    Minimal,
    N,
    Normal,
    D,
    Detailed,
    Diag,
    Diagnostic,
}

impl Verbosity {
    fn parse(s: &str) -> Option<Verbosity> {
        use Verbosity::*;
        [Q, Quiet, M, Minimal, N, Normal, D, Detailed, Diag, Diagnostic]
            .into_iter()
            .find(|v| format!("{v:?}").eq_ignore_ascii_case(s))
    }
}

/// A CLI command ran.
#[derive(TelemetryEvent, Debug, PartialEq)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml")]
pub struct CommandInvoked<'a> {
    /// Hashed by the runtime.
    pub command: &'a str,
    /// A fixed word.
    pub subcommand: Option<Subcommand>,
    /// Template, workload or tool name: hashed by the runtime.
    pub argument: Option<&'a str>,
    /// `--verbosity`.
    pub verbosity: Option<Verbosity>,
    /// `--configuration`: hashed.
    pub configuration: Option<&'a str>,
    /// `--framework`: hashed.
    pub framework: Option<&'a str>,
    /// `--runtime`: hashed.
    pub runtime: Option<&'a str>,
}

impl<'a> CommandInvoked<'a> {
    /// What the command line `dotnet <args>` sends: the command, and the
    /// arguments and options the page lists for it; everything else on the
    /// line is dropped. `None` when `args` names no command
    /// (`dotnet app.dll` runs an app, and collects nothing).
    ///
    /// ```
    /// use example_products::dotnet_cli::{CommandInvoked, Subcommand, Verbosity};
    /// let i = CommandInvoked::parse(&["build", "src/MyApp.csproj", "-c", "Release", "-v", "minimal"]).unwrap();
    /// assert_eq!((i.command, i.configuration, i.verbosity), ("build", Some("Release"), Some(Verbosity::Minimal)));
    /// assert_eq!(i.argument, None); // the project path is never sent
    /// let i = CommandInvoked::parse(&["add", "package", "Newtonsoft.Json"]).unwrap();
    /// assert_eq!((i.subcommand, i.argument), (Some(Subcommand::Package), None));
    /// let i = CommandInvoked::parse(&["new", "console", "--name", "Secret"]).unwrap();
    /// assert_eq!(i.argument, Some("console"));
    /// assert!(CommandInvoked::parse(&["MyApp.dll"]).is_none());
    /// ```
    pub fn parse(args: &[&'a str]) -> Option<CommandInvoked<'a>> {
        let (&command, rest) = args.split_first()?;
        if !COMMANDS.contains(&command) {
            return None;
        }
        let mut i = CommandInvoked {
            command,
            subcommand: None,
            argument: None,
            verbosity: None,
            configuration: None,
            framework: None,
            runtime: None,
        };
        let positional: Vec<&str> = positionals(rest);
        match command {
            "new" => i.argument = positional.first().copied(),
            "workload" | "tool" => {
                i.subcommand = positional.first().and_then(|w| Subcommand::of(command, w));
                i.argument = i.subcommand.and(positional.get(1).copied());
            }
            _ => i.subcommand = positional.first().and_then(|w| Subcommand::of(command, w)),
        }
        let builds = ["build", "clean", "publish", "run", "test"];
        for (flag, value) in options(rest) {
            match flag {
                "-v" | "--verbosity" => i.verbosity = Verbosity::parse(value),
                "-c" | "--configuration" if builds.contains(&command) => i.configuration = Some(value),
                "-f" | "--framework" if builds.contains(&command) || command == "vstest" => i.framework = Some(value),
                "-r" | "--runtime" if matches!(command, "build" | "publish") => i.runtime = Some(value),
                _ => {}
            }
        }
        Some(i)
    }
}

/// The CLI commands that collect telemetry.
const COMMANDS: &[&str] = &[
    "add", "build", "clean", "help", "list", "new", "nuget", "pack", "publish", "remove", "restore", "run", "sln",
    "test", "tool", "vstest", "workload",
];

/// Options that take a value.
const VALUED: &[&str] = &[
    "-v",
    "--verbosity",
    "-c",
    "--configuration",
    "-f",
    "--framework",
    "-r",
    "--runtime",
    "-n",
    "--name",
    "-o",
    "--output",
];

/// The arguments that are not options or option values.
fn positionals<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    for &a in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if a.starts_with('-') {
            skip = VALUED.contains(&a);
        } else {
            out.push(a);
        }
    }
    out
}

/// `(flag, value)` for each option that takes a value.
fn options<'a>(args: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    args.windows(2).filter(|w| VALUED.contains(&w[0])).map(|w| (w[0], w[1])).collect()
}

/// A project was built for a target framework.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml")]
pub struct TargetFramework<'a> {
    /// Hashed.
    pub framework: &'a str,
}

/// The MSBuild properties of a build: all hashed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml")]
pub struct BuildProperties<'a> {
    /// `TargetFrameworkVersion`.
    pub target_framework_version: &'a str,
    /// `RuntimeIdentifier`, when set.
    pub runtime_identifier: Option<&'a str>,
    /// `SelfContained`.
    pub self_contained: &'a str,
    /// `UseApphost`.
    pub use_apphost: &'a str,
    /// `OutputType`.
    pub output_type: &'a str,
}

/// How long the CLI took to start.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml")]
pub struct StartupTimings {
    /// Host and runtime startup.
    pub host_startup_ms: f64,
    /// Parsing the command line.
    pub parse_ms: f64,
    /// First run: adding tools to the path.
    pub add_tools_ms: Option<f64>,
    /// First run: showing the notice.
    pub first_use_notice_ms: Option<f64>,
    /// First run: the ASP.NET certificate.
    pub aspnet_certificate_ms: Option<f64>,
}

/// The CLI or SDK crashed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml")]
pub struct Crash<'a> {
    /// Such as `System.IO.IOException`.
    pub exception_type: &'a str,
    /// CLI and SDK frames only.
    pub stack_trace: &'a str,
}

/// The installer finished.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml")]
pub struct SdkInstalled<'a> {
    /// Hashed.
    pub installer_name: &'a str,
}
