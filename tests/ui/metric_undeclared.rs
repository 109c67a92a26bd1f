// A metric the schema does not declare is not a field of `Metrics`.
telemetry_core::generate_metrics!("../../schemas/example-cli.yaml");

fn count(metrics: &Metrics) {
    metrics.deploys.add(1);
}

fn main() {}
