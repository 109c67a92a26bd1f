//! Where delivered events go: stderr (debug, log-only), a JSON-lines file,
//! memory, or (cargo feature `http`) an HTTP endpoint. The worker thread is
//! the only caller of [`Sink::deliver`].

mod file;
#[cfg(feature = "http")]
mod http;
#[cfg(not(feature = "http"))]
#[path = "no_http.rs"]
mod http;
mod memory;

use std::time::Duration;

pub(crate) use http::{Endpoint, checked as checked_endpoint};
#[cfg(feature = "http")]
pub use http::{check_endpoint, check_proxy};
pub use memory::MemorySink;

use crate::envelope::Event;
use crate::format::{Compression, WireFormat};
use crate::json::pretty;
use crate::output::Output;
use crate::state::Gate;

/// Result of one delivery attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Delivered,
    /// Appended to the JSON-lines file, whose rotation discarded
    /// `rotated_away` older lines.
    Written {
        rotated_away: u64,
    },
    /// Network error, or a status the format retries (`transport/http/response.rs`):
    /// try again, after `Retry-After` if given.
    /// Only HTTP answers so; the other transports deliver or reject.
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    Retry {
        after: Option<Duration>,
        why: String,
    },
    /// Any other answer: the events are dropped.
    Reject(String),
}

/// How the worker stands as it sends a batch, which decides what it may
/// spend on the body (`transport/http/gzip.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pace {
    /// Nothing waits behind this batch: time to spare, spent on a smaller body.
    CaughtUp,
    /// More events wait, in memory or in spool files: every CPU cycle the
    /// body takes is one delivery does not get.
    Behind,
}

/// A transport, chosen by `build()` and opened on the worker thread.
pub(crate) enum Plan {
    /// Nothing to open.
    Ready(Sink),
    /// An HTTP client: built on the worker, since building one takes a
    /// while (TLS roots) and `build()` must not. (Never made without the
    /// `http` feature: no [`Endpoint`] exists then.)
    Http(HttpPlan),
}

impl Plan {
    /// Whether events left at exit are spooled for the next run. Only a
    /// network transport can fail for a while and then succeed; the others
    /// either deliver now or never.
    pub(crate) fn spools(&self) -> bool {
        match self {
            Plan::Ready(_) => false,
            Plan::Http(_) => true,
        }
    }

    /// The same HTTP client again, for the exiting thread to send the last
    /// batch itself (`delivery/exit.rs`); `None` for the other transports,
    /// which the worker alone delivers to.
    // Without the `http` feature `HttpPlan` is uninhabited: the arm is never taken.
    #[cfg_attr(not(feature = "http"), allow(unreachable_code))]
    pub(crate) fn for_exit(&self) -> Option<HttpPlan> {
        match self {
            Plan::Ready(_) => None,
            Plan::Http(http) => Some(http.clone()),
        }
    }

    /// The sink, ready to deliver; or why it cannot be.
    pub(crate) fn open(self) -> Result<Sink, String> {
        match self {
            Plan::Ready(sink) => Ok(sink),
            Plan::Http(http) => http.open(http.timeout),
        }
    }
}

/// What an HTTP client is made from: also kept by the handle for its exit
/// (no sink in it, so the handle stays unwind-safe).
#[derive(Clone)]
pub(crate) struct HttpPlan {
    pub endpoint: Endpoint,
    pub format: WireFormat,
    pub api_key: Option<String>,
    /// Each request's timeout.
    pub timeout: Duration,
    pub compression: Compression,
}

impl HttpPlan {
    /// A client whose every request (connection included) ends within
    /// `timeout`, or within the plan's own timeout if shorter.
    // Without the `http` feature `Endpoint` is uninhabited: never called.
    #[cfg_attr(not(feature = "http"), allow(unreachable_code, unused_variables))]
    pub(crate) fn open(&self, timeout: Duration) -> Result<Sink, String> {
        let endpoint = self.endpoint.clone();
        http::open(endpoint, self.format, self.api_key.clone(), self.timeout.min(timeout), self.compression)
            .map(|h| Sink::Http(Box::new(h)))
    }
}

/// A transport.
pub(crate) enum Sink {
    /// Pretty JSON per event on the output; nothing sent or stored.
    Debug(Output),
    /// One line per event on the output; nothing sent or stored.
    LogOnly(Output, String),
    /// Appends envelopes, one per line, to the events file in the gate's
    /// state dir; rotates to `<file>.1` past `max_bytes`. No gate (no state
    /// dir, or a process-only identity; or not yet given: [`Sink::with_gate`]):
    /// nothing is written.
    File { gate: Option<Gate>, max_bytes: u64 },
    /// Hands envelopes to an in-process [`MemorySink`].
    Memory(MemorySink),
    /// POSTs batches.
    Http(Box<http::Http>),
}

impl Sink {
    /// The JSON-lines file given the gate it is written through, known only
    /// once the identity is (the plan is made before); other sinks as they are.
    pub(crate) fn with_gate(self, gate: Option<Gate>) -> Sink {
        match self {
            Sink::File { max_bytes, .. } => Sink::File { gate, max_bytes },
            other => other,
        }
    }

    pub(crate) fn deliver(&self, batch: &[Event], pace: Pace) -> Outcome {
        match self {
            Sink::Debug(out) => {
                let mut text = String::new();
                for e in batch {
                    text.push_str(&pretty(&e.envelope()));
                    text.push('\n');
                }
                out.write(&text);
                Outcome::Delivered
            }
            Sink::LogOnly(out, app) => {
                let mut text = String::new();
                for e in batch {
                    text.push_str(&format!("[{app} telemetry, not sent] {} {}\n", e.name, e.properties));
                }
                out.write(&text);
                Outcome::Delivered
            }
            Sink::File { gate: None, .. } => {
                Outcome::Reject("no install state to write the events file under (see `telemetry status`)".into())
            }
            Sink::File { gate: Some(gate), max_bytes } => match file::append(gate, *max_bytes, batch) {
                Ok(done) => Outcome::Written { rotated_away: done.rotated_away },
                Err(e) => Outcome::Reject(format!(
                    "cannot write {}: {e}",
                    gate.dir().join(crate::state::EVENTS_FILE).display()
                )),
            },
            Sink::Memory(m) => {
                m.deliver(batch);
                Outcome::Delivered
            }
            Sink::Http(http) => http.send(batch, pace),
        }
    }
}
