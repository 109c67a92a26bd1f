//! The schema's first-run choice (issue 15, item 10) and opt-out command
//! (issue 11, item 6). With `consent.first_run: notice_first` the run that
//! shows the notice records nothing, and sending starts with the next run;
//! with `send` (the default) the first run sends. The schema's
//! `opt_out_command` is named in the notice and status unless the builder
//! sets its own.

mod common;

use common::*;
use telemetry_core::__private::{AppParts, app_meta};
use telemetry_core::meta::{AppMeta, FirstRun};
use telemetry_core::{EnvSource, MemorySink, Mode, Reason, Stats, Telemetry};
use telemetry_testkit::*;

static NOTICE_FIRST: AppMeta = app_meta(AppParts { first_run: FirstRun::NoticeFirst, ..PARTS });
static NO_COMMAND: AppMeta = app_meta(AppParts { opt_out_command: None, ..PARTS });

const NOTICE: &str = "Example CLI collects anonymous usage data (command_run, telemetry_changed) with a random install id, never who you are.
  What is collected and what never is: https://example.org/example-cli/telemetry
  To opt out: run `example-cli telemetry disable`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1.
This notice is shown once.
";

/// One run: returns what it printed, its status, and the events it delivered.
fn one_run(app: &'static AppMeta, dir: &std::path::Path) -> (String, telemetry_core::Status, Stats, usize) {
    let out = Buf::default();
    let memory = MemorySink::new();
    let t = Telemetry::builder(app)
        .app_version("1.0.0")
        .state_dir(dir)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .output(out.clone())
        .memory(memory.clone())
        .build()
        .unwrap();
    t.record(&run(1));
    let status = t.status().clone();
    let stats = t.shutdown();
    (out.text(), status, stats, memory.take().len())
}

#[test]
fn notice_first_sends_nothing_in_the_run_that_shows_the_notice() {
    let dir = temp_dir("notice-first");
    let (printed, status, stats, delivered) = one_run(&NOTICE_FIRST, &dir);
    assert_eq!(printed, NOTICE);
    assert_eq!((status.mode, &status.reason), (Mode::Off, &Reason::NoticeFirst));
    assert_eq!(
        status.to_string().lines().next().unwrap(),
        "Telemetry is off: this run showed the first-run notice; events are sent from the next run on."
    );
    assert_eq!((stats, delivered), (Stats::default(), 0));
    // The install exists: the next run has the same id, no notice, and sends.
    let id = state_of(&dir)["anonymous_id"].as_str().unwrap().to_string();
    assert_eq!(status.anonymous_id.as_deref(), Some(id.as_str()));
    let (printed, status, stats, delivered) = one_run(&NOTICE_FIRST, &dir);
    assert_eq!(printed, "");
    assert_eq!((status.mode, status.reason), (Mode::On, Reason::Default { enabled: true }));
    assert_eq!((stats, delivered), (Stats { recorded: 1, sent: 1, ..Stats::default() }, 1));
    assert_eq!(status.anonymous_id, Some(id));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn send_is_the_default_and_sends_from_the_first_run() {
    let dir = temp_dir("send-first");
    let (printed, status, stats, delivered) = one_run(&APP, &dir);
    assert!(printed.starts_with("Example CLI collects anonymous usage data"), "{printed}");
    assert_eq!((status.mode, status.reason), (Mode::On, Reason::Default { enabled: true }));
    assert_eq!((stats, delivered), (Stats { recorded: 1, sent: 1, ..Stats::default() }, 1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_schema_opt_out_command_is_used_unless_the_builder_sets_one() {
    let env = || EnvSource::from_pairs::<&str, &str>([]);
    let schema_only = Telemetry::builder(&NOTICE_FIRST).state_dir(temp_dir("opt-out")).with_test_knobs().env(env());
    assert_eq!(
        schema_only.preview_status().opt_out,
        "run `example-cli telemetry disable`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1"
    );
    assert_eq!(schema_only.notice_text(), NOTICE);
    let own = schema_only.clone().settings(|b| b.opt_out_command("example-cli config set telemetry off"));
    assert_eq!(
        own.preview_status().opt_out,
        "run `example-cli config set telemetry off`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1"
    );
    // Without either, the variables only.
    let neither = Telemetry::builder(&NO_COMMAND).state_dir(temp_dir("opt-out")).with_test_knobs().env(env());
    assert_eq!(neither.preview_status().opt_out, "set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1");
}

/// `telemetry status` on a fresh `notice_first` install says what will
/// happen: nothing is sent until the notice is shown. Before: only
/// "Telemetry is on", though the next run sends nothing. Once the notice was
/// shown, the note is gone.
#[test]
fn status_on_a_fresh_notice_first_install_says_nothing_is_sent_yet() {
    let dir = temp_dir("notice-first-status");
    let builder = || {
        Telemetry::builder(&NOTICE_FIRST).state_dir(&dir).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([]))
    };
    let lines = |d: &std::path::Path| {
        format!(
            "Telemetry is on: it is on by default.\n  \
             Events go to:  {} (JSON lines; nothing is sent)\n  \
             State:         {}\n  \
             What is sent:  https://example.org/example-cli/telemetry\n  \
             Opt out:       run `example-cli telemetry disable`, or set DO_NOT_TRACK=1 or EXAMPLE_CLI_DISABLE_TELEMETRY=1\n",
            d.join("events.jsonl").display(),
            d.display()
        )
    };
    assert_eq!(
        builder().preview_status().to_string(),
        format!(
            "{}  Note: nothing is sent until the first-run notice has been shown: the next run shows it and sends nothing; the runs after it send\n",
            lines(&dir)
        )
    );
    one_run(&NOTICE_FIRST, &dir);
    let status = builder().preview_status();
    let id = status.anonymous_id.clone().unwrap();
    assert_eq!(
        status.to_string(),
        lines(&dir).replace("  What is sent:", &format!("  Anonymous id:  {id}\n  What is sent:"))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The worker starts as soon as consent is on, to open its HTTP client
/// while `build()` reads the identity; a run that then ends off (here: it
/// shows the notice of a `notice_first` app) must stop it: no connection to
/// the collector, and no thread of the handle's left running.
#[cfg(feature = "http")]
#[test]
fn a_run_that_ends_off_after_consent_leaves_no_worker_and_opens_no_connection() {
    static NOTICE_FIRST_HTTP: AppMeta =
        app_meta(AppParts { name: "nf-http", first_run: FirstRun::NoticeFirst, ..PARTS });
    let collector = Collector::ok();
    let dir = temp_dir("notice-first-http");
    let t = Telemetry::builder(&NOTICE_FIRST_HTTP)
        .app_version("1.0.0")
        .state_dir(&dir)
        .endpoint(collector.url(), telemetry_core::WireFormat::Native)
        .with_test_knobs()
        .env(EnvSource::from_pairs::<&str, &str>([]))
        .output(Buf::default())
        .build()
        .unwrap();
    assert_eq!(t.status().reason, Reason::NoticeFirst);
    t.record(&run(1));
    assert_eq!(t.shutdown(), Stats::default());
    #[cfg(target_os = "linux")]
    {
        // Joined when `build()` ended off; polled only so that the kernel's
        // last step of a thread's exit cannot make this flaky.
        let worker_left = || {
            std::fs::read_dir("/proc/self/task").unwrap().flatten().any(|task| {
                std::fs::read_to_string(task.path().join("comm")).is_ok_and(|c| c.trim() == "nf-http-telemet")
            })
        };
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while worker_left() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(!worker_left(), "the worker of a handle that ended off is still running");
    }
    assert_eq!(collector.connections(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}
