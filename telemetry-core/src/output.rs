//! Where the runtime's own words go: the notice, debug and log-only output
//! (stderr unless a test or app redirects it), and the diagnostics shown in
//! debug mode.

use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

/// A shared writer; stderr by default.
#[derive(Clone)]
pub(crate) struct Output(Arc<Mutex<Box<dyn Write + Send>>>);

impl Output {
    pub(crate) fn stderr() -> Self {
        Output::new(io::stderr())
    }

    pub(crate) fn new(w: impl Write + Send + 'static) -> Self {
        Output(Arc::new(Mutex::new(Box::new(w))))
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

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Output")
    }
}

/// The runtime's diagnostics for one app: shown only in debug mode
/// (`<APP>_TELEMETRY_DEBUG`), silent otherwise. The one place that writes the
/// `[<app> telemetry] ` prefix, so every line reads the same.
#[derive(Clone, Debug)]
pub(crate) struct Diag {
    out: Option<Output>,
    app: Arc<str>,
}

impl Diag {
    /// Diagnostics for `app` written to `out`, or silent when `None`.
    pub(crate) fn new(app: &str, out: Option<Output>) -> Self {
        Diag { out, app: app.into() }
    }

    /// Writes one line, when shown. Takes `format_args!` so that nothing is
    /// formatted when silent.
    pub(crate) fn say(&self, msg: impl fmt::Display) {
        if let Some(out) = &self.out {
            out.write(&format!("[{} telemetry] {msg}\n", self.app));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn diag_prefixes_each_line_and_is_silent_without_output() {
        let buf = Buf::default();
        Diag::new("demo", Some(Output::new(buf.clone()))).say(format_args!("resending {} spooled events", 2));
        Diag::new("demo", None).say("never shown");
        assert_eq!(
            String::from_utf8(buf.0.lock().unwrap().clone()).unwrap(),
            "[demo telemetry] resending 2 spooled events\n"
        );
    }
}
