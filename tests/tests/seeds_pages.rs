//! Each seed product's page (`docs/<app>.md`) and what its program sends
//! through the real runtime name the same keys:
//!
//! - every key in an envelope (top level, `context.*`, `properties.*`,
//!   nested objects as dotted paths) is a row of the page: of *What is sent
//!   with every event*, of *Context*, or of that event's table;
//! - every row the page promises is sent: a `required` one in every envelope
//!   (of that event, under its parent object when nested), an `optional` one
//!   in at least one; and, since the programs exercise both cases, an
//!   optional one is also left out of at least one.

mod seeds;

use std::collections::{BTreeMap, BTreeSet};

use example_products::PRODUCTS;
use seeds::{memory_envelopes, workspace};
use serde_json::Value;
use telemetry_testkit::temp_dir;

/// One row of a page's field tables.
#[derive(Debug)]
struct Row {
    /// `anonymous_id`, `context.environment.os`, `properties.source.name`.
    path: String,
    required: bool,
}

/// The rows of `docs/<app>.md`, by event (`""` for rows of every event).
fn page_rows(app: &str) -> BTreeMap<String, Vec<Row>> {
    let page = std::fs::read_to_string(workspace().join("docs").join(format!("{app}.md"))).expect("page");
    let mut rows: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    // (event the rows belong to, prefix of their paths); None outside field tables.
    let mut at: Option<(String, &str)> = None;
    for line in page.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            at = (h == "What is sent with every event").then(|| (String::new(), ""));
        } else if let Some(h) = line.strip_prefix("### ") {
            let name = h.trim_matches('`');
            at = match (h, &at) {
                ("Context", Some((e, _))) if e.is_empty() => Some((String::new(), "context.")),
                _ if h.starts_with('`') && page_section_of(&page, line) == "Events" => {
                    Some((name.to_string(), "properties."))
                }
                _ => None,
            };
        } else if let (Some((event, prefix)), Some(cells)) = (&at, table_cells(line)) {
            let Some(key) = cells.first().and_then(|c| c.strip_prefix('`')?.strip_suffix('`')) else { continue };
            // The top table has no presence column: its keys are always sent.
            let required = cells.get(3).is_none_or(|p| *p != "optional");
            rows.entry(event.clone()).or_default().push(Row { path: format!("{prefix}{key}"), required });
        }
    }
    rows
}

/// The `## ` section a line is in.
fn page_section_of<'a>(page: &'a str, line: &str) -> &'a str {
    let at = page.find(line).unwrap_or_default();
    page[..at].rfind("\n## ").map(|i| page[i + 4..].lines().next().unwrap_or_default()).unwrap_or_default()
}

/// The cells of a markdown table row, trimmed; `None` for other lines and
/// the header and separator rows.
fn table_cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<&str> = inner.split(" | ").map(str::trim).collect();
    (cells.first().is_some_and(|c| c.starts_with('`'))).then_some(cells)
}

/// Every key path of an envelope: objects are walked, lists are values.
fn key_paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Value::Object(m) = v {
        for (k, child) in m {
            let path = format!("{prefix}{k}");
            key_paths(child, &format!("{path}."), out);
            out.insert(path);
        }
    }
}

/// The value at a dotted path, if every step exists.
fn at_path<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn parent(path: &str) -> Option<&str> {
    path.rsplit_once('.').map(|(p, _)| p).filter(|p| !matches!(*p, "context" | "properties"))
}

#[test]
fn every_sent_key_is_on_the_page_and_every_promised_key_is_sent() {
    let mut problems = Vec::new();
    for product in PRODUCTS {
        let app = product.app.name();
        let rows = page_rows(app);
        let dir = temp_dir(app);
        let (_, envelopes) = memory_envelopes(product, &dir);
        let _ = std::fs::remove_dir_all(dir);
        let every: Vec<&Row> = rows.get("").map(|r| r.iter().collect()).unwrap_or_default();
        assert!(every.iter().any(|r| r.path == "event"), "{app}: no rows read from docs/{app}.md");
        for event in product.app.events() {
            let of_event: Vec<&Value> = envelopes.iter().filter(|e| e["event"] == *event).collect();
            let rows: Vec<&Row> = every.iter().copied().chain(rows.get(*event).into_iter().flatten()).collect();
            // Sent, so on the page.
            for e in &of_event {
                let mut sent = BTreeSet::new();
                key_paths(e, "", &mut sent);
                for path in sent.iter().filter(|p| !rows.iter().any(|r| &r.path == *p)) {
                    problems.push(format!("{app}: `{event}` sends `{path}`, which docs/{app}.md does not list"));
                }
            }
            // On the page, so sent.
            for row in &rows {
                let under: Vec<&&Value> =
                    of_event.iter().filter(|e| parent(&row.path).is_none_or(|p| at_path(e, p).is_some())).collect();
                let with = under.iter().filter(|e| at_path(e, &row.path).is_some()).count();
                let (path, n) = (&row.path, under.len());
                if row.required && with < n {
                    problems
                        .push(format!("{app}: `{event}`: `{path}` is required on the page, sent {with} of {n} times"));
                }
                if !row.required && (with == 0 || with == n) {
                    problems.push(format!(
                        "{app}: `{event}`: optional `{path}` sent {with} of {n} times (the program should set it and leave it out)"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} disagreements between pages and runtime:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
