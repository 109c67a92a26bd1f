//! What the products' binaries share: where events go (from the command
//! line), the builder each product starts from, and a `main`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use telemetry_core::{Builder, MemorySink, Telemetry, WireFormat};

use crate::Product;

/// Where a program's events go.
#[derive(Clone, Debug)]
pub enum Sink {
    /// `events.jsonl` in the state dir (the default: no server needed).
    File,
    /// Kept in process (`--memory`): the binary prints them on stdout at exit.
    Memory(MemorySink),
    /// POSTed to `url` in `format` (`--endpoint URL [--format F]`).
    Endpoint {
        /// The collector.
        url: String,
        /// Its wire format.
        format: WireFormat,
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

const USAGE: &str =
    "usage: <product> [--memory | --endpoint URL [--format native|segment|posthog|otlp]] [--state-dir DIR]";

impl Options {
    /// Parses the arguments after the program name.
    ///
    /// ```
    /// use example_products::{Options, Sink};
    /// let o = Options::parse(["--endpoint", "http://127.0.0.1:4318", "--format", "otlp"].map(String::from)).unwrap();
    /// assert!(matches!(o.sink, Sink::Endpoint { ref url, .. } if url == "http://127.0.0.1:4318"));
    /// assert!(matches!(Options::parse([]).unwrap().sink, Sink::File));
    /// assert_eq!(
    ///     Options::parse(["--format", "pigeon"].map(String::from)).unwrap_err(),
    ///     "--format: unknown wire format \"pigeon\" (native, segment, posthog or otlp)"
    /// );
    /// ```
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut args = args.into_iter();
        let (mut memory, mut endpoint, mut format, mut state_dir) = (false, None, WireFormat::Native, None);
        while let Some(a) = args.next() {
            let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
            match a.as_str() {
                "--memory" => memory = true,
                "--endpoint" => endpoint = Some(value("--endpoint")?),
                "--format" => {
                    let f = value("--format")?;
                    format = WireFormat::parse(&f).ok_or_else(|| {
                        format!("--format: unknown wire format {f:?} (native, segment, posthog or otlp)")
                    })?;
                }
                "--state-dir" => state_dir = Some(PathBuf::from(value("--state-dir")?)),
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        let sink = match (memory, endpoint) {
            (true, Some(_)) => return Err(format!("--memory and --endpoint exclude each other\n{USAGE}")),
            (true, None) => Sink::Memory(MemorySink::new()),
            (false, Some(url)) => Sink::Endpoint { url, format },
            (false, None) => Sink::File,
        };
        Ok(Options { sink, state_dir })
    }
}

impl Product {
    /// The builder this product's program starts from: its version, its
    /// context and the sink of `options`. Consent comes from the process environment unless
    /// the caller sets `.env(..)`.
    pub fn builder(&self, options: &Options) -> Builder {
        let mut b = (self.with_context)(Telemetry::builder(self.app).app_version(self.version));
        if let Some(dir) = &options.state_dir {
            b = b.state_dir(dir);
        }
        match &options.sink {
            Sink::File => b,
            Sink::Memory(m) => b.memory(m.clone()),
            Sink::Endpoint { url, format } => b.endpoint(url.clone(), *format),
        }
    }
}

/// A product's program: parses `args`, records every event of its schema,
/// shuts down, and reports what happened on stderr (with `--memory`, the
/// envelopes on stdout, one per line).
pub fn main(product: &Product, args: impl IntoIterator<Item = String>) -> ExitCode {
    main_with(product, args, |_| {})
}

/// [`main`], running `serve` with the handle after the events are recorded
/// and before shutdown: what a long-running service does while it runs.
pub fn main_with(
    product: &Product,
    args: impl IntoIterator<Item = String>,
    serve: impl FnOnce(&Telemetry),
) -> ExitCode {
    let options = match Options::parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{}: {e}", product.app.name);
            return ExitCode::from(2);
        }
    };
    let telemetry = match product.builder(&options).build() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", product.app.name);
            return ExitCode::from(2);
        }
    };
    eprint!("{}", telemetry.status());
    let recorded = (product.record_all)(&telemetry);
    serve(&telemetry);
    let stats = telemetry.shutdown();
    eprintln!(
        "{}: recorded {recorded} events, then {} while serving; {stats:?}",
        product.app.name,
        stats.recorded - recorded as u64
    );
    if let Sink::Memory(m) = &options.sink {
        let mut out = std::io::stdout().lock();
        for e in m.take() {
            let _ = writeln!(out, "{e}");
        }
    }
    ExitCode::SUCCESS
}
