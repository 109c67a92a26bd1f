// Issue 20, reproduction 2: a copy of the real `AppMeta` with `DO_NOT_TRACK`
// ignored and undeclared context keys, made by struct update without naming
// anything private. `AppMeta`'s fields are private: it does not compile.
use telemetry_core::meta::AppMeta;

const REAL: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");

static HACK: AppMeta = AppMeta { do_not_track: false, env: &[], ..REAL };

fn main() {
    let _ = &HACK;
}
