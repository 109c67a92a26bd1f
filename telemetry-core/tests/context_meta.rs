//! Context keys the runtime fills obey their declared meta (issue 20,
//! reproduction 1), and a test handle sends the same context on every
//! machine (issue 21, item 9).

use std::time::Duration;

use telemetry_core::meta::AppMeta;
use telemetry_core::{BuildError, EnvSource, Hasher, MemorySink, Mode, Reason, Telemetry, TelemetryEvent};

/// The envelope of one `ping`, recorded by a test handle.
fn one_ping(sink: &MemorySink, t: Telemetry, ping: &impl TelemetryEvent) -> String {
    t.record(ping);
    assert!(t.flush(Duration::from_secs(5)));
    sink.take().remove(0)
}

/// What lies between `"context":` and `,"anonymous_id"`, and the envelope's tail.
fn context_and_tail(envelope: &str) -> (&str, &str) {
    let start = envelope.find(r#""context":"#).unwrap() + r#""context":"#.len();
    let end = envelope.find(r#","anonymous_id""#).unwrap();
    let tail = &envelope[envelope.find(r#","app":"#).unwrap()..];
    (&envelope[start..end], tail)
}

mod declared {
    pub static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("schemas/declared.yaml");
    #[derive(telemetry_core::TelemetryEvent)]
    #[telemetry(schema = "schemas/declared.yaml")]
    pub struct Ping {
        pub n: u8,
    }
}

/// `locale` hashed, `os_version` cut to 3, `os` outside its enum left out,
/// `app_version` cut to 5 in the context and at the top level, the
/// forbidden `container` never written. Before: `"locale":"en_US"` raw (or
/// missing), the full kernel release, `"app_version":"1.2.3-beta+secret"`.
#[test]
fn well_known_keys_are_hashed_bounded_and_kept_to_their_values() {
    let sink = MemorySink::new();
    let t = Telemetry::builder(&declared::APP)
        .app_version("1.2.3-beta+secret")
        .for_tests(sink.clone())
        .env(EnvSource::from_pairs([("container", "podman"), ("LANG", "de_DE.UTF-8")]))
        .build()
        .unwrap();
    let envelope = one_ping(&sink, t, &declared::Ping { n: 1 });
    let (context, tail) = context_and_tail(&envelope);
    let locale = Hasher::new(&[0; 32]).hash_hex("en_US");
    assert_eq!(context, format!(r#"{{"locale":"{locale}","os_version":"6.0","app_version":"1.2.3","ci":false}}"#));
    assert_eq!(tail, r#","app":"ctx-demo","app_version":"1.2.3"}"#);
}

mod ci_enum {
    pub static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("schemas/ci_enum.yaml");
}
mod version_u32 {
    pub static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("schemas/version_u32.yaml");
}
mod container_string {
    pub static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("schemas/container_string.yaml");
}

/// Types the runtime's value cannot carry fail `build()`, naming the key.
/// Before: `"ci":true`, `"app_version":"1.2.3"`, `"container":true` sent.
#[test]
fn a_declared_type_the_runtime_cannot_fill_fails_the_build() {
    let build = |app: &'static AppMeta| {
        Telemetry::builder(app).app_version("1.2.3").for_tests(MemorySink::new()).build().map(|_| ()).unwrap_err()
    };
    let ty = |key, declared, runtime| BuildError::ContextType { app: "ctx-demo", key, declared, runtime };
    assert_eq!(build(&ci_enum::APP), ty("ci", "enum", "true or false"));
    assert_eq!(build(&version_u32::APP), ty("app_version", "u32", "text"));
    assert_eq!(build(&container_string::APP), ty("container", "string", "true or false"));
    assert_eq!(
        build(&version_u32::APP).to_string(),
        "the ctx-demo schema declares context key `app_version` as u32, but the runtime fills it with text: declare it as a string (or an enum of the values you accept) in the schema, or carry the key in your own TelemetryContext struct"
    );
}

/// Before: `"app_version":""` in the context, where the schema requires a version.
#[test]
fn a_required_app_version_must_be_given() {
    let t = Telemetry::builder(&declared::APP).with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([])).build();
    assert_eq!(t.map(|_| ()).unwrap_err(), BuildError::MissingAppVersion { app: "ctx-demo" });
}

mod well_known {
    pub static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("schemas/well_known.yaml");
    #[derive(telemetry_core::TelemetryEvent)]
    #[telemetry(schema = "schemas/well_known.yaml")]
    pub struct Ping {
        pub n: u8,
    }
}

/// Issue 21, item 9: a faked environment that says CI, a container and a
/// German locale changes nothing; neither do the kernel release or the
/// container files of the machine the test runs on. Before: `os_version`
/// and `container` came from the machine.
#[test]
fn a_test_handle_sends_the_same_context_on_every_machine() {
    let fake = EnvSource::from_pairs([
        ("CI", "1"),
        ("GITHUB_ACTIONS", "true"),
        ("container", "podman"),
        ("KUBERNETES_SERVICE_HOST", "10.0.0.1"),
        ("LANG", "de_DE.UTF-8"),
    ]);
    for env in [fake, EnvSource::from_pairs::<&str, &str>([])] {
        let sink = MemorySink::new();
        let t = Telemetry::builder(&well_known::APP).for_tests(sink.clone()).env(env).build().unwrap();
        let envelope = one_ping(&sink, t, &well_known::Ping { n: 1 });
        let (context, tail) = context_and_tail(&envelope);
        assert_eq!(
            context,
            r#"{"os":"linux","os_version":"6.0.0","arch":"x86_64","app_version":"0.0.0","ci":false,"container":false,"locale":"en_US"}"#
        );
        assert_eq!(tail, r#","app":"ctx-demo","app_version":"0.0.0"}"#);
    }
}

/// Consent says on, but this machine has no `locale` and the schema
/// requires it: the run is off, and `status` says so and why, naming the
/// key. Before: "Telemetry is off: it is on by default.", events going to
/// memory, and the key in a note.
#[test]
fn a_required_key_this_machine_lacks_is_why_the_run_is_off() {
    let dir = std::env::temp_dir().join(format!("ctx-unavailable-{}", std::process::id()));
    let sink = MemorySink::new();
    let t = Telemetry::builder(&declared::APP)
        .app_version("1.0.0")
        .state_dir(&dir)
        .notice(false)
        .with_test_knobs()
        .env(EnvSource::from_pairs([("LANG", "C.UTF-8")]))
        .memory(sink.clone())
        .build()
        .unwrap();
    let why = "this machine cannot give the context the app's schema requires (context key `locale` has no value \
               on this machine; the schema can mark the key `required: false`)";
    let status = t.status();
    assert_eq!((status.mode, &status.reason), (Mode::Off, &Reason::Unavailable { why: why.into() }));
    assert_eq!(
        status.to_string(),
        format!(
            "Telemetry is off: {why}, so nothing is recorded.\n  Events go to:  nowhere (telemetry is off)\n  State:         {}\n",
            dir.display()
        )
    );
    t.record(&declared::Ping { n: 1 });
    drop(t);
    assert!(sink.take().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
