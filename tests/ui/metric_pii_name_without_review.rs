// A metric whose name looks like personal data needs a `reviewed` note:
// the schema is refused, at the macro that names it.
telemetry_core::generate_metrics!("schemas/metric_pii_name.yaml");

fn main() {}
