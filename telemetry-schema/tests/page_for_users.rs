//! Issue 22.4: the page speaks to the product's users. The forbidden fields
//! are introduced as what the product never sends (how that is enforced is a
//! one-line note), each hashed field shows its own example hash, and a
//! product that hashes nothing has no hashing section.

use telemetry_schema::render::{self, demo_hash};

const HEAD: &str = "version: 1\napp: { name: tool, title: Tool, description: Helps. }\n";

fn page(events: &str) -> (telemetry_schema::Schema, String) {
    let schema = telemetry_schema::load_str(&format!("{HEAD}events:\n{events}"), "tool.yaml").unwrap();
    let page = render::markdown(&schema);
    (schema, page)
}

#[test]
fn forbidden_fields_are_what_the_product_never_sends() {
    let (_, page) = page(
        "  run:\n    description: A run.\n    fields:\n      email: { collect: forbidden, reason: Identifies a person. }\n",
    );
    assert!(page.contains(
        "Tool never sends these fields:\n\n| Field | Event | Why it is never collected |\n| --- | --- | --- |\n| `email` | `run` | Identifies a person. |\n\n\
         _How this is kept: the schema this page is generated from marks them `forbidden`; code that tries to send one does not compile, and the collector's JSON Schema rejects them._\n"
    ), "{page}");
    assert!(!page.contains("These fields are forbidden by the schema"));
}

#[test]
fn each_hashed_field_without_an_example_shows_its_own_hash() {
    let (schema, page) = page(
        "  run:\n    description: A run.\n    fields:\n      \
         project: { collect: hashed, type: string, description: Project name. }\n      \
         repo: { collect: hashed, type: string, description: Repository name. }\n      \
         branch: { collect: hashed, type: string, description: Branch name., example: main }\n",
    );
    let p = render::example_payload(&schema, &schema.events[0]);
    assert_eq!(p["properties"]["project"], demo_hash("project"));
    assert_eq!(p["properties"]["repo"], demo_hash("repo"));
    assert_eq!(p["properties"]["branch"], demo_hash("main"), "an example is hashed as given");
    assert_ne!(p["properties"]["project"], p["properties"]["repo"]);
    assert!(
        page.contains("## How hashing works\n\nHashed fields: `project` (`run`), `repo` (`run`), `branch` (`run`).\n")
    );
    assert!(page.contains(
        "Hashed values are computed with the demonstration key `example-key`, as HMAC-SHA256 of the example value (of the field's name when it has none)"
    ));
}

#[test]
fn no_hashing_section_when_nothing_is_hashed() {
    let (_, page) = page(
        "  run:\n    description: A run.\n    fields:\n      n: { collect: allowed, type: u8, description: Count. }\n",
    );
    assert!(!page.contains("hash"), "{page}");
    assert!(page.contains(
        "## Example payload\n\nThe `run` event as it is sent. The values are examples (a field without one shows a placeholder of its type), and so are the ids and the timestamp.\n"
    ));
}
