//! The systems under test: which package and binaries, which wire format,
//! the URL each sends to, and which telemetry-core column each is compared with.

/// One column of the table.
#[derive(Debug, Clone, Copy)]
pub struct Sys {
    /// Column heading.
    pub label: &'static str,
    /// Cargo package.
    pub pkg: &'static str,
    /// Binaries: `<prefix>-cli` and `<prefix>-bench`.
    pub prefix: &'static str,
    /// `--format` for systems with several wire formats.
    pub format: Option<&'static str>,
    /// Path of the collector URL it is given (PostHog's client appends `/batch/` itself).
    pub path: &'static str,
    /// Index in [`ALL`] of the telemetry-core column on the same wire format (`None`: it is one).
    pub base: Option<usize>,
}

impl Sys {
    /// The minimal CLI's binary name.
    pub fn cli(&self) -> String {
        format!("{}-cli", self.prefix)
    }

    /// The bench binary's name.
    pub fn bench(&self) -> String {
        format!("{}-bench", self.prefix)
    }

    /// The URL for a collector on `port`.
    pub fn url(&self, port: u16) -> String {
        format!("http://127.0.0.1:{port}{}", self.path)
    }

    /// Arguments of the minimal CLI for a collector on `port`.
    pub fn cli_args(&self, port: u16) -> Vec<String> {
        let mut a = vec![self.url(port)];
        a.extend(self.format.map(str::to_string));
        a
    }
}

/// Every column, telemetry-core's first.
pub const ALL: [Sys; 6] = [
    Sys {
        label: "telemetry-core, PostHog wire",
        pkg: "peer-core",
        prefix: "peer-core",
        format: Some("posthog"),
        path: "/batch/",
        base: None,
    },
    Sys {
        label: "telemetry-core, OTLP/HTTP JSON",
        pkg: "peer-core",
        prefix: "peer-core",
        format: Some("otlp"),
        path: "/v1/logs",
        base: None,
    },
    Sys {
        label: "telemetry-core, OTLP/HTTP protobuf",
        pkg: "peer-core",
        prefix: "peer-core",
        format: Some("otlp-protobuf"),
        path: "/v1/logs",
        base: None,
    },
    Sys {
        label: "posthog-rs 0.30 blocking",
        pkg: "peer-posthog-blocking",
        prefix: "peer-posthog-blocking",
        format: None,
        path: "",
        base: Some(0),
    },
    Sys {
        label: "posthog-rs 0.30 async",
        pkg: "peer-posthog-async",
        prefix: "peer-posthog-async",
        format: None,
        path: "",
        base: Some(0),
    },
    Sys {
        label: "OpenTelemetry 0.33 logs SDK (batch, OTLP/HTTP protobuf)",
        pkg: "peer-otel",
        prefix: "peer-otel",
        format: None,
        path: "/v1/logs",
        base: Some(2),
    },
];

/// The no-telemetry baseline CLI.
pub const NONE_CLI: &str = "peer-none-cli";
