//! Where delivered events go: stderr (debug, log-only), a JSON-lines file, or HTTP.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::envelope::{Envelope, pretty};
use crate::state::create_dir;

/// Where the notice, debug and log-only output go (stderr unless a test
/// or app redirects it).
#[derive(Clone)]
pub(crate) struct Output(pub Arc<Mutex<Box<dyn Write + Send>>>);

impl Output {
    pub(crate) fn stderr() -> Self {
        Output(Arc::new(Mutex::new(Box::new(io::stderr()))))
    }

    /// Writes `text` in one call; errors and poisoning are ignored (output is best effort).
    pub(crate) fn write(&self, text: &str) {
        let mut w = match self.0.lock() {
            Ok(w) => w,
            Err(p) => p.into_inner(),
        };
        let _ = w.write_all(text.as_bytes());
        let _ = w.flush();
    }
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Output")
    }
}

/// An in-process transport: the worker hands delivered envelopes to it
/// instead of a file or an endpoint. Nothing leaves the process and
/// nothing is written to disk. For an app's own tests (assert on what it
/// records) and for benchmarks (measure `record()` with a real consumer
/// draining the queue, without I/O). Set it with [`crate::Builder::memory`].
///
/// ```
/// use std::time::Duration;
/// use telemetry_core::meta::AppMeta;
/// use telemetry_core::{EnvSource, MemorySink, Telemetry};
///
/// static APP: AppMeta = AppMeta {
///     name: "demo", title: "Demo", docs_url: None, anonymous_id_env: None, enabled_by_default: true,
///     do_not_track: true, env: &[], context: &[], events: &[],
/// };
/// let dir = std::env::temp_dir().join(format!("memory-sink-doc-{}", std::process::id()));
/// let sink = MemorySink::new();
/// let telemetry = Telemetry::builder(&APP)
///     .env(EnvSource::from_pairs::<&str, &str>([]))
///     .state_dir(&dir)
///     .notice(false)
///     .memory(sink.clone())
///     .build()
///     .unwrap();
/// assert!(telemetry.flush(Duration::from_secs(5)));
/// assert_eq!(sink.delivered(), 0);
/// assert!(sink.take().is_empty());
/// # drop(telemetry); let _ = std::fs::remove_dir_all(dir);
/// ```
#[derive(Clone, Default)]
pub struct MemorySink(Arc<Mutex<MemoryInner>>);

#[derive(Default)]
struct MemoryInner {
    keep: bool,
    events: Vec<String>,
    delivered: u64,
}

impl MemorySink {
    /// Keeps every delivered envelope (JSON text) until [`MemorySink::take`].
    pub fn new() -> Self {
        MemorySink(Arc::new(Mutex::new(MemoryInner { keep: true, ..MemoryInner::default() })))
    }

    /// Counts delivered envelopes and keeps none: constant memory, for benchmarks.
    pub fn counting() -> Self {
        MemorySink::default()
    }

    /// The envelopes delivered since the last call (empty for [`MemorySink::counting`]).
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().events)
    }

    /// How many envelopes were delivered in all.
    pub fn delivered(&self) -> u64 {
        self.lock().delivered
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryInner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn deliver(&self, events: &[&str]) {
        let mut m = self.lock();
        m.delivered += events.len() as u64;
        if m.keep {
            m.events.extend(events.iter().map(|e| e.to_string()));
        }
    }
}

impl std::fmt::Debug for MemorySink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemorySink").field("delivered", &self.delivered()).finish()
    }
}

/// Result of one delivery attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Delivered,
    /// Network error, 5xx or 429: try again, after `Retry-After` if given.
    Retry {
        after: Option<Duration>,
        why: String,
    },
    /// Any other answer: the events are dropped.
    Reject(String),
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
    Http(Box<crate::http::Http>),
}

impl Sink {
    pub(crate) fn is_http(&self) -> bool {
        #[cfg(feature = "http")]
        if matches!(self, Sink::Http(_)) {
            return true;
        }
        false
    }

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
            Sink::File { path, max_bytes } => match append(path, *max_bytes, events) {
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

fn append(path: &std::path::Path, max_bytes: u64, events: &[&str]) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(events.iter().map(|e| e.len() + 1).sum());
    for e in events {
        bytes.extend_from_slice(e.as_bytes());
        bytes.push(b'\n');
    }
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > 0 && size + bytes.len() as u64 > max_bytes {
        let mut rotated = path.as_os_str().to_owned();
        rotated.push(".1");
        fs::rename(path, PathBuf::from(rotated))?;
    }
    // One open that creates the file if needed: two writers finding it
    // missing at once must both append, not race on creating it (the loser
    // of a create-then-open would lose its batch). The mode applies only
    // when the file is created.
    let mut o = fs::OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)?.write_all(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_rotates() {
        let dir = std::env::temp_dir().join(format!("tc-file-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("events.jsonl");
        let sink = Sink::File { path: path.clone(), max_bytes: 10 };
        assert_eq!(sink.deliver(&["{\"a\":1}"]), Outcome::Delivered);
        assert_eq!(sink.deliver(&["{\"b\":2}"]), Outcome::Delivered);
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"b\":2}\n");
        assert_eq!(fs::read_to_string(dir.join("events.jsonl.1")).unwrap(), "{\"a\":1}\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
