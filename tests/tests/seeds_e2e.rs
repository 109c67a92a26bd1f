//! Every seed product and port, end to end: its program (`example-products`) runs
//! through the real runtime into each kind of sink, and every envelope that
//! comes out is validated against the product's committed payload JSON
//! Schema (`docs/<app>.events.schema.json`); the bodies of the other wire
//! formats are mapped back to envelopes and checked against the same pages.
//! Then each product's own
//! switches are shown to do what its page says: off means no socket and no
//! file; log-only means printed, not sent, not stored.
//!
//! The list of products is `schemas/` itself: a schema without a program
//! fails `every_schema_has_a_program`.

mod seeds;

use std::path::Path;
use std::time::{Duration, Instant};

use example_products::{Options, PRODUCTS, Product, Sink};
use seeds::{PageSchema, memory_envelopes, no_env, problems, run, state_of, workspace};
use telemetry_core::{Batching, EnvSource, Mode, WireFormat};
use telemetry_testkit::{Buf, Collector, temp_dir};

/// Schemas whose program lives elsewhere, with the test that validates it.
const COVERED_ELSEWHERE: &[(&str, &str)] =
    &[("example-cli", "example-cli/tests/cli.rs::events_validate_against_the_published_payload_schema")];

/// Fails with every problem of every product at once.
fn assert_none(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problems against docs/<app>.events.schema.json:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn parse_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
}

/// Runs `deliver` for every product in a fresh state dir, then checks what
/// it returns (events recorded, envelopes delivered) against each page.
fn check_every_product(via: &str, mut deliver: impl FnMut(&Product, &Path) -> (usize, Vec<serde_json::Value>)) {
    let mut all = Vec::new();
    for product in PRODUCTS {
        let dir = temp_dir(product.app.name());
        let (recorded, envelopes) = deliver(product, &dir);
        all.extend(problems(product, &envelopes, recorded, via));
        let _ = std::fs::remove_dir_all(dir);
    }
    assert_none(all);
}

#[test]
fn every_schema_has_a_program() {
    let mut names: Vec<String> = std::fs::read_dir(workspace().join("schemas"))
        .expect("schemas/ is readable")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".yaml").map(String::from))
        .collect();
    names.sort();
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| example_products::product(n).is_none() && !COVERED_ELSEWHERE.iter().any(|(s, _)| s == n))
        .collect();
    assert!(missing.is_empty(), "schemas without a program in example-products: {missing:?}");
    for p in PRODUCTS {
        assert!(names.iter().any(|n| n == p.app.name()), "{} has a program but no schemas/{0}.yaml", p.app.name());
    }
    for (_, test) in COVERED_ELSEWHERE {
        let file = workspace().join(test.split("::").next().unwrap_or_default());
        let fn_name = test.rsplit("::").next().unwrap_or_default();
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(text.contains(&format!("fn {fn_name}()")), "{test} does not exist");
    }
}

#[test]
fn memory_sink_envelopes_match_each_page() {
    check_every_product("memory", memory_envelopes);
}

#[test]
fn json_lines_file_envelopes_match_each_page() {
    check_every_product("events.jsonl", |product, dir| {
        let (recorded, _, telemetry) = run(product, &Options { sink: Sink::File, state_dir: None }, no_env(), dir);
        let stats = telemetry.shutdown();
        assert_eq!((stats.sent, stats.dropped, stats.spooled), (recorded as u64, 0, 0), "{}", product.app.name());
        (recorded, parse_lines(&std::fs::read_to_string(dir.join("events.jsonl")).expect("events.jsonl written")))
    });
}

#[test]
fn native_http_envelopes_match_each_page() {
    check_every_product("native HTTP", |product, dir| {
        let collector = Collector::ok();
        let sink = Sink::Endpoint { url: collector.url(), format: WireFormat::Native, api_key: None };
        let (recorded, _, telemetry) = run(product, &Options { sink, state_dir: None }, no_env(), dir);
        let stats = telemetry.shutdown();
        assert_eq!(stats.sent, recorded as u64, "{}: {stats:?}", product.app.name());
        let batches = collector.requests().iter().map(|r| r.json()["batch"].as_array().cloned()).collect::<Vec<_>>();
        (recorded, batches.into_iter().flat_map(|b| b.expect("native body is {\"batch\":[..]}")).collect())
    });
}

/// The other wire formats: each request body the collector receives is
/// mapped back to envelopes (`cargo_telemetry::wire`, as `cargo telemetry
/// validate --format` does) and validated against the page of the app and
/// schema version it names; all of every product's events arrive, each
/// declared event at least once.
#[test]
fn every_wire_format_matches_each_page() {
    use cargo_telemetry::wire::{Format, Pages, envelopes};
    let pages = Pages::load(&workspace().join("schemas")).unwrap_or_else(|e| panic!("{e}"));
    let formats = [
        (WireFormat::PostHog, Format::PostHog),
        (WireFormat::Segment, Format::Segment),
        (WireFormat::Otlp, Format::OtlpJson),
        (WireFormat::OtlpProtobuf, Format::OtlpProtobuf),
    ];
    let mut problems = Vec::new();
    for (format, as_read) in formats {
        for product in PRODUCTS {
            let (app, via) = (product.app.name(), format.name());
            let dir = temp_dir(app);
            let collector = Collector::ok();
            let sink = Sink::Endpoint { url: collector.url(), format, api_key: Some("phc_test_key".into()) };
            let (recorded, _, telemetry) = run(product, &Options { sink, state_dir: None }, no_env(), &dir);
            let stats = telemetry.shutdown();
            let _ = std::fs::remove_dir_all(&dir);
            let (mut events, mut names) = (0, Vec::new());
            for request in collector.requests() {
                let report = pages.check(as_read, &request.body);
                problems.extend(report.problems.iter().map(|p| format!("{app} via {via}: {p}")));
                events += report.events;
                let sent = envelopes(as_read, &request.body).unwrap_or_default();
                names.extend(sent.iter().filter_map(|e| e["event"].as_str().map(String::from)));
            }
            if (stats.sent, events) != (recorded as u64, recorded) {
                problems.push(format!("{app} via {via}: {recorded} recorded, {} sent, {events} checked", stats.sent));
            }
            for event in product.app.events().iter().filter(|e| !names.iter().any(|n| n == *e)) {
                problems.push(format!("{app} via {via}: `{event}` never arrived"));
            }
        }
    }
    assert_none(problems);
}

/// What a switch does, as the product's page says.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Nothing sent, nothing stored, nothing printed.
    Off,
    /// One line printed per event; nothing sent or stored.
    LogOnly,
    /// Sent, as with no variable set.
    On,
}

/// Each product's switches, with the values its own page gives.
const SWITCHES: &[(&str, &str, &str, Expect)] = &[
    ("airbyte", "TRACKING_STRATEGY", "logging", Expect::LogOnly),
    ("airbyte", "DO_NOT_TRACK", "1", Expect::Off),
    ("automatisch", "TELEMETRY_ENABLED", "false", Expect::Off),
    ("automatisch", "DO_NOT_TRACK", "1", Expect::Off),
    ("pyairbyte", "DO_NOT_TRACK", "yes please", Expect::Off),
    ("pyairbyte", "AIRBYTE_OFFLINE_MODE", "true", Expect::Off),
    ("argilla", "ARGILLA_ENABLE_TELEMETRY", "0", Expect::Off),
    ("argilla", "ARGILLA_ENABLE_TELEMETRY", "1", Expect::On),
    ("argilla", "DO_NOT_TRACK", "1", Expect::Off),
    ("evidently", "EVIDENTLY_DISABLE_TELEMETRY", "1", Expect::Off),
    ("evidently", "DO_NOT_TRACK", "1", Expect::Off),
    ("dotnet-cli", "DOTNET_CLI_TELEMETRY_OPTOUT", "1", Expect::Off),
    ("dotnet-cli", "DOTNET_CLI_TELEMETRY_OPTOUT", "true", Expect::Off),
    ("dotnet-cli", "DOTNET_CLI_TELEMETRY_OPTOUT", "0", Expect::On),
    ("dotnet-cli", "DO_NOT_TRACK", "1", Expect::Off),
    ("homebrew", "HOMEBREW_NO_ANALYTICS", "1", Expect::Off),
    ("homebrew", "HOMEBREW_ANALYTICS_DEBUG", "1", Expect::LogOnly),
    ("homebrew", "DO_NOT_TRACK", "1", Expect::Off),
];

#[test]
fn each_switch_does_what_its_page_says() {
    for &(app, var, value, expect) in SWITCHES {
        let product = example_products::product(app).expect("a product of SWITCHES");
        let page = std::fs::read_to_string(workspace().join("docs").join(format!("{app}.md"))).expect("page");
        assert!(page.contains(&format!("### `{var}`")), "docs/{app}.md has no section on {var}");
        let collector = Collector::ok();
        let sink = Sink::Endpoint { url: collector.url(), format: WireFormat::Native, api_key: None };
        let dir = temp_dir(app);
        let (recorded, out, telemetry) =
            run(product, &Options { sink, state_dir: None }, EnvSource::from_pairs([(var, value)]), &dir);
        let mode = telemetry.status().mode;
        let stats = telemetry.shutdown();
        let case = format!("{app} with {var}={value}");
        let nothing_left = || {
            assert_eq!(collector.connections(), 0, "{case}: the collector saw a connection");
            assert!(!dir.exists(), "{case}: {} was created", dir.display());
        };
        match expect {
            Expect::On => {
                assert_eq!((mode, stats.sent), (Mode::On, recorded as u64), "{case}");
                assert_eq!(collector.events_accepted(), recorded as u64, "{case}");
                let _ = std::fs::remove_dir_all(&dir);
            }
            Expect::Off => {
                nothing_left();
                assert_eq!(mode, Mode::Off, "{case}");
                assert_eq!((stats.recorded, stats.sent), (0, 0), "{case}");
                assert_eq!(out.text(), "", "{case}: printed something");
            }
            Expect::LogOnly => {
                nothing_left();
                assert_eq!(mode, Mode::LogOnly, "{case}");
                let prefix = format!("[{app} telemetry, not sent] ");
                let text = out.text();
                let lines = text.lines().filter(|l| l.starts_with(&prefix)).count();
                assert_eq!(lines, recorded, "{case}: one line per event:\n{text}");
            }
        }
    }
    let covered: Vec<&str> = SWITCHES.iter().map(|s| s.0).collect();
    for p in PRODUCTS {
        let switches = p.app.env().iter().map(|s| s.name());
        for name in switches.chain(p.app.do_not_track().then_some("DO_NOT_TRACK")) {
            assert!(
                SWITCHES.iter().any(|s| s.0 == p.app.name() && s.1 == name),
                "{}: switch {name} is not tested ({covered:?})",
                p.app.name()
            );
        }
    }
}

#[test]
fn pyairbyte_application_hash_is_the_install_keyed_hash() {
    let product = &example_products::pyairbyte::PRODUCT;
    let dir = temp_dir("pyairbyte-hash");
    let (_, _, telemetry) = run(product, &Options { sink: Sink::File, state_dir: None }, no_env(), &dir);
    telemetry.shutdown();
    let text = std::fs::read_to_string(dir.join("events.jsonl")).expect("events.jsonl written");
    let key = state_of(&dir)["key"].as_str().expect("state.json has the key").to_string();
    let key: Vec<u8> = (0..64).step_by(2).map(|i| u8::from_str_radix(&key[i..i + 2], 16).unwrap()).collect();
    let expected = telemetry_core::Hasher::new(&key).hash_hex(example_products::pyairbyte::SCRIPT);
    for e in parse_lines(&text) {
        assert_eq!(e["context"]["application_hash"], expected.as_str());
        assert_eq!(e["context"]["os"], example_products::host::system(), "the struct's `os` overrides the runtime's");
    }
    assert!(!text.contains(example_products::pyairbyte::SCRIPT), "the raw script name left the process");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn evidently_context_is_nested_as_its_page_shows() {
    let dir = temp_dir("evidently-context");
    let (_, envelopes) = memory_envelopes(&example_products::evidently::PRODUCT, &dir);
    let _ = std::fs::remove_dir_all(dir);
    let expected = serde_json::json!({
        "environment": {
            "os": example_products::host::platform(),
            "python": { "version": "3.8.2", "interpreter": "CPython", "conda": false, "venv": true }
        },
        "evidently": { "version": example_products::evidently::VERSION }
    });
    assert!(!envelopes.is_empty());
    for e in &envelopes {
        assert_eq!(e["context"], expected);
    }
}

#[test]
fn a_product_without_its_context_does_not_build() {
    use telemetry_core::{BuildError, Telemetry};
    let dir = temp_dir("no-context");
    // Refused whether or not telemetry is on: here DO_NOT_TRACK turns it off.
    let err = Telemetry::builder(&example_products::pyairbyte::APP)
        .state_dir(&dir)
        .with_test_knobs()
        .env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")]))
        .build()
        .expect_err("pyairbyte's context has keys only the application knows");
    assert_eq!(
        err,
        BuildError::MissingContext {
            app: "pyairbyte",
            keys: vec!["pyairbyte_version", "python_version", "application_hash", "notebook", "colab"]
        }
    );
    assert_eq!(
        err.to_string(),
        "the pyairbyte schema's context requires `pyairbyte_version`, `python_version`, `application_hash`, `notebook`, \
         `colab`, which the runtime cannot fill: derive `TelemetryContext` on a struct carrying them against the \
         pyairbyte schema and pass it to .context(..)"
    );
    let err = Telemetry::builder(&example_products::argilla::APP)
        .state_dir(&dir)
        .context(example_products::airbyte::context())
        .with_test_knobs()
        .env(no_env())
        .build()
        .expect_err("an Airbyte context on an Argilla handle");
    assert_eq!(
        err.to_string(),
        "the context struct given to .context(..) was checked against the airbyte schema, but this handle is for \
         argilla: derive it with #[telemetry(schema = ...)] naming the argilla schema"
    );
    assert!(!dir.exists(), "a refused build wrote {}", dir.display());
}

#[test]
fn automatisch_sends_diagnostics_while_serving_and_none_after_shutdown() {
    use example_products::automatisch::{self, ServiceType};
    let product = &automatisch::PRODUCT;
    let collector = Collector::ok();
    let dir = temp_dir("automatisch-serve");
    let options = Options {
        sink: Sink::Endpoint { url: collector.url(), format: WireFormat::Native, api_key: None },
        state_dir: None,
    };
    let telemetry = product
        .builder(&options)
        .settings(|b| {
            b.state_dir(&dir).notice(false).batching(Batching::default().with_max_latency(Duration::from_millis(10)))
        })
        .env(no_env())
        .build()
        .unwrap();
    let diagnostics = automatisch::serve(&telemetry, ServiceType::Worker, Duration::from_millis(30));
    let t0 = Instant::now();
    while collector.events_accepted() < 3 && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(collector.events_accepted() >= 3, "diagnostics are delivered while the service runs");
    let stats = telemetry.shutdown();
    assert!(!diagnostics.is_running());
    std::thread::sleep(Duration::from_millis(100));
    let envelopes: Vec<serde_json::Value> =
        collector.requests().iter().flat_map(|r| r.json()["batch"].as_array().cloned().unwrap_or_default()).collect();
    assert_eq!(envelopes.len() as u64, stats.recorded, "an event arrived after shutdown, or one was lost");
    let schema = PageSchema::of("automatisch");
    for e in &envelopes {
        assert_eq!(
            (e["event"].as_str(), e["properties"]["service_type"].as_str()),
            (Some("diagnostics"), Some("worker"))
        );
        assert_eq!(schema.violations(e), Vec::<String>::new());
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn first_run_notice_links_each_page_and_names_each_switch_once() {
    for product in PRODUCTS {
        let app = product.app;
        let dir = temp_dir("notice");
        let notice = |dir: &Path| {
            let out = Buf::default();
            let options = Options { sink: Sink::Memory(telemetry_core::MemorySink::new()), state_dir: None };
            let t = product
                .builder(&options)
                .settings(|b| b.state_dir(dir))
                .env(no_env())
                .output(out.clone())
                .build()
                .unwrap();
            drop(t);
            out.text()
        };
        let first = notice(&dir);
        let url = app.docs_url().expect("every seed page has its product's docs URL");
        assert!(first.contains(&format!("What is collected and what never is: {url}\n")), "{first}");
        // `  To opt out: set A=1 or B=1.`, or `  To opt out: run `cmd`, or set A=1 or B=1.`
        let opt_out = first.lines().find_map(|l| l.strip_prefix("  To opt out: ")).expect(&first);
        let opt_out = opt_out.split_once("set ").map_or(opt_out, |(_, vars)| vars);
        if let Some(cmd) = app.opt_out_command() {
            assert!(first.contains(&format!("  To opt out: run `{cmd}`, or set ")), "{first}");
        }
        let names: Vec<&str> =
            opt_out.trim_end_matches('.').split(" or ").filter_map(|v| v.split('=').next()).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(names.len(), unique.len(), "{}: a switch named twice: {opt_out}", app.name());
        for s in app.env() {
            assert!(names.contains(&s.name()), "{}: the notice does not name {}: {opt_out}", app.name(), s.name());
        }
        assert_eq!(notice(&dir), "", "{}: the notice is shown once per install", app.name());
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn pyairbyte_analytics_id_pins_the_anonymous_id() {
    let id = "2f0a8d8e-5f6b-4c1e-9d3a-7b8c9d0e1f2a";
    let product = &example_products::pyairbyte::PRODUCT;
    let dir = temp_dir("pyairbyte-id");
    let sink = telemetry_core::MemorySink::new();
    let options = Options { sink: Sink::Memory(sink.clone()), state_dir: None };
    let (recorded, _, telemetry) = run(product, &options, EnvSource::from_pairs([("AIRBYTE_ANALYTICS_ID", id)]), &dir);
    telemetry.shutdown();
    let envelopes = sink.take();
    assert_eq!(envelopes.len(), recorded);
    for e in envelopes {
        assert_eq!(serde_json::from_str::<serde_json::Value>(&e).unwrap()["anonymous_id"], id);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn homebrew_never_names_a_private_tap_or_a_custom_prefix() {
    use example_products::homebrew::{self, Package, Prefix, Tap};
    let dir = temp_dir("homebrew-values");
    let (_, envelopes) = memory_envelopes(&homebrew::PRODUCT, &dir);
    let _ = std::fs::remove_dir_all(dir);
    let text: Vec<String> = envelopes.iter().map(|e| e.to_string()).collect();
    assert_eq!(envelopes.len(), 8);
    assert!(!text.iter().any(|t| t.contains("internal-tool") || t.contains("acme")), "{text:#?}");
    // What the context sends for a custom prefix, and for no tap at all.
    let sink = telemetry_core::MemorySink::new();
    let telemetry = telemetry_core::Telemetry::builder(&homebrew::APP)
        .context(homebrew::Context { prefix: Prefix::of(Path::new("/home/mike/.brew")), ..homebrew::context() })
        .for_tests(sink.clone())
        .build()
        .unwrap();
    let private = Package { name: "secret", tap: Tap::Private("mike/private"), options: "--HEAD" };
    assert_eq!(homebrew::installed(&telemetry, &private, true), 0);
    assert_eq!(homebrew::cask_installed(&telemetry, &private), 0);
    assert_eq!(homebrew::build_failed(&telemetry, &private), 0);
    telemetry.record(&homebrew::CommandRun { action: "install --HEAD" });
    assert_eq!(telemetry.shutdown().recorded, 1);
    let sent = sink.take();
    assert_eq!(sent.len(), 1);
    let e: serde_json::Value = serde_json::from_str(&sent[0]).unwrap();
    assert_eq!(e["context"]["prefix"], "custom-prefix");
    assert!(!sent[0].contains("mike"), "{}", sent[0]);
}

/// Homebrew's page: "impossible to match any particular event to any
/// particular user" (`identity: none`): no id in any envelope of two runs on
/// one state dir, and none stored there.
#[test]
fn homebrew_events_carry_no_id_and_none_is_stored() {
    let dir = temp_dir("homebrew-no-id");
    let (first, earlier) = memory_envelopes(&example_products::homebrew::PRODUCT, &dir);
    let (second, envelopes) = memory_envelopes(&example_products::homebrew::PRODUCT, &dir);
    assert!(first > 0);
    assert_eq!((earlier.len(), second, envelopes.len()), (first, first, first));
    for e in earlier.iter().chain(&envelopes) {
        let keys: Vec<&String> = e.as_object().expect("an object").keys().collect(); // sorted: serde_json maps
        assert_eq!(
            keys,
            ["app", "app_version", "context", "event", "message_id", "properties", "schema_version", "timestamp"]
        );
    }
    let state = state_of(&dir);
    assert!(state.get("anonymous_id").is_none() && state.get("key").is_none(), "{state}");
    let _ = std::fs::remove_dir_all(dir);
}
