//! Example CLI (work in progress).
fn main() {}
