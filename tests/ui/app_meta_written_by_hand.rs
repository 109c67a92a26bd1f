// An `AppMeta` written out by hand, copying the real fingerprint so that
// derived events pass the check: only `app_meta!` makes one.
use telemetry_core::meta::{AppMeta, FirstRun};

const REAL: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");

static HACK: AppMeta = AppMeta {
    name: "example-cli",
    title: "Example CLI",
    term: "telemetry",
    docs_url: None,
    anonymous_id_env: None,
    identity: telemetry_core::meta::Identity::Install,
    enabled_by_default: true,
    do_not_track: false,
    env: &[],
    first_run: FirstRun::Send,
    opt_out_command: None,
    context: &[],
    events: &["command_run"],
    product_hashed: &[],
    fingerprint: REAL.fingerprint(),
    schema_version: None,
};

fn main() {
    let _ = &HACK;
}
