//! Golden tests of the renderers: a small schema that uses every feature of
//! the language, rendered byte for byte. After an intended change, rerun
//! with `UPDATE_GOLDEN=1` and review the diff of `tests/golden/`.

use std::path::Path;
use telemetry_schema::render;

fn small() -> telemetry_schema::Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/small.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    // Loaded under a relative name, as the generated files name their source by file name only.
    telemetry_schema::load_str(&text, "golden/small.yaml").unwrap()
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
        panic!(
            "{} differs from the renderer's output (first difference at line {line}); rerun with UPDATE_GOLDEN=1 if the change is intended\n--- actual ---\n{actual}",
            path.display()
        );
    }
}

#[test]
fn markdown_page_is_exact() {
    golden("small.md", &render::markdown(&small()));
}

#[test]
fn payload_schema_is_exact() {
    golden("small.events.schema.json", &render::payload_schema_text(&small()));
}

#[test]
fn output_is_deterministic() {
    let (a, b) = (small(), small());
    assert_eq!(render::markdown(&a), render::markdown(&b));
    assert_eq!(render::payload_schema_text(&a), render::payload_schema_text(&b));
    assert_eq!(telemetry_schema::format::json_schema_text(), telemetry_schema::format::json_schema_text());
}

#[test]
fn table_cells_escape_pipes() {
    let page = render::markdown(&small());
    assert!(page.contains("| `name` | string | hashed | required | Project name \\| hashed. |\n"));
    assert!(page.contains("| `host.kernel` | `run` | Kernel strings \\| can name machines. |\n"));
    // Prose outside tables is escaped the same way (issue 20.9: the page is text); `\|` reads as `|`.
    assert!(page.contains("Small Tool counts its runs \\| and nothing else.\n"));
}

#[test]
fn opt_out_commands_for_every_shell() {
    let page = render::markdown(&small());
    for expected in [
        "| bash | `export SMALL_TELEMETRY=0` | `echo 'export SMALL_TELEMETRY=0' >> ~/.bashrc` |\n",
        "| zsh | `export SMALL_TELEMETRY=0` | `echo 'export SMALL_TELEMETRY=0' >> ~/.zshrc` |\n",
        "| PowerShell | `$env:SMALL_TELEMETRY = '0'` | `[Environment]::SetEnvironmentVariable('SMALL_TELEMETRY', '0', 'User')` |\n",
        "| cmd | `set SMALL_TELEMETRY=0` | `setx SMALL_TELEMETRY 0` |\n",
        // A value with a space and a quote is quoted for each shell.
        "| bash | `export SMALL_MODE='don'\\''t send'` | `echo 'export SMALL_MODE='\\''don'\\''\\'\\'''\\''t send'\\''' >> ~/.bashrc` |\n",
        "| PowerShell | `$env:SMALL_MODE = 'don''t send'` |",
        "| cmd | `set \"SMALL_MODE=don't send\"` | `setx SMALL_MODE \"don't send\"` |\n",
        "When `SMALL_TRACKING` is exactly `logging`, Small Tool writes events to its local log only and sends nothing.\n",
        // In the schema's own term (`app.term: analytics`).
        "Analytics is on when `SMALL_OPT_IN` is exactly `yes` (`DO_NOT_TRACK` still turns it off).\n",
    ] {
        assert!(page.contains(expected), "missing: {expected}");
    }
}

#[test]
fn hashed_example_uses_the_demo_key() {
    let schema = small();
    let payload = render::example_payload(&schema, schema.event("run").unwrap());
    // HMAC-SHA256(key = "example-key", message = "acme"), independently computed.
    assert_eq!(payload["properties"]["name"], render::demo_hash("acme"));
    assert_eq!(render::demo_hash("acme").len(), 64);
    // Fields without an example get a placeholder of their type.
    assert_eq!(payload["properties"]["count"], 0);
    assert_eq!(payload["properties"]["ratio"], 0.0);
    assert_eq!(payload["properties"]["host"], serde_json::json!({ "cpus": 4 }));
}

#[test]
fn demo_hash_matches_an_independent_hmac() {
    // Checked against another HMAC implementation:
    // (Python: hmac.new(b"example-key", b"acme", hashlib.sha256).hexdigest()).
    assert_eq!(render::demo_hash("acme"), "21e572dafe2a618a6ed50ca4326729fd0f78c2e322d72c010602c8763a2a0833");
}
