//! Homebrew (`schemas/homebrew.yaml`), ported from its analytics page
//! (<https://docs.brew.sh/Analytics>): a package manager reporting installs,
//! build errors and commands. Switches: `HOMEBREW_NO_ANALYTICS` (any value,
//! off) and `HOMEBREW_ANALYTICS_DEBUG=1` (printed, not sent); `brew
//! analytics off` saves the choice (the `brew` program).
//!
//! What the page promises about values is done here, where the values are
//! made: a custom prefix is sent as `custom-prefix` ([`Prefix::of`]), and a
//! formula or cask from a private tap is never named ([`Package::action`]).

use std::path::Path;

use telemetry_core::meta::AppMeta;
use telemetry_core::{Telemetry, TelemetryContext, TelemetryEnum, TelemetryEvent};

use crate::host;

/// This product's program.
pub static PRODUCT: crate::Product = crate::Product { app: &APP, version: VERSION, record_all, with_context };

/// The schema's app, consent rules and context.
pub static APP: AppMeta = telemetry_core::app_meta!("../../schemas/homebrew.yaml");

/// The Homebrew release these events claim to come from.
pub const VERSION: &str = "4.4.9";

/// Where Homebrew is installed, as sent: one of its default prefixes, or
/// `custom-prefix` for any other.
#[derive(TelemetryEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[telemetry(schema = "../../schemas/homebrew.yaml", field = "context.prefix")]
pub enum Prefix {
    /// Apple silicon macOS.
    #[telemetry(rename = "/opt/homebrew")]
    OptHomebrew,
    /// Intel macOS.
    #[telemetry(rename = "/usr/local")]
    UsrLocal,
    /// Linux.
    #[telemetry(rename = "/home/linuxbrew/.linuxbrew")]
    Linuxbrew,
    /// Any other prefix: the path itself is never sent.
    #[telemetry(rename = "custom-prefix")]
    CustomPrefix,
}

impl Prefix {
    /// The value sent for an install at `path`: a default prefix as itself,
    /// any other as [`Prefix::CustomPrefix`].
    ///
    /// ```
    /// use example_products::homebrew::Prefix;
    /// assert_eq!(Prefix::of("/opt/homebrew".as_ref()), Prefix::OptHomebrew);
    /// assert_eq!(Prefix::of("/home/mike/.brew".as_ref()), Prefix::CustomPrefix);
    /// ```
    pub fn of(path: &Path) -> Prefix {
        match path.to_str() {
            Some("/opt/homebrew") => Prefix::OptHomebrew,
            Some("/usr/local") => Prefix::UsrLocal,
            Some("/home/linuxbrew/.linuxbrew") => Prefix::Linuxbrew,
            _ => Prefix::CustomPrefix,
        }
    }
}

/// Sent with every event. `ci` and `app_version` are left to the runtime
/// (well-known keys); `arch` is carried, as Homebrew names it (`arm64` on
/// Apple silicon).
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/homebrew.yaml")]
pub struct Context {
    /// The install prefix, or `custom-prefix`.
    pub prefix: Prefix,
    /// `HOMEBREW_DEVELOPER` is set.
    pub developer: bool,
    /// A developer command was ever run.
    pub devcmdrun: bool,
    /// The CPU architecture.
    pub arch: &'static str,
    /// Such as `macOS 13` or `Ubuntu 22.04`.
    pub os_name_and_version: String,
}

/// The prefix this program claims to be installed in.
pub const PREFIX: &str = "/home/linuxbrew/.linuxbrew";

/// This machine, as Homebrew would describe it. This port never runs a
/// developer command, so `devcmdrun` is false.
pub fn context() -> Context {
    Context {
        prefix: Prefix::of(Path::new(PREFIX)),
        developer: std::env::var_os("HOMEBREW_DEVELOPER").is_some_and(|v| !v.is_empty()),
        devcmdrun: false,
        arch: host::machine(),
        os_name_and_version: os_name_and_version(),
    }
}

/// `Ubuntu 22.04` (from `/etc/os-release`), `macOS`, or the system's name.
fn os_name_and_version() -> String {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let field = |key: &str| {
        release.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix('=')).map(|v| v.trim_matches('"').to_string())
    };
    let name = match host::system() {
        "Darwin" => "macOS".to_string(),
        "Linux" => field("NAME").unwrap_or_else(|| "Linux".into()),
        other => other.to_string(),
    };
    let text = match field("VERSION_ID") {
        Some(v) if host::system() == "Linux" => format!("{name} {v}"),
        _ => name,
    };
    text.chars().take(64).collect()
}

fn with_context(b: telemetry_core::Builder) -> telemetry_core::Builder {
    b.context(context())
}

/// Where a formula or cask comes from.
#[derive(Clone, Copy, Debug)]
pub enum Tap<'a> {
    /// A public GitHub tap, such as `homebrew/core`.
    Public(&'a str),
    /// A private one: its formulae and casks are never named.
    Private(&'a str),
}

/// A formula or cask, with the options it is installed with.
#[derive(Clone, Copy, Debug)]
pub struct Package<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its tap.
    pub tap: Tap<'a>,
    /// Options, such as `--HEAD`; empty for none.
    pub options: &'a str,
}

impl Package<'_> {
    /// The event's `action`: the name plus any options; `None` for a
    /// private tap, so that nothing is recorded.
    ///
    /// ```
    /// use example_products::homebrew::{Package, Tap};
    /// let wget = Package { name: "wget", tap: Tap::Public("homebrew/core"), options: "--HEAD" };
    /// assert_eq!(wget.action().as_deref(), Some("wget --HEAD"));
    /// let secret = Package { name: "tool", tap: Tap::Private("acme/internal"), options: "" };
    /// assert_eq!(secret.action(), None);
    /// ```
    pub fn action(&self) -> Option<String> {
        match self.tap {
            Tap::Private(_) => None,
            Tap::Public(_) if self.options.is_empty() => Some(self.name.to_string()),
            Tap::Public(_) => Some(format!("{} {}", self.name, self.options)),
        }
    }
}

/// A formula was installed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/homebrew.yaml")]
pub struct Install {
    /// Formula and options.
    pub action: String,
}

/// A formula the user named was installed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/homebrew.yaml")]
pub struct InstallOnRequest {
    /// Formula and options.
    pub action: String,
}

/// A cask was installed.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/homebrew.yaml")]
pub struct CaskInstall {
    /// The cask.
    pub action: String,
}

/// A formula failed to build.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/homebrew.yaml")]
pub struct BuildError {
    /// Formula and options.
    pub action: String,
}

/// A command ran.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/homebrew.yaml")]
pub struct CommandRun<'a> {
    /// The command and its flags.
    pub action: &'a str,
}

/// A test ran in Homebrew's CI.
#[derive(TelemetryEvent)]
#[telemetry(schema = "../../schemas/homebrew.yaml")]
pub struct TestBotTest<'a> {
    /// The formula tested.
    pub action: &'a str,
    /// Whether its test passed.
    pub passed: bool,
}

/// `brew install` of `package`: records `install` (and `install_on_request`
/// when the user named it) unless it comes from a private tap. Returns how
/// many events were recorded.
pub fn installed(t: &Telemetry, package: &Package, on_request: bool) -> usize {
    let Some(action) = package.action() else { return 0 };
    if on_request {
        t.record(&InstallOnRequest { action: action.clone() });
    }
    t.record(&Install { action });
    1 + usize::from(on_request)
}

/// `brew install --cask` of `cask`: records `cask_install` unless it comes
/// from a private tap. Returns how many events were recorded.
pub fn cask_installed(t: &Telemetry, cask: &Package) -> usize {
    let Some(action) = cask.action() else { return 0 };
    t.record(&CaskInstall { action });
    1
}

/// A formula failed to build: records `build_error` unless it comes from a
/// private tap. Returns how many events were recorded.
pub fn build_failed(t: &Telemetry, package: &Package) -> usize {
    let Some(action) = package.action() else { return 0 };
    t.record(&BuildError { action });
    1
}

/// Records every event of the schema, as a session of `brew` commands
/// would (one formula comes from a private tap, and is not named): returns
/// how many were recorded.
pub fn record_all(t: &Telemetry) -> usize {
    let core = Tap::Public("homebrew/core");
    t.record(&CommandRun { action: "install --HEAD" });
    let mut n = 1;
    n += installed(t, &Package { name: "wget", tap: core, options: "--HEAD" }, true);
    n += installed(t, &Package { name: "openssl@3", tap: core, options: "" }, false);
    n += installed(t, &Package { name: "internal-tool", tap: Tap::Private("acme/internal"), options: "" }, true);
    t.record(&CommandRun { action: "install --cask" });
    n += 1;
    n += cask_installed(t, &Package { name: "firefox", tap: Tap::Public("homebrew/cask"), options: "" });
    n += build_failed(t, &Package { name: "gcc", tap: core, options: "--build-from-source" });
    t.record(&TestBotTest { action: "wget", passed: true });
    n + 1
}
