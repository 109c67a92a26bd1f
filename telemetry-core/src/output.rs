//! Where the runtime's own words go: the notice, debug and log-only output
//! (stderr unless a test or app redirects it), and the diagnostics shown in
//! debug mode.

use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

/// A shared writer; stderr by default.
#[derive(Clone)]
pub(crate) struct Output(Arc<Mutex<Box<dyn Write + Send>>>, bool);

impl Output {
    pub(crate) fn stderr() -> Self {
        Output(Arc::new(Mutex::new(Box::new(Stderr))), true)
    }

    pub(crate) fn new(w: impl Write + Send + 'static) -> Self {
        Output(Arc::new(Mutex::new(Box::new(w))), false)
    }

    /// Whether someone may read what is written: false for a stderr that is
    /// closed or `/dev/null` (a cron job, `2>/dev/null`). The notice is not
    /// even attempted then, so it is neither claimed nor given back.
    pub(crate) fn seen(&self) -> bool {
        #[cfg(unix)]
        if self.1 {
            return !unseen();
        }
        true
    }

    /// Writes `text` in one call; returns whether it was written. Output
    /// is best effort: only the notice looks at the result (it is marked
    /// shown only when it was).
    pub(crate) fn write(&self, text: &str) -> bool {
        let mut w = match self.0.lock() {
            Ok(w) => w,
            Err(p) => p.into_inner(),
        };
        w.write_all(text.as_bytes()).and_then(|()| w.flush()).is_ok()
    }
}

/// stderr, but saying so when nobody can read it. A program started with
/// stderr closed (`2>&-`) gets `/dev/null` there from the standard library
/// (which reopens closed standard fds), and writes "succeed": a notice
/// written so would be marked shown though nobody saw it.
struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        #[cfg(unix)]
        if unseen() {
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "stderr is closed or /dev/null"));
        }
        io::stderr().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// Whether stderr is closed, or is `/dev/null`.
#[cfg(unix)]
fn unseen() -> bool {
    closed_or_null(io::stderr())
}

/// `fstat` of a duplicate of `fd` (`dup` fails when it is closed), compared
/// with `/dev/null`'s.
#[cfg(unix)]
fn closed_or_null(fd: impl std::os::fd::AsFd) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(st) = fd.as_fd().try_clone_to_owned().and_then(|fd| std::fs::File::from(fd).metadata()) else {
        return true;
    };
    std::fs::metadata("/dev/null").is_ok_and(|null| null.dev() == st.dev() && null.ino() == st.ino())
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

    #[cfg(unix)]
    #[test]
    fn dev_null_is_unseen_and_a_file_is_not() {
        assert!(closed_or_null(std::fs::File::open("/dev/null").unwrap()));
        let path = std::env::temp_dir().join(format!("tc-output-{}", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        assert!(!closed_or_null(&file));
        std::fs::remove_file(&path).unwrap();
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
