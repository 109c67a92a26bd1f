//! The JSON Schema of the YAML format accepts every real schema file and
//! rejects the common mistakes (each of which the loader rejects too).

use std::path::{Path, PathBuf};
use telemetry_schema::format;

fn validator() -> jsonschema::Validator {
    let schema = format::json_schema();
    assert!(jsonschema::meta::is_valid(&schema), "the format schema is not a valid JSON Schema");
    jsonschema::validator_for(&schema).unwrap()
}

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("../schemas"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files.push(root.join("tests/golden/small.yaml"));
    files
}

#[test]
fn accepts_every_schema_file() {
    let v = validator();
    let files = files();
    assert!(files.len() >= 7);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = format::yaml_to_json(&text, &path).unwrap();
        let errs: Vec<String> = v.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path)).collect();
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
        // The dedicated format types read the file too.
        let _: format::SchemaFile = serde_json::from_value(doc).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

const BASE: &str = "version: 1\napp: { name: demo, title: Demo, description: Helps. }\n";

#[test]
fn rejects_bad_files() {
    let v = validator();
    let field = |f: &str| format!("{BASE}events:\n  e:\n    description: x\n    fields:\n      f: {f}\n");
    let metric = |m: &str| format!("{BASE}events: {{ e: {{ description: x }} }}\nmetrics:\n  m: {m}\n");
    let collection = |c: &str| format!("{BASE}events: {{ e: {{ description: x }} }}\ncollection: {c}\n");
    let cases: Vec<(&str, String)> = vec![
        ("unknown top-level key", format!("{BASE}events: {{ e: {{ description: x }} }}\nextra: 1\n")),
        ("wrong version", "version: 2\napp: { name: demo, title: Demo, description: x }\nevents: { e: { description: x } }\n".into()),
        ("missing events", BASE.into()),
        ("no events", format!("{BASE}events: {{}}\n")),
        ("app name not an identifier", "version: 1\napp: { name: Demo App, title: Demo, description: x }\nevents: { e: { description: x } }\n".into()),
        ("empty title", "version: 1\napp: { name: demo, title: '', description: x }\nevents: { e: { description: x } }\n".into()),
        ("docs_url not a URL", "version: 1\napp: { name: demo, title: Demo, description: x, docs_url: example.org }\nevents: { e: { description: x } }\n".into()),
        ("event name not snake_case", format!("{BASE}events: {{ CommandRun: {{ description: x }} }}\n")),
        ("event without description", format!("{BASE}events: {{ e: {{ when: daily }} }}\n")),
        ("unknown collect value", field("{ collect: hashd, type: string, description: x }")),
        ("unknown type", field("{ collect: allowed, type: uint, description: x }")),
        ("unknown field key", field("{ collect: allowed, type: string, description: x, optional: true }")),
        ("collected field without type", field("{ collect: allowed, description: x }")),
        ("collected field without description", field("{ collect: allowed, type: bool }")),
        ("collected field with a reason", field("{ collect: allowed, type: bool, description: x, reason: y }")),
        ("forbidden field without reason", field("{ collect: forbidden }")),
        ("forbidden field with a type", field("{ collect: forbidden, type: string, reason: x }")),
        ("forbidden field with an example", field("{ collect: forbidden, reason: x, example: y }")),
        ("forbidden field marked optional", field("{ collect: forbidden, reason: x, required: false }")),
        ("hashed bool", field("{ collect: hashed, type: bool, description: x }")),
        ("enum without values", field("{ collect: allowed, type: enum, description: x }")),
        ("enum value empty", field("{ collect: allowed, type: enum, values: [''], description: x }")),
        ("enum value with a control character", field("{ collect: allowed, type: enum, values: [\"a\\tb\"], description: x }")),
        ("object without fields", field("{ collect: allowed, type: object, description: x }")),
        ("list without items", field("{ collect: allowed, type: list, description: x }")),
        ("list items: enum shorthand", field("{ collect: allowed, type: list, items: enum, description: x }")),
        ("max_length zero", field("{ collect: allowed, type: string, max_length: 0, description: x }")),
        ("required not a boolean", field("{ collect: allowed, type: string, required: maybe, description: x }")),
        ("nested field not snake_case", field("{ collect: allowed, type: object, description: x, fields: { Bad: { collect: allowed, type: bool, description: x } } }")),
        ("switch with both rules", format!("{BASE}consent: {{ env: [{{ name: X, disables_when: set, equals: a }}] }}\nevents: {{ e: {{ description: x }} }}\n")),
        ("switch with neither rule", format!("{BASE}consent: {{ env: [{{ name: X }}] }}\nevents: {{ e: {{ description: x }} }}\n")),
        ("action without equals", format!("{BASE}consent: {{ env: [{{ name: X, disables_when: set, action: enable }}] }}\nevents: {{ e: {{ description: x }} }}\n")),
        ("unknown trigger", format!("{BASE}consent: {{ env: [{{ name: X, disables_when: yes }}] }}\nevents: {{ e: {{ description: x }} }}\n")),
        ("variable name in lowercase", format!("{BASE}consent: {{ env: [{{ name: x_var, disables_when: set }}] }}\nevents: {{ e: {{ description: x }} }}\n")),
        ("unknown consent default", format!("{BASE}consent: {{ default: maybe }}\nevents: {{ e: {{ description: x }} }}\n")),
        ("empty consent", format!("{BASE}consent:\nevents: {{ e: {{ description: x }} }}\n")),
        ("never_collected entry without what", format!("{BASE}events: {{ e: {{ description: x }} }}\nnever_collected: [{{ reason: x }}]\n")),
        ("unknown metric type", metric("{ type: gauge, description: x }")),
        ("labeled counter without labels", metric("{ type: labeled_counter, description: x }")),
        ("label not snake_case", metric("{ type: labeled_counter, description: x, labels: [Build] }")),
        ("duplicate label", metric("{ type: labeled_counter, description: x, labels: [a, a] }")),
        ("distribution without buckets", metric("{ type: distribution, description: x, unit: milliseconds }")),
        ("distribution without unit", metric("{ type: distribution, description: x, buckets: [1, 2] }")),
        ("negative bucket", metric("{ type: distribution, description: x, unit: bytes, buckets: [-1, 2] }")),
        ("quantity without unit", metric("{ type: quantity, description: x }")),
        ("unknown unit", metric("{ type: quantity, description: x, unit: minutes }")),
        ("metric without description", metric("{ type: counter }")),
        ("unknown metric key", metric("{ type: counter, description: x, label: y }")),
        ("metric name not snake_case", format!("{BASE}events: {{ e: {{ description: x }} }}\nmetrics: {{ Runs: {{ type: counter, description: x }} }}\n")),
        ("unknown metrics period", format!("{BASE}events: {{ e: {{ description: x }} }}\nmetrics_period: weekly\n")),
        ("collection retention stated twice", collection("{ retention_days: 365, retention: a year }")),
        ("collection retention of zero days", collection("{ retention_days: 0 }")),
        ("collection retention quoted", collection("{ retention_days: \"365\" }")),
        ("unknown collection ip_address value", collection("{ ip_address: dropped }")),
        ("unknown collection key", collection("{ servise: InfluxDB }")),
        ("collection viewers empty", collection("{ viewers: [] }")),
        ("collection viewer repeated", collection("{ viewers: [a, a] }")),
        ("collection operator empty", collection("{ operator: '' }")),
        ("collection public_aggregates not https", collection("{ public_aggregates: example.org/stats }")),
        ("collection public_aggregates false", collection("{ public_aggregates: false }")),
        ("unknown identity", "version: 1\napp: { name: demo, title: Demo, description: x, identity: user }\nevents: { e: { description: x } }\n".into()),
        ("anonymous_id_env with identity run", "version: 1\napp: { name: demo, title: Demo, description: x, identity: run, anonymous_id_env: DEMO_ID }\nevents: { e: { description: x } }\n".into()),
        ("unknown hash scope", field("{ collect: hashed, hash: global, type: string, description: x }")),
        ("hash scope on an allowed field", field("{ collect: allowed, hash: product, type: string, description: x }")),
        ("anonymous_id_env not a variable", "version: 1\napp: { name: demo, title: Demo, description: x, anonymous_id_env: my-id }\nevents: { e: { description: x } }\n".into()),
    ];
    let mut accepted = Vec::new();
    for (what, text) in &cases {
        // Each case is a real mistake: the loader refuses it too.
        assert!(telemetry_schema::load_str(text, "bad.yaml").is_err(), "the loader accepts `{what}`:\n{text}");
        let doc = format::yaml_to_json(text, "bad.yaml").unwrap();
        if v.is_valid(&doc) {
            accepted.push(*what);
        }
    }
    assert!(accepted.is_empty(), "the format schema accepts: {accepted:?}");
}

#[test]
fn committed_file_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/telemetry-schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == format::json_schema_text(), "{} is stale: run `cargo xtask docs`", path.display());
}

/// The editor schema lists its `type:` keywords separately from the loader;
/// this keeps the two lists the same.
#[test]
fn type_keywords_match_the_loader() {
    let schema = format::json_schema();
    let consts = |def: &str| -> Vec<String> {
        schema["$defs"][def]["oneOf"]
            .as_array()
            .unwrap_or_else(|| panic!("$defs.{def}.oneOf"))
            .iter()
            .map(|v| v["const"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(consts("TypeName"), telemetry_schema::TYPE_NAMES);
    let scalars: Vec<&str> =
        telemetry_schema::TYPE_NAMES.iter().copied().filter(|t| !matches!(*t, "enum" | "object" | "list")).collect();
    assert_eq!(consts("ScalarTypeName"), scalars);
    assert_eq!(consts("MetricTypeSpec"), telemetry_schema::METRIC_TYPE_NAMES);
    assert_eq!(consts("MetricUnitSpec"), telemetry_schema::METRIC_UNIT_NAMES);
}

/// The editor schema's metric keys are the loader's: a key the loader reads
/// that the editor refuses (or the reverse) fails here.
#[test]
fn metric_keys_match_the_loader() {
    let v = validator();
    let all = "{ type: distribution, description: x, unit: bytes, buckets: [1, 2], reviewed: y, owner: Team A, expires: never, expires_reason: needed for as long as builds exist, data_review: https://example.org/r/1 }";
    let text = format!(
        "{BASE}events: {{ e: {{ description: x }} }}\nmetrics_period: on_exit\nmetrics:\n  m: {all}\n  c: {{ type: labeled_counter, description: x, labels: [a, b] }}\n  q: {{ type: quantity, description: x, unit: count }}\n  b: {{ type: boolean, description: x }}\n  n: {{ type: counter, description: x }}\n"
    );
    telemetry_schema::load_str(&text, "ok.yaml").unwrap();
    let doc = format::yaml_to_json(&text, "ok.yaml").unwrap();
    assert!(v.is_valid(&doc), "{:?}", v.iter_errors(&doc).map(|e| e.to_string()).collect::<Vec<_>>());
}
