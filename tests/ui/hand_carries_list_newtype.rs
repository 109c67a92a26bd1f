// A newtype that claims to be a list of strings, to send environment
// variables as the declared `flags` field: sealed like every `Carries*` trait.
use telemetry_core::value::CarriesList;

struct Env(Vec<(String, String)>);

impl CarriesList for Env {
    type Item = (String, String);
    fn telemetry_items(&self) -> &[(String, String)] {
        &self.0
    }
}

fn main() {}
