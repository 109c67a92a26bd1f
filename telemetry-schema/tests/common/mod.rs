//! Loading a hostile schema under a hang detector, shared by the case
//! runner (`cases.rs`) and the generated corpus (`corpus.rs`).

use std::sync::mpsc;
use std::time::Duration;
use telemetry_schema::{Schema, SchemaError};

/// A hang detector, not a timing check: a real load takes milliseconds, but
/// a debug build of the 100,000-key case on a loaded 2-core machine took over
/// 10 s, so the bound is far past anything a working loader needs.
pub const HANG: Duration = Duration::from_secs(120);

/// Runs `load` on its own thread: the rendered error, or a sentence saying
/// what happened instead (it loaded, panicked or hung).
pub fn refusal(load: impl FnOnce() -> Result<Schema, SchemaError> + Send + 'static) -> Result<String, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(load));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(HANG) {
        Ok(Ok(Ok(schema))) => Err(format!("loaded without error ({} events)", schema.events.len())),
        Ok(Ok(Err(e))) => Ok(e.to_string()),
        Ok(Err(_)) => Err("the loader panicked".into()),
        Err(_) => Err(format!("no result after {HANG:?}: the loader hangs")),
    }
}
