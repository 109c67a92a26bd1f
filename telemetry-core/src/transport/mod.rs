//! Where delivered events go: stderr (debug, log-only), a JSON-lines file,
//! memory, or (cargo feature `http`) an HTTP endpoint. The worker thread is
//! the only caller of [`Sink::deliver`].

mod file;
#[cfg(feature = "http")]
mod http;
mod memory;

use std::path::PathBuf;
#[cfg(feature = "http")]
use std::time::Duration;

#[cfg(feature = "http")]
pub use http::check_endpoint;
pub use memory::MemorySink;

use crate::envelope::Envelope;
#[cfg(feature = "http")]
use crate::format::WireFormat;
use crate::json::pretty;
use crate::output::Output;

/// Result of one delivery attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Delivered,
    /// Network error, 5xx or 429: try again, after `Retry-After` if given.
    /// Only HTTP answers so; the other transports deliver or reject.
    #[cfg(feature = "http")]
    Retry {
        after: Option<Duration>,
        why: String,
    },
    /// Any other answer: the events are dropped.
    Reject(String),
}

/// A transport, chosen by `build()` and opened on the worker thread.
pub(crate) enum Plan {
    /// Nothing to open.
    Ready(Sink),
    /// An HTTP client: built on the worker, since building one takes a
    /// while (TLS roots) and `build()` must not.
    #[cfg(feature = "http")]
    Http { url: reqwest::Url, format: WireFormat, api_key: Option<String>, timeout: Duration },
}

impl Plan {
    /// Whether events left at exit are spooled for the next run. Only a
    /// network transport can fail for a while and then succeed; the others
    /// either deliver now or never.
    pub(crate) fn spools(&self) -> bool {
        match self {
            Plan::Ready(_) => false,
            #[cfg(feature = "http")]
            Plan::Http { .. } => true,
        }
    }

    /// The sink, ready to deliver; or why it cannot be.
    pub(crate) fn open(self) -> Result<Sink, String> {
        match self {
            Plan::Ready(sink) => Ok(sink),
            #[cfg(feature = "http")]
            Plan::Http { url, format, api_key, timeout } => {
                http::Http::new(url, format, api_key, timeout).map(|h| Sink::Http(Box::new(h)))
            }
        }
    }
}

/// A transport.
pub(crate) enum Sink {
    /// Pretty JSON per event on the output; nothing sent or stored.
    Debug(Output),
    /// One line per event on the output; nothing sent or stored.
    LogOnly(Output, String),
    /// Appends envelopes, one per line; rotates to `<file>.1` past `max_bytes`.
    File { path: PathBuf, max_bytes: u64 },
    /// Hands envelopes to an in-process [`MemorySink`].
    Memory(MemorySink),
    /// POSTs batches.
    #[cfg(feature = "http")]
    Http(Box<http::Http>),
}

impl Sink {
    pub(crate) fn deliver(&self, events: &[&str]) -> Outcome {
        match self {
            Sink::Debug(out) => {
                let mut text = String::new();
                for e in events {
                    text.push_str(&pretty(e));
                    text.push('\n');
                }
                out.write(&text);
                Outcome::Delivered
            }
            Sink::LogOnly(out, app) => {
                let mut text = String::new();
                for e in events {
                    if let Some(env) = Envelope::parse(e) {
                        text.push_str(&format!("[{app} telemetry, not sent] {} {}\n", env.event, env.properties.get()));
                    }
                }
                out.write(&text);
                Outcome::Delivered
            }
            Sink::File { path, max_bytes } => match file::append(path, *max_bytes, events) {
                Ok(()) => Outcome::Delivered,
                Err(e) => Outcome::Reject(format!("cannot write {}: {e}", path.display())),
            },
            Sink::Memory(m) => {
                m.deliver(events);
                Outcome::Delivered
            }
            #[cfg(feature = "http")]
            Sink::Http(http) => http.send(events),
        }
    }
}
