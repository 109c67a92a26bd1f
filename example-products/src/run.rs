//! What the products' binaries share: where events go (from the command
//! line), the builder each product starts from, and a `main`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use telemetry_core::{MemorySink, Telemetry, TestBuilder, WireFormat};

use crate::Product;

/// Where a program's events go.
#[derive(Clone, Debug)]
pub enum Sink {
    /// `events.jsonl` in the state dir (the default: no server needed).
    File,
    /// Kept in process (`--memory`): the binary prints them on stdout at exit.
    Memory(MemorySink),
    /// POSTed to `url` in `format` (`--endpoint URL [--format F] [--api-key KEY]`).
    Endpoint {
        /// The collector.
        url: String,
        /// Its wire format.
        format: WireFormat,
        /// The Segment write key or PostHog project key.
        api_key: Option<String>,
    },
}

/// A program's command line.
#[derive(Clone, Debug)]
pub struct Options {
    /// Where events go.
    pub sink: Sink,
    /// `--state-dir DIR`: install state (and `events.jsonl`) here.
    pub state_dir: Option<PathBuf>,
}

/// What a command line asks a program to do.
#[derive(Clone, Debug)]
pub enum Request {
    /// Record the product's events with these options.
    Run(Options),
    /// `--help` or `-h`: print [`usage`] and exit successfully.
    Help,
}

/// Every wire format, in the order the usage lists them.
const FORMATS: [WireFormat; 5] =
    [WireFormat::Native, WireFormat::Segment, WireFormat::PostHog, WireFormat::Otlp, WireFormat::OtlpProtobuf];

/// `native, segment, posthog, otlp or otlp-protobuf`.
fn format_names() -> String {
    let names: Vec<&str> = FORMATS.iter().map(|f| f.name()).collect();
    let (last, rest) = names.split_last().expect("five formats");
    format!("{} or {last}", rest.join(", "))
}

/// The help text of `program`; `extra` lists the options only it has, one per line.
///
/// ```
/// let usage = example_products::usage("airbyte", "");
/// assert!(usage.starts_with("usage: airbyte [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR]\n"));
/// assert!(usage.contains("native (the default), segment, posthog, otlp or otlp-protobuf"));
/// ```
pub fn usage(program: &str, extra: &str) -> String {
    let key_formats: Vec<&str> = FORMATS.iter().filter(|f| f.needs_api_key()).map(|f| f.name()).collect();
    format!(
        "usage: {program} [--memory | --endpoint URL [--format FORMAT] [--api-key KEY]] [--state-dir DIR]{short}\n\n\
         Records every event of {program}'s schema once and reports what happened on stderr.\n\
         Without --memory or --endpoint, events go to events.jsonl in the state directory.\n\n\
         options:\n  \
         --memory          keep events in the process; print them on stdout, one per line, at exit\n  \
         --endpoint URL    POST events to URL (https://, or http:// to 127.0.0.1, localhost or [::1])\n  \
         --format FORMAT   the endpoint's wire format: native (the default), {rest}\n  \
         --api-key KEY     the Segment write key or PostHog project key ({needs} need one)\n  \
         --state-dir DIR   keep the install's state (and events.jsonl) in DIR\n\
         {extra}  \
         -h, --help        print this help\n",
        short = if extra.is_empty() { "" } else { " [OPTIONS]" },
        rest = format_names().trim_start_matches("native, "),
        needs = key_formats.join(" and "),
    )
}

impl Options {
    /// Parses the arguments after the program name.
    ///
    /// ```
    /// use example_products::{Options, Request, Sink};
    /// let args = ["--endpoint", "http://127.0.0.1:4318", "--format", "otlp-protobuf"].map(String::from);
    /// let Ok(Request::Run(o)) = Options::parse(args) else { panic!() };
    /// assert!(matches!(o.sink, Sink::Endpoint { ref url, .. } if url == "http://127.0.0.1:4318"));
    /// assert!(matches!(Options::parse([]), Ok(Request::Run(Options { sink: Sink::File, .. }))));
    /// assert!(matches!(Options::parse(["--help".to_string()]), Ok(Request::Help)));
    /// assert_eq!(
    ///     Options::parse(["--format", "pigeon"].map(String::from)).unwrap_err(),
    ///     "--format: unknown wire format \"pigeon\" (native, segment, posthog, otlp or otlp-protobuf)"
    /// );
    /// assert_eq!(
    ///     Options::parse(["--endpoint", "https://eu.i.posthog.com", "--format", "posthog"].map(String::from)).unwrap_err(),
    ///     "--format posthog needs --api-key KEY (the project's API key)"
    /// );
    /// assert_eq!(
    ///     Options::parse(["--endpoint", "https://api.segment.io", "--format", "segment"].map(String::from)).unwrap_err(),
    ///     "--format segment needs --api-key KEY (the write key)"
    /// );
    /// ```
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Request, String> {
        let mut args = args.into_iter();
        let (mut memory, mut endpoint, mut format, mut api_key, mut state_dir) =
            (false, None, WireFormat::Native, None, None);
        while let Some(a) = args.next() {
            let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
            match a.as_str() {
                "-h" | "--help" => return Ok(Request::Help),
                "--memory" => memory = true,
                "--endpoint" => endpoint = Some(value("--endpoint")?),
                "--format" => {
                    let f = value("--format")?;
                    format = WireFormat::parse(&f)
                        .ok_or_else(|| format!("--format: unknown wire format {f:?} ({})", format_names()))?;
                }
                "--api-key" => api_key = Some(value("--api-key")?),
                "--state-dir" => state_dir = Some(PathBuf::from(value("--state-dir")?)),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        let sink = match (memory, endpoint) {
            (true, Some(_)) => return Err("--memory and --endpoint exclude each other".to_string()),
            (true, None) => Sink::Memory(MemorySink::new()),
            (false, Some(_)) if format.needs_api_key() && api_key.is_none() => {
                let key = if format == WireFormat::Segment { "the write key" } else { "the project's API key" };
                return Err(format!("--format {} needs --api-key KEY ({key})", format.name()));
            }
            (false, Some(url)) => Sink::Endpoint { url, format, api_key },
            (false, None) => Sink::File,
        };
        Ok(Request::Run(Options { sink, state_dir }))
    }
}

impl Product {
    /// The builder this product's program starts from: its version, its
    /// context and the sink of `options`. It holds the test knobs, since
    /// `--memory` is one (an in-process sink, for the tests that run these
    /// programs); consent comes from the process environment unless the
    /// caller sets `.env(..)`.
    pub fn builder(&self, options: &Options) -> TestBuilder {
        let mut b = (self.with_context)(Telemetry::builder(self.app).app_version(self.version));
        if let Some(dir) = &options.state_dir {
            b = b.state_dir(dir);
        }
        match &options.sink {
            Sink::File => b.with_test_knobs(),
            Sink::Memory(m) => b.with_test_knobs().memory(m.clone()),
            Sink::Endpoint { url, format, api_key } => {
                let b = b.endpoint(url.clone(), *format);
                match api_key {
                    Some(key) => b.api_key(key.clone()),
                    None => b,
                }
                .with_test_knobs()
            }
        }
    }
}

/// A product's program: parses `args`, records every event of its schema,
/// shuts down, and reports what happened on stderr (with `--memory`, the
/// envelopes on stdout, one per line).
pub fn main(product: &Product, args: impl IntoIterator<Item = String>) -> ExitCode {
    main_with(product, args, "", |_| {})
}

/// [`main`], running `serve` with the handle after the events are recorded
/// and before shutdown: what a long-running service does while it runs.
/// `extra_usage` documents the options the caller took out of `args`
/// (see [`usage`]).
pub fn main_with(
    product: &Product,
    args: impl IntoIterator<Item = String>,
    extra_usage: &str,
    serve: impl FnOnce(&Telemetry),
) -> ExitCode {
    main_as(product.app.name(), product, args, extra_usage, serve)
}

/// [`main_with`] for a program not named as its schema's app (`brew` for
/// `homebrew`): `name` is the one its usage and messages show.
pub fn main_as(
    name: &str,
    product: &Product,
    args: impl IntoIterator<Item = String>,
    extra_usage: &str,
    serve: impl FnOnce(&Telemetry),
) -> ExitCode {
    let options = match Options::parse(args) {
        Ok(Request::Run(o)) => o,
        Ok(Request::Help) => {
            print!("{}", usage(name, extra_usage));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{name}: {e}\n\n{}", usage(name, extra_usage));
            return ExitCode::from(2);
        }
    };
    let telemetry = match product.builder(&options).build() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{name}: {e}");
            return ExitCode::from(2);
        }
    };
    eprint!("{}", telemetry.status());
    let asked = (product.record_all)(&telemetry) as u64;
    serve(&telemetry);
    let stats = telemetry.shutdown();
    // With telemetry off nothing is counted as recorded: what was asked is said apart.
    let served = stats.recorded.saturating_sub(asked);
    eprintln!("{name}: {asked} events passed to record(), then {served} while serving; {stats:?}");
    if let Sink::Memory(m) = &options.sink {
        let mut out = std::io::stdout().lock();
        for e in m.take() {
            let _ = writeln!(out, "{e}");
        }
    }
    ExitCode::SUCCESS
}
