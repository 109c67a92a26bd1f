//! Output a test can read back: what the code under test printed.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// A [`Write`] that keeps every byte; clones share the same buffer, so a
/// test hands one clone to the code under test and reads the other.
///
/// ```
/// use std::io::Write;
/// let out = telemetry_testkit::Buf::default();
/// write!(out.clone(), "notice: {}", 42).unwrap();
/// assert_eq!(out.text(), "notice: 42");
/// ```
#[derive(Clone, Default)]
pub struct Buf(pub Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buf {
    /// Everything written so far, as UTF-8 (panics otherwise: a test failure).
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}
