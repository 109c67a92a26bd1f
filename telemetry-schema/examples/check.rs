//! Validates schema files and prints their diagnostics: `cargo run -p telemetry-schema --example check -- FILE...`
fn main() {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        match telemetry_schema::load_path(path.as_ref()) {
            Ok(s) => println!("{path}: ok ({} events)", s.events.len()),
            Err(e) => {
                failed = true;
                eprintln!("{e}");
            }
        }
    }
    std::process::exit(i32::from(failed));
}
