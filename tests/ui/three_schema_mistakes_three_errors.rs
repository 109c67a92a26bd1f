// A schema with three mistakes, named by `app_meta!` and two derives, gives
// exactly three errors: each is reported once per crate (by the first macro
// to meet it), and the placeholders the macros expand to keep rustc from
// adding errors of its own where the app meta and the events are used.
use telemetry_core::{Hasher, TelemetryEvent, __bench::properties_json, app_meta};

static APP: telemetry_core::meta::AppMeta = app_meta!("schemas/three_mistakes.yaml");

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/three_mistakes.yaml")]
struct Build<'a> {
    target: &'a str,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/three_mistakes.yaml")]
struct Deploy {
    region: String,
}

fn main() {
    let hasher = Hasher::new(b"key");
    let _ = (APP.name(), Build::META.name(), Deploy::META.fields());
    let _ = properties_json(&Build { target: "x86_64" }, &hasher);
    let _ = properties_json(&Deploy { region: "eu".into() }, &hasher);
}
