//! The .NET CLI port's `hash: product` fields (issue 21, item 5): the
//! command and the target framework hash alike on two installs (two state
//! dirs), as HMAC-SHA256 under the key the program was built with, so they
//! count across installs as on the .NET page; the install-scope hashes (the
//! working directory, the `--configuration` option) differ between them.

mod seeds;

use example_products::dotnet_cli::{PRODUCT, PRODUCT_KEY};
use seeds::memory_envelopes;
use telemetry_core::Hasher;
use telemetry_testkit::temp_dir;

/// The value of `property` in every envelope of `event` that carries it, in order.
fn values(envelopes: &[serde_json::Value], event: &str, property: &str) -> Vec<String> {
    envelopes
        .iter()
        .filter(|e| e["event"] == event)
        .filter_map(|e| e["properties"][property].as_str().map(str::to_string))
        .collect()
}

#[test]
fn two_installs_hash_the_command_and_framework_alike() {
    let (a, b) = (temp_dir("dotnet-scope-a"), temp_dir("dotnet-scope-b"));
    let (_, first) = memory_envelopes(&PRODUCT, &a);
    let (_, second) = memory_envelopes(&PRODUCT, &b);
    let product = Hasher::new(PRODUCT_KEY.as_bytes());
    let hashed = |values: &[&str]| values.iter().map(|v| product.hash_hex(v)).collect::<Vec<_>>();

    // The session's commands, in order: `dotnet Orders.dll` records nothing.
    let commands = hashed(&["new", "add", "build", "run", "workload"]);
    assert_eq!(values(&first, "command_invoked", "command"), commands);
    assert_eq!(values(&second, "command_invoked", "command"), commands);
    assert_eq!(values(&first, "target_framework", "framework"), hashed(&["net8.0"]));
    assert_eq!(values(&second, "target_framework", "framework"), hashed(&["net8.0"]));

    // Install scope: each install's own key.
    let configuration = |e: &[serde_json::Value]| values(e, "command_invoked", "configuration");
    assert_eq!(configuration(&first).len(), 1);
    assert_ne!(configuration(&first), configuration(&second));
    assert_ne!(first[0]["context"]["working_directory"], second[0]["context"]["working_directory"]);
    assert!(first[0]["context"]["working_directory"].is_string());
    std::fs::remove_dir_all(&a).unwrap();
    std::fs::remove_dir_all(&b).unwrap();
}
