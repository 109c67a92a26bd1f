//! What the seed-product tests share: running a product's program
//! (`example-products`) through the real runtime, isolated from the real
//! environment and home directory.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::time::Duration;

use example_products::{Options, Product, Sink};
use telemetry_core::meta::FirstRun;
use telemetry_core::{EnvSource, MemorySink, Mode, Telemetry};
use telemetry_testkit::Buf;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The install state a run left in `dir`.
pub fn state_of(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("state.json")).expect("state.json written")).expect("JSON")
}

/// No variable set: only the test's own switches apply.
pub fn no_env() -> EnvSource {
    EnvSource::from_pairs::<&str, &str>([])
}

/// Runs the product's program with `options`, state in `dir`; returns how
/// many events it recorded, what it printed, and the live handle.
/// A product whose schema says `first_run: notice_first` (Homebrew) sends
/// nothing on the run that shows the notice: on a fresh state dir with
/// telemetry on, that run happens first, as the user's would, and records
/// nothing. (Log-only mode sends nothing either way, and prints from the
/// first run.)
pub fn run(product: &Product, options: &Options, env: EnvSource, dir: &Path) -> (usize, Buf, Telemetry) {
    let out = Buf::default();
    let builder = || product.builder(options).settings(|b| b.state_dir(dir)).env(env.clone()).output(out.clone());
    let fresh = !dir.join("state.json").exists();
    if fresh && product.app.first_run() == FirstRun::NoticeFirst && builder().preview_status().mode == Mode::On {
        let first = builder().build().expect("the product's builder is valid");
        (product.record_all)(&first);
        assert_eq!(first.shutdown().recorded, 0, "{}: the notice's run recorded events", product.app.name());
    }
    let telemetry = builder()
        .settings(|b| b.shutdown_deadline(Duration::from_secs(5)))
        .build()
        .expect("the product's builder is valid");
    let recorded = (product.record_all)(&telemetry);
    (recorded, out, telemetry)
}

/// The product's program into a memory sink: events recorded, envelopes delivered.
pub fn memory_envelopes(product: &Product, dir: &Path) -> (usize, Vec<serde_json::Value>) {
    let sink = MemorySink::new();
    let options = Options { sink: Sink::Memory(sink.clone()), state_dir: None };
    let (recorded, _, telemetry) = run(product, &options, no_env(), dir);
    telemetry.shutdown();
    (recorded, sink.take().iter().map(|e| serde_json::from_str(e).expect("envelope is JSON")).collect())
}

/// A product's published payload JSON Schema (`docs/<app>.events.schema.json`),
/// compiled once: compiling it per envelope was most of these tests' time.
pub struct PageSchema {
    schema: serde_json::Value,
    whole: jsonschema::Validator,
}

impl PageSchema {
    pub fn of(app: &str) -> PageSchema {
        let path = workspace().join("docs").join(format!("{app}.events.schema.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let schema: serde_json::Value = serde_json::from_str(&text).expect("payload schema is JSON");
        let whole = jsonschema::validator_for(&schema).expect("valid JSON Schema");
        PageSchema { schema, whole }
    }

    /// Why `envelope` breaks the schema, or nothing. The schema's `oneOf`
    /// over its events only says "none matched": the reasons come from the
    /// one event the envelope names.
    pub fn violations(&self, envelope: &serde_json::Value) -> Vec<String> {
        if self.whole.is_valid(envelope) {
            return Vec::new();
        }
        let mut one = self.schema.clone();
        let event = envelope["event"].as_str().unwrap_or_default();
        if let Some(o) = one.as_object_mut() {
            o.remove("oneOf");
            o.insert("$ref".into(), format!("#/$defs/event_{event}").into());
        }
        let why: Vec<String> = jsonschema::validator_for(&one)
            .expect("valid JSON Schema")
            .iter_errors(envelope)
            .map(|e| format!("{e} (at {})", e.instance_path))
            .collect();
        if why.is_empty() { vec![format!("event {event:?} is not one of the page's events")] } else { why }
    }
}

/// Problems with what `product` delivered: every envelope must validate
/// against its page's payload schema, the events must be exactly those
/// recorded, and every event the schema declares must be among them.
pub fn problems(product: &Product, envelopes: &[serde_json::Value], recorded: usize, via: &str) -> Vec<String> {
    let app = product.app.name();
    let schema = PageSchema::of(app);
    let mut out: Vec<String> = envelopes
        .iter()
        .flat_map(|e| {
            schema.violations(e).into_iter().map(move |why| format!("{app} via {via}: {}: {why}", e["event"]))
        })
        .collect();
    if envelopes.len() != recorded {
        out.push(format!("{app} via {via}: {recorded} events recorded, {} delivered", envelopes.len()));
    }
    let sent: Vec<&str> = envelopes.iter().filter_map(|e| e["event"].as_str()).collect();
    for event in product.app.events().iter().filter(|e| !sent.contains(e)) {
        out.push(format!("{app} via {via}: its program never records `{event}`"));
    }
    out
}
