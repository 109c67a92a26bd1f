//! Periodic events for long-running services: a small ticker thread per
//! schedule, owned by the handle, that builds and records one event per
//! period. The caller's `record()` never waits on it, and it stops promptly
//! when its guard is dropped or the handle shuts down.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The stop signal of one ticker: set once, wakes its sleep at once.
#[derive(Default)]
struct Stop {
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl Stop {
    fn set(&self) {
        *self.stopped.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
    }

    fn is_set(&self) -> bool {
        *self.stopped.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sleeps until `until` or until stopped; returns whether stopped.
    fn sleep_until(&self, until: Instant) -> bool {
        let mut stopped = self.stopped.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let now = Instant::now();
            if *stopped || now >= until {
                return *stopped;
            }
            stopped = self.wake.wait_timeout(stopped, until - now).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
        }
    }
}

/// A running ticker: its stop signal and its thread.
pub(crate) struct Ticker {
    stop: Arc<Stop>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    /// Starts a thread named `name` that calls `tick` every `period`, the
    /// first time one period from now. Ticks are scheduled from the start,
    /// so a slow tick does not shift the ones after it; ticks missed while
    /// one ran long are skipped, not run in a burst.
    pub(crate) fn spawn(
        name: String,
        period: Duration,
        mut tick: impl FnMut() + Send + 'static,
    ) -> std::io::Result<Ticker> {
        let stop = Arc::new(Stop::default());
        let period = period.max(Duration::from_millis(1));
        let s = stop.clone();
        let thread = std::thread::Builder::new().name(name).spawn(move || {
            let start = Instant::now();
            let mut next = start + period;
            while !s.sleep_until(next) {
                // A panicking closure ends this schedule, never the host app.
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut tick)).is_err() {
                    return;
                }
                let now = Instant::now();
                next += period;
                if next <= now {
                    let behind = (now - start).as_nanos() / period.as_nanos();
                    next = start + period * (behind as u32 + 1);
                }
            }
        })?;
        Ok(Ticker { stop, thread: Some(thread) })
    }

    /// The guard handed to the application for this ticker.
    pub(crate) fn guard(&self) -> Periodic {
        Periodic { stop: Some(self.stop.clone()) }
    }

    /// Signals the thread and waits for it: at most the tick in progress.
    pub(crate) fn stop(&mut self) {
        self.stop.set();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Whether the guard (or a shutdown) stopped it.
    pub(crate) fn is_stopped(&self) -> bool {
        self.stop.is_set()
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A periodic event schedule, from [`crate::Telemetry::every`].
///
/// Dropping it (or calling [`Periodic::stop`]) stops the schedule: no event
/// of it is recorded after that returns. Shutting the handle down stops
/// every schedule first, so none is recorded after shutdown either. Keep it
/// alive as long as the events should be sent, for instance next to the
/// handle in the service's state.
#[must_use = "dropping the guard stops the schedule at once"]
pub struct Periodic {
    stop: Option<Arc<Stop>>,
}

impl Periodic {
    /// A guard that schedules nothing (telemetry off).
    pub(crate) fn inert() -> Self {
        Periodic { stop: None }
    }

    /// Stops the schedule now (the same as dropping the guard).
    pub fn stop(self) {}

    /// Whether events of this schedule can still be recorded: false when
    /// telemetry is off, after shutdown, or if its thread could not start.
    pub fn is_running(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| !s.is_set())
    }
}

impl Drop for Periodic {
    fn drop(&mut self) {
        if let Some(s) = &self.stop {
            s.set();
        }
    }
}

impl fmt::Debug for Periodic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Periodic").field("running", &self.is_running()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    #[test]
    fn ticks_every_period_and_stops_at_once() {
        let n = Arc::new(AtomicUsize::new(0));
        let c = n.clone();
        let mut t = Ticker::spawn("tick-test".into(), Duration::from_millis(20), move || {
            c.fetch_add(1, SeqCst);
        })
        .unwrap();
        std::thread::sleep(Duration::from_millis(110));
        let t0 = Instant::now();
        t.stop();
        assert!(t0.elapsed() < Duration::from_millis(50), "stop took {:?}", t0.elapsed());
        let ticks = n.load(SeqCst);
        assert!((3..=6).contains(&ticks), "{ticks} ticks in 110 ms at 20 ms");
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(n.load(SeqCst), ticks, "ticked after stop");
    }

    #[test]
    fn dropping_the_guard_stops_the_thread_without_waiting_a_period() {
        let t = Ticker::spawn("tick-test".into(), Duration::from_secs(3600), || {}).unwrap();
        let g = t.guard();
        assert!(g.is_running());
        let t0 = Instant::now();
        drop(g);
        assert!(t.is_stopped());
        drop(t); // joins
        assert!(t0.elapsed() < Duration::from_millis(100), "{:?}", t0.elapsed());
        assert!(!Periodic::inert().is_running());
    }

    #[test]
    fn a_panicking_tick_ends_its_schedule_only() {
        let n = Arc::new(AtomicUsize::new(0));
        let c = n.clone();
        let mut t = Ticker::spawn("tick-test".into(), Duration::from_millis(5), move || {
            c.fetch_add(1, SeqCst);
            panic!("tick");
        })
        .unwrap();
        std::thread::sleep(Duration::from_millis(60));
        t.stop();
        assert_eq!(n.load(SeqCst), 1);
    }
}
