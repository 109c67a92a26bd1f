//! The wire corpus: the exact body every sink and wire format writes for a
//! fixed set of events (fixed key, ids and times), fresh from `record()`,
//! read back from this run's spool, and read back from an earlier run's,
//! compared byte for byte with the files in `tests/corpus/`. The files
//! were written before the runtime was reshaped around a typed event: any
//! change to them is a change of what is sent. `BLESS=1` rewrites them
//! (then review the diff).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use super::body::body;
use crate::envelope::{Event, Origin, OriginParts};
use crate::format::WireFormat;
use crate::hash::Keys;
use crate::meta::HashScope;
use crate::meta::{AppMeta, Fingerprint};
use crate::output::Output;
use crate::spool::Spool;
use crate::state::{Gate, create_dir};
use crate::transport::{Pace, Sink};
use crate::{Hasher, PropertyWriter};

static APP: AppMeta = AppMeta {
    name: "example-cli",
    events: &["command_run", "odd_values", "telemetry_changed", "odd \"name\""],
    schema_version: Some("1.0"),
    ..crate::envelope::tests::APP
};

const ID: &str = "00000000-0000-4000-8000-000000000000";

/// What one process shares: context, session, app version, schema version.
struct Process {
    context: &'static [u8],
    session: &'static str,
    app_version: &'static str,
    schema_version: Option<&'static str>,
}

/// This run.
const THIS: Process = Process {
    context: br#"{"os":"linux","arch":"x86_64","app_version":"1.2.3","ci":false}"#,
    session: "5e550000-0000-4000-8000-00000000000a",
    app_version: "1.2.3",
    schema_version: Some("1.0"),
};

/// An earlier run: another session and context, no app or schema version.
const EARLIER: Process = Process {
    context: br#"{"os":"linux","arch":"x86_64","app_version":"","ci":true}"#,
    session: "5e550000-0000-4000-8000-00000000000b",
    app_version: "",
    schema_version: None,
};

/// The corpus events: every kind of value, escapes, an empty object, and a
/// name that needs escaping.
fn properties(n: usize, w: &mut PropertyWriter<'_>) {
    match n % 4 {
        0 => {
            w.str("command", "build", Some(32));
            w.u64("duration_ms", 1234);
            w.str("outcome", "success", None);
            w.i64("exit_code", 0);
            w.hashed("project", "acme-website", HashScope::Install);
            w.list("flags", |l| {
                l.str("release", None);
                l.str("locked", None);
            });
            w.bool("ci", false);
        }
        1 => {
            w.str("text", "tab\there \"q\" \\ é ✓ 😀 \u{1}", None);
            w.i64("neg", -3);
            w.u64("big", u64::MAX);
            w.f64("f", 0.5);
            w.f64("e", 1e300);
            w.object("o", |o| {
                o.bool("x", true);
                o.object("y", |y| y.str("z", "é", None));
            });
            w.list("l", |l| {
                l.i64(-1);
                l.hashed("secret", HashScope::Install);
                l.object(|o| o.str("k", "v", None));
            });
        }
        2 => {}
        _ => w.str("source", "env", None),
    }
}

fn name(n: usize) -> &'static str {
    ["command_run", "odd_values", "telemetry_changed", "odd \"name\""][n % 4]
}

/// Events `from..to` as `p` records them (the key is fixed: a hash is the same every run).
fn recorded(p: &Process, range: std::ops::Range<usize>) -> Vec<Event> {
    let origin = origin(p);
    let hasher = Hasher::new(&[7; 32]);
    range
        .map(|n| {
            let mut buf = Vec::new();
            let mut w = PropertyWriter::new(&mut buf, Keys::new(&hasher, None));
            properties(n, &mut w);
            w.finish().unwrap();
            Event {
                name: name(n),
                properties: String::from_utf8(buf).unwrap(),
                message_id: uuid::Uuid::from_u128(0x0123_4567_89ab_4def_8123_0000_0000_0000 + n as u128),
                at_ms: 1_700_000_000_123 + 1001 * n as u64,
                // Not only the first of its millisecond: the OTLP time carries it.
                ordinal: Some(u32::from(n % 4 == 1)),
                origin: origin.clone(),
                generation: 0,
            }
        })
        .collect()
}

fn origin(p: &Process) -> Arc<Origin> {
    Origin::new(OriginParts {
        app: "example-cli",
        app_version: p.app_version,
        schema_version: p.schema_version,
        fingerprint: Fingerprint::NONE,
        context: std::str::from_utf8(p.context).unwrap(),
        anonymous_id: Some(ID),
        session_id: Some(p.session),
    })
}

/// A state dir for the install, its spool as process `p` has it.
fn spool(dir: &Path, p: &Process) -> Spool {
    create_dir(dir).unwrap();
    std::fs::write(dir.join("state.json"), format!("{{\"anonymous_id\":\"{ID}\"}}")).unwrap();
    let gate = Gate::new(dir.to_path_buf(), ID.to_string());
    Spool { gate, max_bytes: 1 << 20, max_files: 10, app: &APP, origin: Some(origin(p)) }
}

/// `events` spooled by `writer` and read back by `reader` (both in `dir`).
fn through_spool(dir: &Path, writer: &Process, reader: &Process, events: &[Event]) -> Vec<Event> {
    let refs: Vec<&Event> = events.iter().collect();
    let (path, n) = spool(dir, writer).write(&refs, 1).unwrap();
    assert_eq!(n, events.len());
    let (back, discarded) = spool(dir, reader).take_file(&path).unwrap();
    assert_eq!((back.len(), discarded), (events.len(), 0));
    back
}

/// The three batches: fresh, this run's spooled (then two fresh), an
/// earlier release's spooled lines (no ordinal; then two fresh of this run).
fn cases(dir: &Path) -> Vec<(&'static str, Vec<Event>)> {
    let fresh = recorded(&THIS, 0..8);
    let mut spooled = through_spool(&dir.join("this"), &THIS, &THIS, &recorded(&THIS, 0..6));
    spooled.extend(recorded(&THIS, 6..8));
    let before: Vec<Event> = recorded(&EARLIER, 0..6).into_iter().map(|e| Event { ordinal: None, ..e }).collect();
    let mut earlier = through_spool(&dir.join("earlier"), &EARLIER, &THIS, &before);
    earlier.extend(recorded(&THIS, 6..8));
    vec![("fresh", fresh), ("spooled", spooled), ("earlier", earlier)]
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a printing sink writes for `events`.
fn printed(make: impl FnOnce(Output) -> Sink, events: &[Event]) -> Vec<u8> {
    let out = Capture::default();
    make(Output::new(out.clone())).deliver(events, Pace::CaughtUp);
    out.0.lock().unwrap().clone()
}

/// The JSON-lines file after one append of `events`.
fn jsonl(dir: &Path, events: &[Event]) -> Vec<u8> {
    let gate = spool(dir, &THIS).gate;
    Sink::File { gate: Some(gate), max_bytes: 1 << 20 }.deliver(events, Pace::CaughtUp);
    std::fs::read(dir.join(crate::state::EVENTS_FILE)).unwrap()
}

fn hex_lines(bytes: &[u8]) -> Vec<u8> {
    let mut s = String::new();
    for chunk in bytes.chunks(40) {
        for b in chunk {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\n');
    }
    s.into_bytes()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(name)
}

#[test]
fn every_sink_and_wire_format_writes_the_corpus_bytes() {
    let dir = std::env::temp_dir().join(format!("tc-corpus-{}", uuid::Uuid::new_v4().simple()));
    let sent_at = UNIX_EPOCH + Duration::from_millis(1_700_000_100_000);
    let bless = std::env::var_os("BLESS").is_some();
    let mut wrong = Vec::new();
    for (case, events) in cases(&dir) {
        let mut bodies: Vec<(String, Vec<u8>)> = [
            (WireFormat::Native, "native.json"),
            (WireFormat::Segment, "segment.json"),
            (WireFormat::PostHog, "posthog.json"),
            (WireFormat::Otlp, "otlp.json"),
        ]
        .into_iter()
        .map(|(f, file)| (file.to_string(), body(f, &events, Some("phc_key"), sent_at)))
        .collect();
        bodies.push(("otlp-protobuf.hex".into(), hex_lines(&body(WireFormat::OtlpProtobuf, &events, None, sent_at))));
        bodies.push(("jsonl".into(), jsonl(&dir.join(format!("file-{case}")), &events)));
        bodies.push(("debug.txt".into(), printed(Sink::Debug, &events)));
        bodies.push(("log-only.txt".into(), printed(|o| Sink::LogOnly(o, "example-cli".into()), &events)));
        for (file, bytes) in bodies {
            let path = fixture(&format!("{case}.{file}"));
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &bytes).unwrap();
            } else if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
                wrong.push(format!("{}:\n{}", path.display(), String::from_utf8_lossy(&bytes)));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(wrong.is_empty(), "bodies differ from the corpus (BLESS=1 rewrites it):\n{}", wrong.join("\n"));
}

/// The fresh batch's body in every HTTP wire format (for the gzip tests).
pub(super) fn bodies() -> Vec<(WireFormat, Vec<u8>)> {
    let sent_at = UNIX_EPOCH + Duration::from_millis(1_700_000_100_000);
    let events = recorded(&THIS, 0..8);
    [WireFormat::Native, WireFormat::Segment, WireFormat::PostHog, WireFormat::Otlp, WireFormat::OtlpProtobuf]
        .into_iter()
        .map(|f| (f, body(f, &events, Some("phc_key"), sent_at)))
        .collect()
}
