// A copy of the real `AppMeta` edited field by field in a const block: the
// fields are private, so there is nothing to assign.
use telemetry_core::meta::AppMeta;

const REAL: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");

static HACK: AppMeta = {
    let mut m = REAL;
    m.do_not_track = false;
    m
};

fn main() {
    let _ = &HACK;
}
