//! `hash: product` at run time (issue 21, item 5): a field of product scope
//! is sent as HMAC-SHA256 under the product's key, the same on every
//! install; a field of install scope under the install's own key. The
//! expected hashes are computed here with the `hmac` crate, not with the
//! runtime's `Hasher`. `build()` refuses a schema with product-scope fields
//! and no key (or a short one); the key never appears in what the runtime
//! prints, stores or sends.

use std::path::Path;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use telemetry_core::meta::{AppMeta, Collect, HashScope};
use telemetry_core::{
    BuildError, EnvSource, MemorySink, Mode, PropertyWriter, Reason, TEST_PRODUCT_KEY, Telemetry, TelemetryEvent,
    TestBuilder,
};
use telemetry_testkit::temp_dir;

mod common;

static APP: AppMeta = telemetry_core::app_meta!("schemas/product_scope.yaml");

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/product_scope.yaml")]
struct Build<'a> {
    command: &'a str,
    project: &'a str,
    frameworks: Vec<&'a str>,
    target: Target<'a>,
}

#[derive(TelemetryEvent)]
#[telemetry(schema = "schemas/product_scope.yaml", event = "build", object = "target")]
struct Target<'a> {
    runtime: &'a str,
    path: &'a str,
}

fn build_event() -> Build<'static> {
    Build {
        command: "build",
        project: "acme-website",
        frameworks: vec!["net8.0", "net9.0"],
        target: Target { runtime: "linux-x64", path: "bin/Release" },
    }
}

/// The product's key in these tests: the secret a CI job would give.
const PRODUCT_KEY: &[u8] = b"the product's secret, 32 bytes!!";

/// HMAC-SHA256 of `value` under `key`, as 64 lowercase hex digits: what a
/// hashed field is sent as.
fn hmac_hex(key: &[u8], value: &str) -> String {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(value.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The properties `build_event()` is sent as, under these two keys.
fn expected_properties(product: &[u8], install: &[u8]) -> String {
    let (p, i) = (|v| hmac_hex(product, v), |v| hmac_hex(install, v));
    format!(
        r#"{{"command":"{}","project":"{}","frameworks":["{}","{}"],"target":{{"runtime":"{}","path":"{}"}}}}"#,
        p("build"),
        i("acme-website"),
        p("net8.0"),
        p("net9.0"),
        p("linux-x64"),
        i("bin/Release"),
    )
}

/// A user whose locale (a product-scope context key) is `de_DE`.
fn env() -> EnvSource {
    EnvSource::from_pairs([("LANG", "de_DE.UTF-8")])
}

/// A product build on its own state dir, delivering to `sink`.
fn install(dir: &Path, sink: &MemorySink) -> TestBuilder {
    Telemetry::builder(&APP)
        .app_version("1.0.0")
        .state_dir(dir)
        .notice(false)
        .product_key(PRODUCT_KEY)
        .with_test_knobs()
        .env(env())
        .memory(sink.clone())
}

/// One envelope recorded by `builder`: its bytes, and parsed.
fn one_envelope(builder: &TestBuilder, sink: &MemorySink) -> (String, serde_json::Value) {
    let t = builder.build().unwrap();
    assert_eq!(t.status().mode, Mode::On);
    t.record(&build_event());
    assert!(t.flush(Duration::from_secs(10)));
    drop(t);
    let mut sent = sink.take();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let raw = sent.remove(0);
    let parsed = serde_json::from_str(&raw).unwrap();
    (raw, parsed)
}

/// Whether the envelope `raw` sends exactly `properties`.
fn sends(raw: &str, properties: &str) -> bool {
    raw.starts_with(&format!(r#"{{"event":"build","properties":{properties},"#))
}

fn key_of(dir: &Path) -> Vec<u8> {
    let hex = common::state_of(dir)["key"].as_str().unwrap().to_string();
    (0..32).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect()
}

/// Two installs (two state dirs) of one product, one product key: the
/// product-scope fields (a string, a list's items, a nested object's field,
/// a context key) hash alike on both, exactly HMAC-SHA256 under the product
/// key; the install-scope fields hash under each install's own key, so they
/// differ between the two.
#[test]
fn two_installs_hash_product_fields_alike_and_install_fields_apart() {
    let sink = MemorySink::new();
    let (a, b) = (temp_dir("scope-a"), temp_dir("scope-b"));
    let (raw_a, first) = one_envelope(&install(&a, &sink), &sink);
    let (raw_b, second) = one_envelope(&install(&b, &sink), &sink);
    let (key_a, key_b) = (key_of(&a), key_of(&b));
    assert_ne!(key_a, key_b);

    for ((raw, sent), key) in [((&raw_a, &first), &key_a), ((&raw_b, &second), &key_b)] {
        assert!(sends(raw, &expected_properties(PRODUCT_KEY, key)), "{raw}");
        assert_eq!(sent["context"]["locale"], serde_json::json!(hmac_hex(PRODUCT_KEY, "de_DE")), "{sent}");
    }
    assert_eq!(first["properties"]["command"], second["properties"]["command"]);
    assert_eq!(first["properties"]["frameworks"], second["properties"]["frameworks"]);
    assert_eq!(first["properties"]["target"]["runtime"], second["properties"]["target"]["runtime"]);
    assert_eq!(first["context"]["locale"], second["context"]["locale"]);
    assert_ne!(first["properties"]["project"], second["properties"]["project"]);
    assert_ne!(first["properties"]["target"]["path"], second["properties"]["target"]["path"]);
    std::fs::remove_dir_all(&a).unwrap();
    std::fs::remove_dir_all(&b).unwrap();
}

/// The copy attack: a struct derived against a copy of the schema whose
/// install-scope `project` is made `hash: product` (same app name) compiles,
/// and its events are refused: the scope is part of the fingerprint, so
/// the copy is another schema. Nothing is sent under the product's key.
#[test]
fn a_copy_that_moves_a_field_to_product_scope_sends_nothing() {
    mod copy {
        #[derive(telemetry_core::TelemetryEvent)]
        #[telemetry(schema = "schemas/product_scope_copy.yaml")]
        pub struct Build<'a> {
            pub command: &'a str,
            pub project: &'a str,
            pub frameworks: Vec<&'a str>,
            pub target: Target<'a>,
        }
        #[derive(telemetry_core::TelemetryEvent)]
        #[telemetry(schema = "schemas/product_scope_copy.yaml", event = "build", object = "target")]
        pub struct Target<'a> {
            pub runtime: &'a str,
            pub path: &'a str,
        }
    }
    assert_eq!(copy::Build::META.fields()[1].collect(), Collect::Hashed(HashScope::Product));
    let sink = MemorySink::new();
    let t = Telemetry::builder(&APP).product_key(PRODUCT_KEY).for_tests(sink.clone()).build().unwrap();
    let target = copy::Target { runtime: "linux-x64", path: "bin" };
    t.record(&copy::Build { command: "build", project: "acme-website", frameworks: vec![], target });
    assert!(t.flush(Duration::from_secs(10)));
    assert_eq!(sink.take(), Vec::<String>::new());
    let stats = t.shutdown();
    assert_eq!((stats.recorded, stats.refused, stats.sent), (1, 1, 0));
}

/// Each field's meta carries its scope, as the schema says.
#[test]
fn the_scope_reaches_the_meta() {
    let scopes: Vec<(&str, Collect)> = Build::META.fields().iter().map(|f| (f.name(), f.collect())).collect();
    assert_eq!(
        scopes,
        [
            ("command", Collect::Hashed(HashScope::Product)),
            ("project", Collect::Hashed(HashScope::Install)),
            ("frameworks", Collect::Hashed(HashScope::Product)),
            ("target", Collect::Allowed),
        ]
    );
    assert_eq!(APP.context()[0].collect(), Collect::Hashed(HashScope::Product));
    assert_eq!(APP.product_hashed(), ["context.locale", "build.command", "build.frameworks", "build.target.runtime"]);
}

const MISSING: &str = "the scoped schema hashes `context.locale`, `build.command`, `build.frameworks`, `build.target.runtime` with `hash: product`, under the product's key, and no product key was given: call .product_key(..) with the product's secret of at least 16 bytes, given at build time from a CI secret (e.g. .product_key(option_env!(\"MYAPP_TELEMETRY_KEY\").unwrap_or_default())) and never committed; or declare them `hash: install`";

/// Without the product's key (none, or empty: what `option_env!` gives a
/// build without the secret) `build()` refuses, naming every product-scope
/// field, whether or not telemetry is on; a key under 16 bytes too.
/// `build_or_off()` runs on, off, saying why.
#[test]
fn build_without_the_product_key_is_refused_naming_the_fields() {
    let fields = vec!["context.locale", "build.command", "build.frameworks", "build.target.runtime"];
    let refused = |b: telemetry_core::Builder, env: EnvSource| b.with_test_knobs().env(env).build().unwrap_err();
    let none = refused(Telemetry::builder(&APP), env());
    assert_eq!(none, BuildError::MissingProductKey { app: "scoped", fields: fields.clone() });
    assert_eq!(none.to_string(), MISSING);
    assert_eq!(refused(Telemetry::builder(&APP).product_key(""), env()), none);
    // Off on this machine: refused all the same, so the mistake shows wherever it is built.
    assert_eq!(refused(Telemetry::builder(&APP), EnvSource::from_pairs([("DO_NOT_TRACK", "1")])), none);
    let short = refused(Telemetry::builder(&APP).product_key("fifteen bytes!!"), env());
    assert_eq!(short, BuildError::ShortProductKey { app: "scoped", fields, len: 15 });
    assert_eq!(
        short.to_string(),
        "the product key given to .product_key(..) is 15 bytes, and the scoped schema hashes `context.locale`, `build.command`, `build.frameworks`, `build.target.runtime` under it: a key shorter than 16 bytes can be guessed, and with it every value; make the secret longer (e.g. 32 random bytes: `openssl rand -hex 32`)"
    );
    assert!(!short.to_string().contains("fifteen"));
    let off = Telemetry::builder(&APP).with_test_knobs().env(env()).output(std::io::sink()).build_or_off();
    assert_eq!(off.status().mode, Mode::Off);
    assert_eq!(off.status().reason, Reason::SetupFailed(none));
}

/// A test handle hashes product-scope fields under `TEST_PRODUCT_KEY`,
/// whether or not (and whatever) product key the build was given: the same
/// test sends the same bytes on a machine with the product's secret and on
/// one without.
#[test]
fn for_tests_hashes_under_the_test_product_key() {
    for builder in [Telemetry::builder(&APP), Telemetry::builder(&APP).product_key(PRODUCT_KEY)] {
        let sink = MemorySink::new();
        let t = builder.for_tests(sink.clone()).build().unwrap();
        t.record(&build_event());
        assert!(t.flush(Duration::from_secs(10)));
        let raw = sink.take().remove(0);
        assert!(sends(&raw, &expected_properties(TEST_PRODUCT_KEY, &[0; 32])), "{raw}");
        let sent: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(sent["context"]["locale"], serde_json::json!(hmac_hex(TEST_PRODUCT_KEY, "en_US")));
    }
}

/// A hand-written impl (outside the guarantee) of an app whose schema
/// hashes nothing under the product's key, writing a value of product
/// scope: the handle holds no product key, even when given one, so the
/// event is refused rather than hashed under any key.
#[test]
fn a_product_scope_value_of_an_app_without_product_fields_sends_nothing() {
    struct Forged;
    impl TelemetryEvent for Forged {
        const META: &'static telemetry_core::meta::EventMeta = &common::COMMAND_RUN;
        const DERIVED: telemetry_core::__private::Derived = telemetry_core::__private::DERIVED;
        fn write_properties(&self, w: &mut PropertyWriter<'_>) {
            w.hashed("project", "acme-website", HashScope::Product);
        }
    }
    let sink = MemorySink::new();
    let t = Telemetry::builder(&common::APP).product_key(PRODUCT_KEY).for_tests(sink.clone()).build().unwrap();
    t.record(&Forged);
    t.record(&common::run(1));
    assert!(t.flush(Duration::from_secs(10)));
    let sent = sink.take();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].starts_with(r#"{"event":"command_run","properties":{"command":"#), "{}", sent[0]);
    let stats = t.shutdown();
    assert_eq!((stats.recorded, stats.refused, stats.sent), (2, 1, 1));
}

/// The product's key is never shown nor kept: not in the builder's or the
/// handle's `Debug`, the status, what debug mode prints, a request body,
/// nor any file of the state dir (state, spool). Checked as text and as hex.
#[cfg(feature = "http")]
#[test]
fn the_product_key_is_never_printed_stored_or_sent() {
    use telemetry_testkit::{Buf, Collector, Reply};
    const KEY: &str = "KEY-NEVER-SHOWN-0123456789abcdef";
    let hex: String = KEY.bytes().map(|b| format!("{b:02x}")).collect();
    let leaks = |text: &str| text.contains(KEY) || text.contains(&hex) || text.contains("KEY-NEVER");
    let dir = temp_dir("scope-key");
    let builder = |env: EnvSource, endpoint: &str| {
        Telemetry::builder(&APP)
            .app_version("1.0.0")
            .state_dir(&dir)
            .product_key(KEY)
            .endpoint(endpoint, telemetry_core::WireFormat::Native)
            .retry(telemetry_core::Retry::default().with_backoff(Duration::from_secs(30), Duration::from_secs(30)))
            .shutdown_deadline(Duration::from_millis(100))
            .with_test_knobs()
            .env(env)
    };
    // Debug mode prints the events, the notice and the status.
    let out = Buf::default();
    let debug = builder(EnvSource::from_pairs([("LANG", "de_DE"), ("SCOPED_TELEMETRY_DEBUG", "1")]), "https://x.test");
    assert!(!leaks(&format!("{:?} {:#?}", *debug, *debug)));
    let t = debug.output(out.clone()).build().unwrap();
    t.record(&build_event());
    assert!(t.flush(Duration::from_secs(10)));
    assert!(!leaks(&format!("{t:?} {} {:?}", t.status(), t.status())));
    drop(t);
    assert!(out.text().contains(&hmac_hex(KEY.as_bytes(), "build")), "{}", out.text());
    // A collector that is down: the events are spooled at exit.
    let down = Collector::start(Vec::new(), Reply::Status(503, vec![]));
    let t = builder(env(), &down.url()).output(out.clone()).build().unwrap();
    t.record(&build_event());
    assert_eq!(t.shutdown().spooled, 1);
    let bodies: Vec<String> = down.requests().iter().map(|r| r.text()).collect();
    assert!(!bodies.is_empty() && !bodies.iter().any(|b| leaks(b)));
    assert!(!leaks(&out.text()));
    let mut files = vec![dir.clone()];
    let mut read = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            assert!(!leaks(&String::from_utf8_lossy(&bytes)), "{}", path.display());
            read += 1;
        }
    }
    assert!(read >= 2, "state.json and a spool file");
    std::fs::remove_dir_all(&dir).unwrap();
}
