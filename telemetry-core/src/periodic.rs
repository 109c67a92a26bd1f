//! Periodic events for long-running services: a small ticker thread per
//! schedule, owned by the handle, that builds and records one event per
//! period. The caller's `record()` never waits on it, and it stops promptly
//! when its guard is dropped, the handle shuts down, or its tick says so.

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

    /// Sleeps until `until` (`None`: for ever) or until stopped; returns whether stopped.
    fn sleep_until(&self, until: Option<Instant>) -> bool {
        let mut stopped = self.stopped.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if *stopped {
                return true;
            }
            let now = Instant::now();
            stopped = match until {
                Some(until) if now >= until => return false,
                Some(until) => {
                    self.wake.wait_timeout(stopped, until - now).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0)
                }
                None => self.wake.wait(stopped).unwrap_or_else(|p| p.into_inner()),
            };
        }
    }
}

/// When the next tick is due, as an offset from the schedule's start: the
/// first whole multiple of `period` after `elapsed`. `None` when it is
/// past what a `Duration` holds: the schedule never ticks again.
fn next_due(elapsed: Duration, period: Duration) -> Option<Duration> {
    let period = period.as_nanos().max(1);
    let due = (elapsed.as_nanos() / period).checked_add(1)?.checked_mul(period)?;
    let secs = u64::try_from(due / 1_000_000_000).ok()?;
    // The remainder is below 10^9, so it fits.
    Some(Duration::new(secs, (due % 1_000_000_000) as u32))
}

/// A running ticker: its stop signal and its thread.
pub(crate) struct Ticker {
    stop: Arc<Stop>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    /// Starts a thread named `name` that calls `tick` every `period`, the
    /// first time one period from now, until `tick` returns `false`,
    /// `alive` does (asked at least once a second, so that a long period
    /// does not keep a schedule that may no longer run), or the ticker is
    /// stopped. Ticks are scheduled from the start, so a slow tick does not
    /// shift the ones after it; ticks missed while one ran long are skipped,
    /// not run in a burst. A period too long to add to the clock never ticks.
    pub(crate) fn spawn(
        name: String,
        period: Duration,
        alive: impl Fn() -> bool + Send + 'static,
        mut tick: impl FnMut() -> bool + Send + 'static,
    ) -> std::io::Result<Ticker> {
        let stop = Arc::new(Stop::default());
        let period = period.max(Duration::from_millis(1));
        let s = stop.clone();
        let thread = std::thread::Builder::new().name(name).spawn(move || {
            let start = Instant::now();
            let due_after = |elapsed| next_due(elapsed, period).and_then(|d| start.checked_add(d));
            let mut due = due_after(Duration::ZERO);
            loop {
                let poll = Instant::now().checked_add(Duration::from_secs(1));
                if s.sleep_until(due.into_iter().chain(poll).min()) {
                    return;
                }
                if !alive() {
                    return s.set();
                }
                if due.is_none_or(|d| Instant::now() < d) {
                    continue;
                }
                // A panicking closure ends this schedule, never the host app.
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut tick)) {
                    Ok(true) => due = due_after(start.elapsed()),
                    _ => return s.set(),
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
    /// Called from the tick itself (its closure dropped the last owner of
    /// the handle), it signals only: a thread cannot wait for itself.
    pub(crate) fn stop(&mut self) {
        self.stop.set();
        if let Some(t) = self.thread.take()
            && t.thread().id() != std::thread::current().id()
        {
            let _ = t.join();
        }
    }

    /// Whether the guard (or a shutdown, its tick, or `alive`) stopped it.
    pub(crate) fn is_stopped(&self) -> bool {
        self.stop.is_set()
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A periodic event schedule, from [`crate::Telemetry::every`] or
/// [`crate::Telemetry::every_with`].
///
/// Dropping it (or calling [`Periodic::stop`]) stops the schedule: no event
/// of it is recorded after that returns. Shutting the handle down stops
/// every schedule first, so none is recorded after shutdown either. Keep it
/// alive as long as the events should be sent: in `main` beside the handle,
/// or in the service's state next to the handle, with a schedule made by
/// [`crate::Telemetry::every_with`], whose closure reads that state through
/// a weak reference. (A closure that owns an `Arc` of a state holding the
/// handle keeps the handle alive for ever: its events are never flushed.)
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
    /// telemetry is off or was withdrawn since, after shutdown, once the
    /// state of [`crate::Telemetry::every_with`] is gone, after a panic in
    /// its closure, or if its thread could not start.
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
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    #[test]
    fn ticks_every_period_and_stops_at_once() {
        let n = Arc::new(AtomicUsize::new(0));
        let c = n.clone();
        let mut t = Ticker::spawn(
            "tick-test".into(),
            Duration::from_millis(20),
            || true,
            move || {
                c.fetch_add(1, SeqCst);
                true
            },
        )
        .unwrap();
        // Counted, not timed: a loaded machine may run the thread late, so
        // wait for three ticks (the 10 s bound only stops a hang).
        let until = Instant::now() + Duration::from_secs(10);
        while n.load(SeqCst) < 3 {
            assert!(Instant::now() < until, "{} ticks in 10 s at 20 ms", n.load(SeqCst));
            std::thread::sleep(Duration::from_millis(5));
        }
        // That stop does not wait out a period is the next test's (an hour's period).
        t.stop();
        let ticks = n.load(SeqCst);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(n.load(SeqCst), ticks, "ticked after stop");
    }

    #[test]
    fn dropping_the_guard_stops_the_thread_without_waiting_a_period() {
        let t = Ticker::spawn("tick-test".into(), Duration::from_secs(3600), || true, || true).unwrap();
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
        let mut t = Ticker::spawn(
            "tick-test".into(),
            Duration::from_millis(5),
            || true,
            move || {
                c.fetch_add(1, SeqCst);
                panic!("tick");
            },
        )
        .unwrap();
        let g = t.guard();
        // The thread ends after its first tick, by itself.
        assert!(t.thread.take().unwrap().join().is_ok());
        assert!(!g.is_running());
        assert_eq!(n.load(SeqCst), 1);
    }

    #[test]
    fn a_tick_that_says_stop_ends_its_schedule() {
        let t = Ticker::spawn("tick-test".into(), Duration::from_millis(1), || true, || false).unwrap();
        let g = t.guard();
        drop(t); // joins: the thread ended after its first tick
        assert!(!g.is_running());
    }

    #[test]
    fn a_schedule_that_may_no_longer_run_stops_without_waiting_its_period() {
        let alive = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let a = alive.clone();
        let mut t =
            Ticker::spawn("tick-test".into(), Duration::from_secs(3600), move || a.load(SeqCst), || true).unwrap();
        let g = t.guard();
        alive.store(false, SeqCst);
        // The thread ends by itself at its next look (within a second), not in an hour.
        assert!(t.thread.take().unwrap().join().is_ok());
        assert!(!g.is_running());
    }

    /// Before: `start + period` panicked in the thread (a backtrace on the
    /// app's stderr; with `panic = "abort"`, the app gone).
    #[test]
    fn periods_too_long_to_add_never_tick_and_never_panic() {
        for period in [Duration::from_secs(u64::MAX), Duration::MAX, Duration::from_secs(u64::MAX / 2)] {
            let mut t = Ticker::spawn("tick-test".into(), period, || true, || panic!("ticked")).unwrap();
            let g = t.guard();
            assert!(g.is_running());
            t.stop.set();
            let thread = t.thread.take().unwrap();
            assert!(thread.join().is_ok(), "the ticker thread panicked for {period:?}");
        }
    }

    #[test]
    fn next_due_at_the_edges() {
        let s = Duration::from_secs;
        assert_eq!(next_due(Duration::ZERO, s(2)), Some(s(2)));
        assert_eq!(next_due(s(2), s(2)), Some(s(4)));
        assert_eq!(next_due(s(5), s(2)), Some(s(6)));
        // 2^32 periods behind: a count of periods narrowed to u32 would wrap to 1.
        let p = Duration::from_nanos(1);
        assert_eq!(next_due(Duration::from_nanos(1 << 32), p), Some(Duration::from_nanos((1 << 32) + 1)));
        assert_eq!(next_due(Duration::ZERO, Duration::MAX), Some(Duration::MAX));
        assert_eq!(next_due(Duration::from_nanos(1), Duration::MAX), Some(Duration::MAX));
        assert_eq!(next_due(Duration::MAX, Duration::MAX), None);
        assert_eq!(next_due(Duration::MAX, p), None);
    }

    fn duration() -> impl Strategy<Value = Duration> {
        prop_oneof![
            (0u64..10, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
            (0u64..1 << 40, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
            (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        ]
    }

    proptest! {
        /// The next tick is the first multiple of the period after `elapsed`,
        /// or `None` exactly when that is past `Duration::MAX`; never a panic.
        #[test]
        fn next_due_is_the_next_multiple_or_never(elapsed in duration(), period in duration()) {
            let p = period.as_nanos().max(1);
            let exact = (elapsed.as_nanos() / p + 1) * p; // < 2^128: no overflow in u128
            match next_due(elapsed, period) {
                Some(due) => {
                    prop_assert_eq!(due.as_nanos(), exact);
                    prop_assert!(due > elapsed && due.as_nanos() - elapsed.as_nanos() <= p);
                }
                None => prop_assert!(exact > Duration::MAX.as_nanos()),
            }
        }
    }
}
