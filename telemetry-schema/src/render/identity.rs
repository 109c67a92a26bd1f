//! The page's sentences on what links events: the ids of the envelope by
//! `app.identity`, and the hashing section by each hashed field's `hash`
//! scope. Each sentence is telemetry-core's behaviour: the ids by
//! `telemetry-core/tests/identity.rs` (two runs, every wire format; the
//! metrics event), the per-run key of the install scope there too.

use super::field_table::hashed_fields;
use super::text::{cell_row, line, text};
use crate::model::{Field, HashScope, Identity, Schema};

/// What keeps runs apart on the wire under `run` and `none`: telemetry-core's
/// batching (`delivery/pending.rs` `one_run`), proved by
/// `telemetry-core/tests/identity.rs` `a_request_never_holds_two_runs_events`.
const APART: &str = "Events kept on disk for a later run, when they could not be sent, leave in requests of their own, never with another run's events.";

/// The `anonymous_id` and `session_id` rows of the envelope's table; none
/// for `identity: none`, whose envelope has neither.
pub(super) fn id_rows(w: &mut String, schema: &Schema) {
    let anon = match schema.app.identity {
        Identity::Install => {
            let mut s = format!(
                "A random id (UUID) created on this machine the first time {} runs with {} on, and stored there. It is not derived from anything about you or the machine.",
                text(&schema.app.title),
                schema.app.term()
            );
            if let Some(var) = &schema.app.anonymous_id_env {
                s.push_str(&format!(" Set `{var}` to use an id of your choice instead."));
            }
            s
        }
        Identity::Run => format!(
            "A random id (UUID), new for each run of the program and never stored: the events of one run share it, and no id links one run to another. It is not derived from anything about you or the machine. {APART}"
        ),
        Identity::None => return,
    };
    line(w, cell_row(&["`anonymous_id`", "UUID", &anon]));
    line(w, "| `session_id` | UUID | A random id, new for each run of the program; groups the events of one run. |");
}

/// For `identity: none`, after the envelope's table: that nothing links
/// events, and what the formats that need an id get instead.
pub(super) fn no_id_note(w: &mut String, schema: &Schema) {
    if schema.app.identity != Identity::None {
        return;
    }
    let title = text(&schema.app.title);
    line(w, "");
    line(
        w,
        format!(
            "Events carry no id of you, your machine, your install or your run, and {title} stores none. The events of one run may leave together, in one request. {APART} PostHog and Segment require an id with every event (`distinct_id`, `anonymousId`); there {title} sends the event's own `message_id`, new for each event."
        ),
    );
}

/// The hashed fields, each named with where it is sent: `` `f` (context) ``, `` `f` (`event`) ``.
fn hashed_names(schema: &Schema, scope: HashScope) -> Vec<String> {
    let of_scope = |fields: &[Field]| {
        let mut list = Vec::new();
        hashed_fields(fields, "", &mut list);
        list.retain(|name| field_at(fields, name).is_some_and(|f| f.hash == scope));
        list
    };
    let mut names: Vec<String> = of_scope(&schema.context).into_iter().map(|n| format!("`{n}` (context)")).collect();
    for e in &schema.events {
        names.extend(of_scope(&e.fields).into_iter().map(|n| format!("`{n}` (`{}`)", e.name)));
    }
    names
}

/// The field at a dotted path (`a.b`: field `b` of object `a`, or of its list items).
fn field_at<'f>(fields: &'f [Field], path: &str) -> Option<&'f Field> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let f = fields.iter().find(|f| f.name == head)?;
    match rest {
        None => Some(f),
        Some(rest) => field_at(nested(f.ty.as_ref()?)?, rest),
    }
}

fn nested(ty: &crate::model::FieldType) -> Option<&[Field]> {
    match ty {
        crate::model::FieldType::Object { fields } => Some(fields),
        crate::model::FieldType::List { items } => nested(items),
        _ => None,
    }
}

/// Whether anything is hashed.
pub(super) fn any_hashed(schema: &Schema) -> bool {
    let mut list = Vec::new();
    hashed_fields(&schema.context, "", &mut list);
    schema.events.iter().for_each(|e| hashed_fields(&e.fields, "", &mut list));
    !list.is_empty()
}

/// The section is there only when something is hashed: a page that
/// explains a protection it never applies only adds words to read. Each
/// scope present gets its own paragraph, saying plainly what it allows.
pub(super) fn hashing(w: &mut String, schema: &Schema) {
    let title = &text(&schema.app.title);
    let (install, product) = (hashed_names(schema, HashScope::Install), hashed_names(schema, HashScope::Product));
    if install.is_empty() && product.is_empty() {
        return;
    }
    line(w, "## How hashing works");
    line(w, "");
    let what = format!(
        "A hashed field is never sent as it is. {title} replaces its value with the HMAC-SHA256 of the value under a secret key, sent as 64 hexadecimal digits."
    );
    if product.is_empty() {
        line(w, format!("Hashed fields: {}.", install.join(", ")));
        line(w, "");
        line(w, format!("{what} {}", install_key(schema)));
    } else {
        line(w, format!("{what} Whose key that is decides what the hashes allow."));
        if !install.is_empty() {
            line(w, "");
            line(w, format!("Hashed with a key of this {}: {}.", unit(schema), install.join(", ")));
            line(w, "");
            line(w, install_key(schema));
        }
    }
    if !install.is_empty() {
        let unit = unit(schema);
        line(w, "");
        line(w, format!("- the same value gives the same hash on one {unit}, so repeated use can be counted;"));
        line(
            w,
            format!(
                "- the same value gives different hashes on different {unit}s, so hashes cannot be compared or joined across {unit}s;"
            ),
        );
        line(w, "- without the key, nobody (including us) can recover a value by hashing a list of guesses.");
    }
    if !product.is_empty() {
        line(w, "");
        line(w, format!("Hashed with the product's key: {}.", product.join(", ")));
        line(w, "");
        line(
            w,
            format!(
                "This key is built into {title} by its makers, the same in every copy and on every install, and never sent. So:"
            ),
        );
        line(w, "");
        line(w, "- the same value gives the same hash on every install, so values can be counted across all installs;");
        line(
            w,
            format!(
                "- whoever holds the key can hash a list of guesses and compare, and since the key is inside every copy of {title}, that is its makers and anyone who digs it out of the program: a value from a small or guessable set (a command name, a version number) can be recovered from its hash by them."
            ),
        );
    }
    line(w, "");
}

/// What an install-scope key is tied to: the install, or (when the app keeps no id) the run.
fn unit(schema: &Schema) -> &'static str {
    if schema.app.identity == Identity::Install { "install" } else { "run" }
}

/// Where the install-scope key comes from.
fn install_key(schema: &Schema) -> String {
    match schema.app.identity {
        Identity::Install => format!(
            "The key is random, created on this machine the first time {} runs with {} on, stored there, and never sent. So:",
            text(&schema.app.title),
            schema.app.term()
        ),
        Identity::Run | Identity::None => {
            "The key is random, made for each run of the program, never stored and never sent. So:".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::render::{markdown, payload_schema};

    fn schema(identity: &str, hash: &str) -> crate::Schema {
        crate::load_str(
            &format!(
                "version: 1\napp: {{ name: demo, title: Demo, description: Helps., identity: {identity} }}\nevents:\n  e:\n    description: x\n    fields:\n      project: {{ collect: hashed, hash: {hash}, type: string, description: x }}\n"
            ),
            "demo.yaml",
        )
        .unwrap()
    }

    #[test]
    fn identity_none_page_and_payload_schema_have_no_ids() {
        let s = schema("none", "install");
        let page = markdown(&s);
        assert!(!page.contains("`anonymous_id`") && !page.contains("`session_id`"), "{page}");
        assert!(page.contains("Events carry no id of you, your machine, your install or your run, and Demo stores none. The events of one run may leave together, in one request. Events kept on disk for a later run, when they could not be sent, leave in requests of their own, never with another run's events. PostHog"), "{page}");
        assert!(page.contains("there Demo sends the event's own `message_id`, new for each event."), "{page}");
        assert!(page.contains("The key is random, made for each run of the program, never stored and never sent."));
        let p = payload_schema(&s);
        let e = &p["$defs"]["event_e"];
        assert!(e["properties"].get("anonymous_id").is_none() && e["properties"].get("session_id").is_none());
        let required: Vec<&str> = e["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(required, ["event", "properties", "context", "message_id", "timestamp", "app"]);
        assert!(page.contains("keeps its state (your choice, the events not yet sent,"), "{page}");
        let example = page.split("```json\n").nth(1).unwrap();
        assert!(!example.contains("anonymous_id") && !example.contains("session_id"), "{example}");
    }

    #[test]
    fn identity_run_page_says_the_id_is_per_run() {
        let s = schema("run", "install");
        let page = markdown(&s);
        assert!(page.contains("| `anonymous_id` | UUID | A random id (UUID), new for each run of the program and never stored: the events of one run share it, and no id links one run to another. It is not derived from anything about you or the machine. Events kept on disk for a later run, when they could not be sent, leave in requests of their own, never with another run's events. |"), "{page}");
        assert!(page.contains("- the same value gives different hashes on different runs, so hashes cannot be compared or joined across runs;"));
        let p = payload_schema(&s);
        assert_eq!(
            p["$defs"]["event_e"]["properties"]["anonymous_id"]["description"],
            "Random id of this run of the program, never stored."
        );
    }

    /// The product's own term (`app.term`) where the words say when the id
    /// and key are made; a run's metrics carry no id, and the state dir no id.
    #[test]
    fn the_words_take_the_products_term_and_metrics_say_which_id() {
        let yaml = |identity: &str| {
            format!(
                "version: 1\napp: {{ name: demo, title: Demo, description: Helps., term: analytics, identity: {identity} }}\nevents:\n  e:\n    description: x\n    fields:\n      project: {{ collect: hashed, type: string, description: x }}\nmetrics:\n  runs: {{ type: counter, description: Runs. }}\n"
            )
        };
        let install = markdown(&crate::load_str(&yaml("install"), "demo.yaml").unwrap());
        assert!(install.contains("| `anonymous_id` | UUID | A random id (UUID) created on this machine the first time Demo runs with analytics on, and stored there."), "{install}");
        assert!(install.contains("The key is random, created on this machine the first time Demo runs with analytics on, stored there, and never sent."), "{install}");
        assert!(install.contains("keeps its state (your choice, the install's id, the counts of the current period, the events not yet sent,"), "{install}");
        assert!(!install.contains("The `metrics` event carries no"), "{install}");
        let run = markdown(&crate::load_str(&yaml("run"), "demo.yaml").unwrap());
        assert!(run.contains("Nothing is counted or written while analytics is off. Turning it off leaves the counts kept before on your machine, unsent until analytics is on again. The `metrics` event carries no `anonymous_id` or `session_id`: its counts can add up several runs, so no run's id is put on them."), "{run}");
        assert!(
            run.contains("keeps its state (your choice, the counts of the current period, the events not yet sent,"),
            "{run}"
        );
    }

    #[test]
    fn product_scope_says_the_key_ships_in_the_program_and_small_sets_can_be_reversed() {
        let page = markdown(&schema("install", "product"));
        let at = page.find("## How hashing works\n").unwrap();
        let section = &page[at..page[at..].find("\n## Example").map_or(page.len(), |i| at + i)];
        assert!(section.contains("Hashed with the product's key: `project` (`e`)."), "{section}");
        assert!(section.contains("the same value gives the same hash on every install"), "{section}");
        assert!(section.contains("This key is built into Demo by its makers, the same in every copy and on every install, and never sent."), "{section}");
        assert!(section.contains("- whoever holds the key can hash a list of guesses and compare, and since the key is inside every copy of Demo, that is its makers and anyone who digs it out of the program: a value from a small or guessable set (a command name, a version number) can be recovered from its hash by them."), "{section}");
        assert!(!section.contains("Hashed with a key of this install"), "{section}");
    }
}
