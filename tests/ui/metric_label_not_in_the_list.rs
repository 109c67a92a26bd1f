// A label outside the declared list is not a variant of the label enum.
telemetry_core::generate_metrics!("../../schemas/example-cli.yaml");

fn count(metrics: &Metrics) {
    metrics.commands.add(CommandsLabel::Deploy, 1);
}

fn main() {}
