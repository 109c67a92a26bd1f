//! Context structs that compile, and the exact JSON `write_fields` adds to
//! a context object the runtime has opened.

// The derive's bytes alone, without the runtime: `__bench` (hidden, not API).
use telemetry_core::{Hasher, TelemetryContext, TelemetryEnum, WELL_KNOWN_CONTEXT};

/// Computed independently with Python's standard library:
/// `python3 -c "import hmac,hashlib;print(hmac.new(b'per-install key', b'sync_orders.py', hashlib.sha256).hexdigest())"`
const SYNC_ORDERS_HMAC: &str = "f7ffce45f11ecdf115330d5252adb6e6869fd9e9517d99d3b33b704ae5bf18fc";

/// The context object as the runtime builds it: its own keys first
/// (`prefix`, e.g. `{"os":"linux"`), then the struct's, then `}`.
fn context_json<C: TelemetryContext>(prefix: &str, ctx: &C) -> String {
    let hasher = Hasher::new(b"per-install key");
    String::from_utf8(telemetry_core::__bench::context_json(prefix, ctx, &hasher)).unwrap()
}

// PyAirbyte: five keys the runtime cannot fill, one of them hashed; `os`
// and `ci` are well-known and left to the runtime.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
struct PyAirbyte<'a> {
    pyairbyte_version: &'a str,
    python_version: String,
    application_hash: &'a str,
    notebook: bool,
    colab: bool,
}

#[test]
fn pyairbyte_keys_in_struct_order_with_the_application_hashed() {
    let ctx = PyAirbyte {
        pyairbyte_version: "0.20.1",
        python_version: "3.11.9".into(),
        application_hash: "sync_orders.py",
        notebook: true,
        colab: false,
    };
    let json = context_json(r#"{"os":"linux","ci":false"#, &ctx);
    assert_eq!(
        json,
        format!(
            r#"{{"os":"linux","ci":false,"pyairbyte_version":"0.20.1","python_version":"3.11.9","application_hash":"{SYNC_ORDERS_HMAC}","notebook":true,"colab":false}}"#
        )
    );
    assert!(!json.contains("sync_orders"));
    assert_eq!(PyAirbyte::APP, "pyairbyte");
    assert_eq!(PyAirbyte::KEYS, ["pyairbyte_version", "python_version", "application_hash", "notebook", "colab"]);
}

// A struct that carries a well-known key overrides the runtime's value; it
// is then in KEYS, so the runtime knows not to write it too.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/pyairbyte.yaml")]
struct PyAirbyteWithOs {
    os: &'static str,
    colab: bool,
    notebook: bool,
    application_hash: String,
    python_version: &'static str,
    pyairbyte_version: &'static str,
}

#[test]
fn a_well_known_key_in_the_struct_overrides_and_struct_order_is_kept() {
    let ctx = PyAirbyteWithOs {
        os: "Darwin",
        colab: true,
        notebook: false,
        application_hash: "sync_orders.py".into(),
        python_version: "3.12.1",
        pyairbyte_version: "0.21.0",
    };
    assert_eq!(
        PyAirbyteWithOs::KEYS,
        ["os", "colab", "notebook", "application_hash", "python_version", "pyairbyte_version"]
    );
    assert_eq!(
        context_json("{", &ctx),
        format!(
            r#"{{"os":"Darwin","colab":true,"notebook":false,"application_hash":"{SYNC_ORDERS_HMAC}","python_version":"3.12.1","pyairbyte_version":"0.21.0"}}"#
        )
    );
    assert!(WELL_KNOWN_CONTEXT.contains(&"os"));
}

// Evidently: two nested objects, one holding another.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml")]
struct Evidently<'a> {
    environment: Environment<'a>,
    evidently: EvidentlyInstall,
}

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml", object = "environment")]
struct Environment<'a> {
    os: &'a str,
    python: Python,
}

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml", object = "environment.python")]
struct Python {
    // Written in schema order, like every nested object.
    venv: bool,
    conda: bool,
    interpreter: String,
    version: String,
}

#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/evidently.yaml", object = "evidently")]
struct EvidentlyInstall {
    version: &'static str,
}

#[test]
fn evidently_nested_objects() {
    let ctx = Evidently {
        environment: Environment {
            os: "macOS-11.4-x86_64-i386-64bit",
            python: Python { venv: true, conda: false, interpreter: "CPython".into(), version: "3.8.2".into() },
        },
        evidently: EvidentlyInstall { version: "0.1.19.dev0" },
    };
    assert_eq!(
        context_json("{", &ctx),
        r#"{"environment":{"os":"macOS-11.4-x86_64-i386-64bit","python":{"version":"3.8.2","interpreter":"CPython","conda":false,"venv":true}},"evidently":{"version":"0.1.19.dev0"}}"#
    );
    assert_eq!(Evidently::KEYS, ["environment", "evidently"]);
    assert_eq!(<Python as telemetry_core::TelemetryObject>::SCHEMA_PATH, "@context.environment.python");
}

// Automatisch: one allowed key beside three forbidden ones; enums and
// optional keys as in tests/ui/schemas/context.yaml.
#[derive(TelemetryContext)]
#[telemetry(schema = "../../schemas/automatisch.yaml")]
struct Automatisch<'a> {
    organization_id: &'a str,
}

#[derive(TelemetryEnum)]
enum Edition {
    Community,
    Enterprise,
}

#[derive(TelemetryContext)]
#[telemetry(schema = "../ui/schemas/context.yaml")]
struct Server<'a> {
    edition: Edition,
    server_version: &'a str,
    region: Option<&'a str>,
}

#[test]
fn a_single_key_an_enum_and_an_optional_key_left_out_or_set() {
    assert_eq!(context_json("{", &Automatisch { organization_id: "5b2f8e1c" }), r#"{"organization_id":"5b2f8e1c"}"#);
    let mut ctx = Server { edition: Edition::Enterprise, server_version: "2.1.0", region: None };
    assert_eq!(
        context_json(r#"{"arch":"x86_64""#, &ctx),
        r#"{"arch":"x86_64","edition":"enterprise","server_version":"2.1.0"}"#
    );
    ctx.region = Some("eu-west");
    ctx.edition = Edition::Community;
    assert_eq!(context_json("{", &ctx), r#"{"edition":"community","server_version":"2.1.0","region":"eu-west"}"#);
}

// generate_events! also generates `Context` when the schema declares keys
// the runtime cannot fill (example-cli declares only well-known ones: none).
mod generated_pyairbyte {
    telemetry_core::generate_events!("../../schemas/pyairbyte.yaml");
}

mod generated_evidently {
    telemetry_core::generate_events!("../../schemas/evidently.yaml");
}

#[test]
fn generated_context_structs_write_what_hand_written_ones_do() {
    use generated_evidently::{Context, ContextEnvironment, ContextEnvironmentPython, ContextEvidently};
    let ctx = generated_pyairbyte::Context {
        pyairbyte_version: "0.20.1".into(),
        python_version: "3.11.9".into(),
        application_hash: "sync_orders.py".into(),
        notebook: true,
        colab: false,
    };
    assert_eq!(generated_pyairbyte::Context::KEYS, PyAirbyte::KEYS);
    let hand = PyAirbyte {
        pyairbyte_version: "0.20.1",
        python_version: "3.11.9".into(),
        application_hash: "sync_orders.py",
        notebook: true,
        colab: false,
    };
    assert_eq!(context_json("{", &ctx), context_json("{", &hand));
    let ctx = Context {
        environment: ContextEnvironment {
            os: "Linux".into(),
            python: ContextEnvironmentPython {
                version: "3.8.2".into(),
                interpreter: "CPython".into(),
                conda: true,
                venv: false,
            },
        },
        evidently: ContextEvidently { version: "0.1.19.dev0".into() },
    };
    assert_eq!(
        context_json("{", &ctx),
        r#"{"environment":{"os":"Linux","python":{"version":"3.8.2","interpreter":"CPython","conda":true,"venv":false}},"evidently":{"version":"0.1.19.dev0"}}"#
    );
}

/// The runtime keeps its own copy of the well-known keys (it does not depend on
/// the schema crate); the derive uses the schema crate's. They must agree, or a
/// struct could omit a key the runtime cannot fill.
#[test]
fn runtime_and_derive_agree_on_well_known_context_keys() {
    assert_eq!(telemetry_core::WELL_KNOWN_CONTEXT, telemetry_schema::WELL_KNOWN_CONTEXT);
}
