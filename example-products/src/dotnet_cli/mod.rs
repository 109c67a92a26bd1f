//! The .NET CLI (`schemas/dotnet-cli.yaml`), ported from the .NET SDK
//! telemetry page (<https://learn.microsoft.com/dotnet/core/tools/telemetry>):
//! commands, target frameworks, build properties, startup times, crashes and
//! the installer's report. Switch: `DOTNET_CLI_TELEMETRY_OPTOUT` (`1` or
//! `true`, off).
//!
//! This file is the program: its context and [`record_all`], which runs a
//! first session. The events, and the command line taken apart as the page
//! says ([`CommandInvoked::parse`]), are in `events.rs`.

use std::io::IsTerminal;

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext};

mod events;
pub use events::{
    BuildProperties, CommandInvoked, Crash, SdkInstalled, StartupTimings, Subcommand, TargetFramework, Verbosity,
};

/// This product's program.
pub static PRODUCT: crate::Product = crate::Product { app: &APP, version: VERSION, record_all, with_context };

/// The schema's app, consent rules and context.
pub static APP: AppMeta = telemetry_core::app_meta!("../../../schemas/dotnet-cli.yaml");

/// The .NET SDK release these events claim to come from.
pub const VERSION: &str = "8.0.404";

/// Sent with every event. `os`, `arch`, `container` and `app_version` are
/// left to the runtime (well-known keys).
#[derive(TelemetryContext)]
#[telemetry(schema = "../../../schemas/dotnet-cli.yaml")]
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
    b.context(context()).product_key(PRODUCT_KEY)
}

/// The product's hashing key (`hash: product`: the command and the target
/// framework), from `DOTNET_CLI_TELEMETRY_KEY` at build time. A real
/// product gives it from a CI secret and has no fallback (`build()` then
/// refuses a build without it); this example falls back to
/// [`DEMO_PRODUCT_KEY`] so that it runs anywhere.
pub const PRODUCT_KEY: &str = match option_env!("DOTNET_CLI_TELEMETRY_KEY") {
    Some(key) => key,
    None => DEMO_PRODUCT_KEY,
};

/// DEMO ONLY, and public: it is in this repository, so anyone can reverse
/// the product-scope hashes of a program built with it (the schema's
/// descriptions say so on the page). Never ship a key that is in a repository.
pub const DEMO_PRODUCT_KEY: &str = "dotnet-cli port demo key: PUBLIC, not a secret";

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
