//! Nothing is lost without a word (issue 15, item 6): rotation of the
//! JSON-lines file is safe across processes and counts what it discards; a
//! 3xx answer is retried and spooled, never followed; an event over the
//! size bound has its own counter and a debug message. Every test checks
//! `recorded == sent + spooled + dropped`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::*;
use telemetry_core::{Batching, EnvSource, Limits, MemorySink, Stats, Telemetry};
use telemetry_testkit::*;

/// Set in a child: `<state dir>|<child index>|<file bound in bytes>`.
const CHILD_VAR: &str = "TELEMETRY_ROTATION_TEST_CHILD";
const PROCESSES: u64 = 4;
const PER_PROCESS: u64 = 3000;

fn settled(s: &Stats) {
    assert_eq!(s.recorded, s.sent + s.spooled + s.dropped, "{s:?}");
}

fn local(dir: &Path) -> telemetry_core::TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.0.0")
        .state_dir(dir)
        .notice(false)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
}

/// A child's half: 3000 events into the shared `events.jsonl`, numbered
/// `index * 100000 + n` in `duration_ms`.
fn child(spec: &str) {
    let [dir, index, bound] = spec.split('|').collect::<Vec<_>>()[..] else { panic!("{spec}") };
    let index: u64 = index.parse().unwrap();
    let t = local(Path::new(dir))
        .settings(|b| {
            b.limits(
                Limits::default()
                    .with_queue_events(PER_PROCESS as usize)
                    .with_queue_bytes(64 << 20)
                    .with_file_bytes(bound.parse().unwrap()),
            )
            // Small batches: many more writes meet at each rotation.
            .batching(
                Batching::default()
                    .with_max_events(5)
                    .with_max_bytes(64 << 10)
                    .with_max_latency(Duration::from_millis(1)),
            )
            .shutdown_deadline(Duration::from_secs(60))
        })
        .build()
        .unwrap();
    for n in 0..PER_PROCESS {
        t.record(&run(index * 100_000 + n));
    }
    let s = t.shutdown();
    println!("stats: recorded {} sent {} dropped {}", s.recorded, s.sent, s.dropped);
    println!("rotated away: {}", s.rotated_away);
}

/// Runs the 4 children against one state dir with a file bound of `bound`
/// bytes; returns the lines they left on disk (`.1` first) and the sum of
/// their `rotated_away`.
fn four_children(dir: &Path, test: &str, bound: u64) -> (Vec<String>, u64) {
    // One install for all: the first run creates the state.
    drop(local(dir).build().unwrap());
    let children: Vec<_> = (0..PROCESSES)
        .map(|i| {
            Command::new(std::env::current_exe().unwrap())
                .args([test, "--exact", "--nocapture"])
                .env(CHILD_VAR, format!("{}|{i}|{bound}", dir.display()))
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut rotated_away = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}");
        assert!(stdout.contains(&format!("stats: recorded {PER_PROCESS} sent {PER_PROCESS} dropped 0")), "{stdout}");
        let n = stdout.lines().find_map(|l| l.strip_prefix("rotated away: ")).expect("the child's counters");
        rotated_away += n.parse::<u64>().unwrap();
    }
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let lines = read("events.jsonl.1").lines().chain(read("events.jsonl").lines()).map(String::from).collect();
    (lines, rotated_away)
}

/// The `duration_ms` of each line, checking every line is whole JSON and none repeats.
fn numbers(lines: &[String]) -> BTreeSet<u64> {
    let mut seen = BTreeSet::new();
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("torn line ({e}): {line}"));
        assert!(seen.insert(v["properties"]["duration_ms"].as_u64().unwrap()), "a line written twice: {line}");
    }
    seen
}

#[test]
fn four_processes_rotating_one_file_lose_nothing() {
    if let Ok(spec) = std::env::var(CHILD_VAR) {
        return child(&spec);
    }
    let dir = temp_dir("rotation");
    // The default bound (4 MiB) against about 5 MiB of events: one rotation,
    // and everything is still on disk.
    let (lines, rotated_away) = four_children(&dir, "four_processes_rotating_one_file_lose_nothing", 4 << 20);
    assert!(dir.join("events.jsonl.1").exists(), "the file rotated");
    let expected: BTreeSet<u64> = (0..PROCESSES).flat_map(|i| (0..PER_PROCESS).map(move |n| i * 100_000 + n)).collect();
    assert_eq!((lines.len() as u64, rotated_away), (PROCESSES * PER_PROCESS, 0), "lines on disk, rotated away");
    assert_eq!(numbers(&lines), expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn many_rotations_across_processes_account_for_every_line() {
    if let Ok(spec) = std::env::var(CHILD_VAR) {
        return child(&spec);
    }
    let dir = temp_dir("rotations");
    // 64 KiB: about 80 rotations. Every line written is on disk or counted
    // as rotated away, exactly once.
    let (lines, rotated_away) = four_children(&dir, "many_rotations_across_processes_account_for_every_line", 64 << 10);
    assert_eq!(numbers(&lines).len() as u64 + rotated_away, PROCESSES * PER_PROCESS, "on disk + rotated away");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rotation_counts_what_it_discards_apart_from_sent() {
    let dir = temp_dir("rotated-away");
    // A 1-byte bound: every batch after the first rotates.
    let t = local(&dir).settings(|b| b.limits(Limits::default().with_file_bytes(1))).build().unwrap();
    for n in 0..3 {
        t.record(&run(n));
        assert!(t.flush(Duration::from_secs(10)));
    }
    let s = t.shutdown();
    settled(&s);
    assert_eq!(s, Stats { recorded: 3, sent: 3, rotated_away: 1, ..Stats::default() });
    let one: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(dir.join("events.jsonl.1")).unwrap().trim()).unwrap();
    assert_eq!(one["properties"]["duration_ms"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(feature = "http")]
#[test]
fn a_redirect_is_retried_and_spooled_never_followed() {
    use telemetry_core::{Retry, WireFormat};
    let target = Collector::ok();
    let location = format!("{}/v1/batch", target.url());
    let collector = Collector::start(Vec::new(), Reply::Status(302, vec![("location", location)]));
    let dir = temp_dir("redirect");
    let builder = |url: String| {
        local(&dir).settings(|b| {
            b.endpoint(url, WireFormat::Native)
                .retry(Retry::default().with_backoff(Duration::from_millis(10), Duration::from_millis(20)))
                .shutdown_deadline(Duration::from_millis(300))
        })
    };
    let t = builder(collector.url()).build().unwrap();
    for n in 0..5 {
        t.record(&run(n));
    }
    let s = t.shutdown();
    settled(&s);
    assert_eq!((s.recorded, s.sent, s.spooled, s.dropped), (5, 0, 5, 0), "{s:?}");
    assert!(s.retried >= 5, "{s:?}");
    assert!(collector.requests().len() >= 2, "retried against the same endpoint");
    assert!(target.requests().is_empty(), "the redirect was followed");
    // Once the endpoint answers 200, the next run sends the spool.
    collector.set_reply(Reply::Status(200, Vec::new()));
    let again = builder(collector.url()).build().unwrap();
    assert_eq!(again.shutdown(), Stats { resent: 5, ..Stats::default() });
    assert!(target.requests().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_oversize_event_has_its_own_counter_and_a_debug_message() {
    let flags: Vec<&str> = vec!["a-long-flag-name"; 100];
    let big = CommandRun { flags, ..run(7) };
    // Its exact size, from a handle whose queue holds it.
    let memory = MemorySink::new();
    let dir = temp_dir("oversize");
    let t = local(&dir).memory(memory.clone()).build().unwrap();
    t.record(&big);
    t.shutdown();
    let size = memory.take()[0].len();
    assert!(size > 2048, "{size}");

    let out = Buf::default();
    let t = local(&dir)
        .settings(|b| b.limits(Limits::default().with_queue_events(1000).with_queue_bytes(2048)))
        .env(EnvSource::from_pairs([("EXAMPLE_CLI_TELEMETRY_DEBUG", "1")]))
        .output(out.clone())
        .build()
        .unwrap();
    t.record(&big);
    t.record(&run(1));
    let s = t.shutdown();
    settled(&s);
    assert_eq!(s, Stats { recorded: 2, sent: 1, dropped: 1, oversize: 1, ..Stats::default() });
    let said = format!(
        "[example-cli telemetry] dropped event \"command_run\": {size} bytes, over the queue bound of 2048 bytes\n"
    );
    assert!(out.text().contains(&said), "{}", out.text());
    std::fs::remove_dir_all(&dir).unwrap();
}
