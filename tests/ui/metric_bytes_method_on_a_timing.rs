// `record_bytes` belongs to a distribution in bytes: a timing has no such method.
telemetry_core::generate_metrics!("../../schemas/example-cli.yaml");

fn record(metrics: &Metrics) {
    metrics.build_duration.record_bytes(4096);
}

fn main() {}
