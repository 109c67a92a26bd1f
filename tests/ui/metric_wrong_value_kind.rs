// A distribution in milliseconds takes whole milliseconds, not a float.
telemetry_core::generate_metrics!("../../schemas/example-cli.yaml");

fn record(metrics: &Metrics) {
    metrics.build_duration.record_ms(2.1);
}

fn main() {}
