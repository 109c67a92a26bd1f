//! The .NET CLI (`schemas/dotnet-cli.yaml`), ported from the .NET SDK
//! telemetry page (<https://learn.microsoft.com/dotnet/core/tools/telemetry>):
//! commands, target frameworks, build properties, startup times, crashes and
//! the installer's report. Switch: `DOTNET_CLI_TELEMETRY_OPTOUT` (`1` or
//! `true`, off).
//!
//! The command line is taken apart here as the page says: the command and
//! the listed arguments and options only ([`CommandInvoked::parse`]); the
//! runtime hashes the `hashed` ones before anything leaves the process.

use std::io::IsTerminal;

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext, TelemetryEnum, TelemetryEvent};

/// This product's program.
pub static PRODUCT: crate::Product = crate::Product { app: &APP, version: VERSION, record_all, with_context };

/// The schema's app, consent rules and context.
pub static APP: AppMeta = telemetry_core::app_meta!("../../schemas/dotnet-cli.yaml");

/// The .NET SDK release these events claim to come from.
pub const VERSION: &str = "8.0.404";

/// Sent with every event. `os`, `arch`, `container` and `app_version` are
/// left to the runtime (well-known keys).
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/dotnet-cli.yaml")]
pub struct Context {
    /// The kernel release.
    pub kernel_version: String,
    /// Such as `linux-x64`.
    pub runtime_id: String,
    /// `glibc`, `musl` or the target's C library.
    pub libc: &'static str,
    /// Standard output is not a terminal.
    pub output_redirected: bool,
    /// Hashed by the runtime.
    pub mac_address: String,
    /// Hashed by the runtime.
    pub working_directory: String,
}

/// This machine, as the SDK would describe it.
pub fn context() -> Context {
    Context {
        kernel_version: crate::host::release(),
        runtime_id: runtime_id(std::env::consts::OS, std::env::consts::ARCH),
        libc: libc(),
        output_redirected: !std::io::stdout().is_terminal(),
        mac_address: mac_address(),
        working_directory: std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default(),
    }
}

fn with_context(b: telemetry_core::Builder) -> telemetry_core::Builder {
    b.context(context())
}

/// The runtime identifier .NET uses for an OS and architecture.
///
/// ```
/// use example_products::dotnet_cli::runtime_id;
/// assert_eq!(runtime_id("linux", "x86_64"), "linux-x64");
/// assert_eq!(runtime_id("macos", "aarch64"), "osx-arm64");
/// assert_eq!(runtime_id("windows", "x86"), "win-x86");
/// ```
pub fn runtime_id(os: &str, arch: &str) -> String {
    let os = match os {
        "macos" => "osx",
        "windows" => "win",
        other => other,
    };
    let arch = match arch {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{os}-{arch}")
}

/// The C library this program was built against. (The SDK also sends its
/// version, which this program cannot read without running another one.)
fn libc() -> &'static str {
    if cfg!(target_env = "gnu") {
        "glibc"
    } else if cfg!(target_env = "musl") {
        "musl"
    } else if cfg!(target_env = "msvc") {
        "msvcrt"
    } else {
        "libc"
    }
}

/// The first network interface's MAC address that is not all zeros (sorted
/// by interface name), from `/sys/class/net`; all zeros where none is found.
/// Only its hash is sent.
fn mac_address() -> String {
    let mut names: Vec<_> = std::fs::read_dir("/sys/class/net")
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    names.sort();
    names
        .iter()
        .filter_map(|p| std::fs::read_to_string(p.join("address")).ok())
        .map(|a| a.trim().to_string())
        .find(|a| a.len() == 17 && a != "00:00:00:00:00:00")
        .unwrap_or_else(|| "00:00:00:00:00:00".into())
}

/// The fixed words some commands send as their first argument.
#[derive(TelemetryEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[telemetry(schema = "../../schemas/dotnet-cli.yaml", field = "command_invoked.subcommand")]
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
#[telemetry(schema = "../../schemas/dotnet-cli.yaml", field = "command_invoked.verbosity")]
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
#[telemetry(schema = "../../schemas/dotnet-cli.yaml")]
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
#[telemetry(schema = "../../schemas/dotnet-cli.yaml")]
pub struct TargetFramework<'a> {
    /// Hashed.
    pub framework: &'a str,
}

/// The MSBuild properties of a build: all hashed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/dotnet-cli.yaml")]
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
#[telemetry(schema = "../../schemas/dotnet-cli.yaml")]
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
#[telemetry(schema = "../../schemas/dotnet-cli.yaml")]
pub struct Crash<'a> {
    /// Such as `System.IO.IOException`.
    pub exception_type: &'a str,
    /// CLI and SDK frames only.
    pub stack_trace: &'a str,
}

/// The installer finished.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/dotnet-cli.yaml")]
pub struct SdkInstalled<'a> {
    /// Hashed.
    pub installer_name: &'a str,
}

/// The command lines [`record_all`] runs, as typed after `dotnet`.
pub const SESSION: &[&[&str]] = &[
    &["new", "console", "--name", "Orders"],
    &["add", "package", "Newtonsoft.Json"],
    &["build", "Orders.csproj", "-c", "Release", "-f", "net8.0", "-r", "linux-x64", "-v", "minimal"],
    &["run"],
    &["workload", "install", "wasm-tools"],
    &["Orders.dll"],
];

/// Records every event of the schema, as an SDK install and a first
/// session would: returns how many were recorded.
pub fn record_all(t: &Telemetry) -> usize {
    t.record(&SdkInstalled { installer_name: "dotnet-sdk-8.0.404-linux-x64.tar.gz" });
    t.record(&StartupTimings {
        host_startup_ms: 41.5,
        parse_ms: 3.2,
        add_tools_ms: Some(1.8),
        first_use_notice_ms: Some(0.7),
        aspnet_certificate_ms: Some(350.0),
    });
    let mut n = 2;
    for args in SESSION {
        if let Some(invocation) = CommandInvoked::parse(args) {
            t.record(&invocation);
            n += 1;
        }
    }
    t.record(&StartupTimings {
        host_startup_ms: 38.9,
        parse_ms: 2.9,
        add_tools_ms: None,
        first_use_notice_ms: None,
        aspnet_certificate_ms: None,
    });
    t.record(&TargetFramework { framework: "net8.0" });
    t.record(&BuildProperties {
        target_framework_version: "v8.0",
        runtime_identifier: Some("linux-x64"),
        self_contained: "false",
        use_apphost: "true",
        output_type: "Exe",
    });
    t.record(&BuildProperties {
        target_framework_version: "v8.0",
        runtime_identifier: None,
        self_contained: "false",
        use_apphost: "true",
        output_type: "Library",
    });
    t.record(&Crash {
        exception_type: "System.IO.IOException",
        stack_trace: "at System.IO.StreamWriter.Flush(Boolean flushStream, Boolean flushEncoder)\n\
                      at Microsoft.DotNet.Cli.Utils.Reporter.WriteLine()\n\
                      at Microsoft.DotNet.Cli.Program.Main(String[] args)",
    });
    n + 5
}
