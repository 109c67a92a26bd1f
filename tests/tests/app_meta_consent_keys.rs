//! `app_meta!` carries the schema's `consent.first_run` and
//! `consent.opt_out_command` into the binary (issue 15 item 10, issue 11 item 6),
//! and `app.term` (issue 21 item 8).

use telemetry_core::meta::{AppMeta, FirstRun};

#[test]
fn app_meta_bakes_first_run_and_the_opt_out_command() {
    const APP: AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    assert_eq!((APP.first_run(), APP.opt_out_command()), (FirstRun::Send, Some("example-cli telemetry disable")));
    const SMALL: AppMeta = telemetry_core::app_meta!("../../telemetry-schema/tests/golden/small.yaml");
    assert_eq!((SMALL.first_run(), SMALL.opt_out_command()), (FirstRun::NoticeFirst, Some("small telemetry disable")));
    const PYAIRBYTE: AppMeta = telemetry_core::app_meta!("../../schemas/pyairbyte.yaml");
    assert_eq!((PYAIRBYTE.first_run(), PYAIRBYTE.opt_out_command()), (FirstRun::Send, None));
    assert_eq!((SMALL.term(), APP.term()), ("analytics", "telemetry"), "the schema's term, else `telemetry`");
}
