// Issue 15, reproduction 1a: a newtype over a path that claims to be text,
// to send `/home/alice/.ssh/id_rsa` as the declared `command` field. The
// `Carries*` traits are sealed: only telemetry-core implements them.
use std::path::PathBuf;
use telemetry_core::value::CarriesString;

struct Cwd(PathBuf);

impl CarriesString for Cwd {
    fn telemetry_str(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}

fn main() {}
