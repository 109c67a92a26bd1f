//! Editing a schema must recompile the crates that derive from it: the
//! expansion `include_bytes!`s the schema, so cargo tracks the file.

mod probe;

use probe::{Probe, workspace};

fn build(p: &Probe) -> String {
    let out = p.build(&["-v"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "build failed:\n{stderr}");
    stderr
}

#[test]
fn editing_the_schema_recompiles_the_deriving_crate() {
    let p = Probe::new("rebuild-probe");
    let schema = std::fs::read_to_string(workspace().join("schemas/example-cli.yaml")).unwrap();
    std::fs::write(p.dir.join("schema.yaml"), &schema).unwrap();
    p.write_lib(
        "#[derive(telemetry_core::TelemetryEvent)]\n#[telemetry(schema = \"../schema.yaml\")]\npub struct TelemetryChanged { pub source: Source }\n\
         #[derive(telemetry_core::TelemetryEnum)]\npub enum Source { Command, Env }\n",
    );

    build(&p);
    let unchanged = build(&p);
    assert!(unchanged.contains("Fresh rebuild-probe"), "no change, no rebuild:\n{unchanged}");

    // Only the schema changes: a description, nothing in the Rust source.
    let edited = schema.replace("How telemetry was switched on.", "How telemetry was turned on.");
    assert_ne!(edited, schema);
    std::thread::sleep(std::time::Duration::from_millis(1100)); // mtime granularity
    std::fs::write(p.dir.join("schema.yaml"), edited).unwrap();
    let rebuilt = build(&p);
    assert!(rebuilt.contains("Compiling rebuild-probe"), "schema edit must rebuild:\n{rebuilt}");
}
