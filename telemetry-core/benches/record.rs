//! Benchmarks of `Telemetry::record` (filled in below).
fn main() {}
