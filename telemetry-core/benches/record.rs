//! `Telemetry::record` on the caller's thread (divan: median, mean, min, max).
//! `cargo bench -p telemetry-core --bench record`

#[path = "support.rs"]
mod support;

use divan::{Bencher, black_box};
use support::*;

fn main() {
    divan::main();
    if let Some((sink, t)) = side_by_side::MEMORY.get() {
        t.flush(std::time::Duration::from_secs(10));
        // Events dropped on a full queue would make record() look cheaper: show them.
        println!("memory sink: {:?}; delivered {}", t.stats(), sink.delivered());
    }
    cleanup();
    cleanup_memory();
    let _ = std::fs::remove_dir_all(state_dir("metrics"));
}

/// Telemetry off: one relaxed atomic load and a branch.
#[divan::bench(sample_count = 1000, sample_size = 1000)]
fn record_disabled(b: Bencher) {
    let t = disabled();
    let e = event();
    b.bench_local(|| t.record(black_box(&e)));
}

/// On, collector down, queue with room: serialize, hash, push.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn record_enabled_collector_down(b: Bencher) {
    let t = enabled_collector_down(1 << 20);
    let e = event();
    b.bench_local(|| t.record(black_box(&e)));
}

/// On, collector down long enough that the queue is full: serialize, then drop.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn record_enabled_queue_full(b: Bencher) {
    let t = enabled_collector_down(1);
    let e = event();
    t.record(&e);
    b.bench_local(|| t.record(black_box(&e)));
}

/// Baseline: the properties alone, as `properties_json` writes them.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn properties_only(b: Bencher) {
    let h = telemetry_core::Hasher::new(&[7; 32]);
    let e = event();
    b.bench_local(|| telemetry_core::__bench::properties_json(black_box(&e), &h));
}

/// Parts of one record: a v4 UUID from the OS.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn part_uuid_v4() -> uuid::Uuid {
    uuid::Uuid::new_v4()
}

/// Parts of one record: the timestamp.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn part_timestamp() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// Side by side (`cargo xtask bench`): the 8-field event of `benches/bench.yaml`
/// with 2 hashed fields, recorded, vs a plain serde struct serialized.
mod side_by_side {
    use super::*;
    use std::sync::OnceLock;
    use telemetry_core::{MemorySink, Telemetry};

    pub(crate) static MEMORY: OnceLock<(MemorySink, Telemetry)> = OnceLock::new();

    /// `record()`, on: envelope written (2 HMACs), queued; the worker drains to memory.
    #[divan::bench(sample_count = 500, sample_size = 100)]
    fn record_enabled_memory(b: Bencher) {
        let (_, t) = MEMORY.get_or_init(|| {
            let sink = MemorySink::counting();
            let t = enabled_memory(&sink);
            (sink, t)
        });
        let e = build_finished();
        b.bench_local(|| t.record(black_box(&e)));
    }

    /// `record()`, off (`DO_NOT_TRACK=1`).
    #[divan::bench(sample_count = 1000, sample_size = 1000)]
    fn record_disabled(b: Bencher) {
        let t = Telemetry::builder(&BENCH_APP)
            .app_version("1.0.0")
            .state_dir(state_dir("off"))
            .with_test_knobs()
            .env(telemetry_core::EnvSource::from_pairs([("DO_NOT_TRACK", "1")]))
            .build()
            .unwrap();
        let e = build_finished();
        b.bench_local(|| t.record(black_box(&e)));
    }

    /// The fair baseline (issue 13): what an app does without telemetry-core
    /// for the same event: the two HMAC-SHA256 (keyed state reused), then
    /// `serde_json::to_vec` of the same fields.
    #[divan::bench(sample_count = 500, sample_size = 100)]
    fn serde_to_vec_baseline(b: Bencher) {
        let h = telemetry_core::Hasher::new(&[7; 32]);
        b.bench_local(|| serde_json::to_vec(&plain_build_finished(black_box(&h))).unwrap());
    }
}

/// Where the time of `side_by_side::record_enabled_memory` goes.
mod parts {
    use super::*;

    /// The properties alone (8 fields, both HMACs), as `properties_json` writes them.
    #[divan::bench(sample_count = 500, sample_size = 100)]
    fn properties_8_fields_2_hashed(b: Bencher) {
        let h = telemetry_core::Hasher::new(&[7; 32]);
        let e = build_finished();
        b.bench_local(|| telemetry_core::__bench::properties_json(black_box(&e), &h));
    }

    /// The two HMAC-SHA256 of the event's hashed fields.
    #[divan::bench(sample_count = 500, sample_size = 100)]
    fn two_hmacs(b: Bencher) {
        let h = telemetry_core::Hasher::new(&[7; 32]);
        let mut out = [0u8; 64];
        b.bench_local(|| {
            telemetry_core::__bench::hash_into(&h, black_box("acme-website"), &mut out);
            telemetry_core::__bench::hash_into(&h, black_box("main"), &mut out);
            out
        });
    }

    /// `SystemTime::now()` (the event's timestamp).
    #[divan::bench(sample_count = 500, sample_size = 100)]
    fn system_time_now() -> std::time::SystemTime {
        std::time::SystemTime::now()
    }
}

/// Metrics (issue 23): recording into `generate_metrics!`'s handles (one
/// relaxed atomic operation on this process's cells) beside the
/// OpenTelemetry metrics SDK's instruments (`opentelemetry_sdk` 0.33, a
/// `ManualReader` that is never read: recording only), in the same run.
mod metrics {
    use super::*;
    use opentelemetry::KeyValue;
    use opentelemetry::metrics::MeterProvider;
    use opentelemetry_sdk::metrics::{ManualReader, SdkMeterProvider};
    use std::sync::OnceLock;
    use telemetry_core::{EnvSource, MemorySink, Telemetry};

    telemetry_core::generate_metrics!("../../schemas/example-cli.yaml");

    /// Telemetry on (memory sink, its own state dir): the handles hold cells.
    fn on() -> &'static (Telemetry, Metrics) {
        static ON: OnceLock<(Telemetry, Metrics)> = OnceLock::new();
        ON.get_or_init(|| {
            let t = Telemetry::builder(&APP)
                .app_version("1.0.0")
                .state_dir(state_dir("metrics"))
                .notice(false)
                .with_test_knobs()
                .env(EnvSource::from_pairs::<&str, &str>([]))
                .memory(MemorySink::new())
                .build()
                .unwrap();
            let m: Metrics = t.metrics();
            (t, m)
        })
    }

    fn otel() -> &'static SdkMeterProvider {
        static P: OnceLock<SdkMeterProvider> = OnceLock::new();
        P.get_or_init(|| SdkMeterProvider::builder().with_reader(ManualReader::builder().build()).build())
    }

    /// `labeled_counter.add(label, 1)`: `commands.add(CommandsLabel::Build, 1)`.
    #[divan::bench(sample_count = 1000, sample_size = 1000)]
    fn counter_add(b: Bencher) {
        let m = &on().1;
        b.bench_local(|| m.commands.add(black_box(CommandsLabel::Build), black_box(1)));
    }

    /// `distribution.record_ms(2100)`: the bucket found among 5 bounds, its count and the sum added.
    #[divan::bench(sample_count = 1000, sample_size = 1000)]
    fn distribution_record_ms(b: Bencher) {
        let m = &on().1;
        b.bench_local(|| m.build_duration.record_ms(black_box(2100)));
    }

    /// Off: the handles hold no cells.
    #[divan::bench(sample_count = 1000, sample_size = 1000)]
    fn counter_add_off(b: Bencher) {
        let m: Metrics = disabled().metrics();
        b.bench_local(|| m.commands.add(black_box(CommandsLabel::Build), black_box(1)));
    }

    /// Baseline: OpenTelemetry's `Counter<u64>::add(1, &[KeyValue::new("command", "build")])`.
    #[divan::bench(sample_count = 1000, sample_size = 1000)]
    fn otel_counter_add_one_attribute(b: Bencher) {
        let c = otel().meter("bench").u64_counter("commands").build();
        let attrs = [KeyValue::new("command", "build")];
        b.bench_local(|| c.add(black_box(1), black_box(&attrs)));
    }

    /// Baseline: OpenTelemetry's `Histogram<u64>::record(2100, &[])` with the same 5 bounds.
    #[divan::bench(sample_count = 1000, sample_size = 1000)]
    fn otel_histogram_record(b: Bencher) {
        let bounds = vec![100.0, 500.0, 1000.0, 5000.0, 30000.0];
        let h = otel().meter("bench").u64_histogram("build_duration").with_boundaries(bounds).build();
        b.bench_local(|| h.record(black_box(2100), &[]));
    }
}
