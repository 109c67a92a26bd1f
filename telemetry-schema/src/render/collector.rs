//! The page's "What reaches the collector with each request" section: what
//! a collector receives beyond the payload (the sender's IP address), and
//! what the runtime asks each backend to do with it. Each sentence is
//! telemetry-core's behaviour, tested there: the PostHog flags and the
//! Segment keys by `transport/http/official.rs` (against the official
//! clients' bodies) and `tests/delivery.rs`; docs/schema-reference.md,
//! "What each wire format carries", cites the backends' documentation.

use super::text::{line, text};
use crate::model::{Identity, Schema};

pub(super) fn collector(w: &mut String, schema: &Schema) {
    let title = &text(&schema.app.title);
    let term = schema.app.term();
    line(w, "## What reaches the collector with each request");
    line(w, "");
    line(
        w,
        format!(
            "Every request {title} sends comes from your machine's IP address, as any connection over the internet does: the collector that receives it sees that address, although the address is not part of the payload. What {title} asks the collector to do with it depends on where it sends {term}:"
        ),
    );
    line(w, "");
    // The profile PostHog would make is keyed by `distinct_id`: say whose id
    // that is under the schema's identity, not "your install" when none is kept.
    let profile = match schema.app.identity {
        Identity::Install => "for your install",
        Identity::Run => "for a run",
        Identity::None => "from an event's own id",
    };
    line(
        w,
        format!(
            "- **PostHog:** every event carries `\"$geoip_disable\": true`, which asks PostHog not to look up a location from the address, and `\"$process_person_profile\": false`, which asks it not to make a person profile {profile}. Whether PostHog stores the address itself is a setting of the PostHog project that receives the events; a request cannot change it."
        ),
    );
    line(
        w,
        "- **Segment:** no event carries an IP address (`context.ip`) or `context.direct`, the two ways Segment documents for recording the sender's address with events sent to its HTTP API. Segment documents no way for a request to keep its servers from seeing the address.",
    );
    line(
        w,
        "- **OpenTelemetry (OTLP) or the toolkit's own format:** the request has no field for the address; what the collector does with it is up to whoever runs the collector.",
    );
    line(w, "");
}

#[cfg(test)]
mod tests {
    use crate::render::markdown;

    #[test]
    fn the_section_names_the_address_and_each_backends_flags() {
        let schema = crate::load_str(include_str!("../../tests/golden/small.yaml"), "golden/small.yaml").unwrap();
        let page = markdown(&schema);
        let at = page.find("## What reaches the collector with each request\n").expect("the section");
        let section = &page[at..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 4)];
        for words in [
            "Every request Small Tool sends comes from your machine's IP address",
            "`\"$geoip_disable\": true`",
            "`\"$process_person_profile\": false`, which asks it not to make a person profile for your install.",
            "no event carries an IP address (`context.ip`) or `context.direct`",
            "Segment documents no way for a request to keep its servers from seeing the address.",
            "the request has no field for the address",
        ] {
            assert!(section.contains(words), "{words:?} in:\n{section}");
        }
    }

    #[test]
    fn with_no_id_the_profile_posthog_is_asked_not_to_make_is_not_an_installs() {
        let yaml = include_str!("../../tests/golden/small.yaml")
            .replace("  anonymous_id_env: SMALL_ANONYMOUS_ID\n", "  identity: none\n");
        let page = markdown(&crate::load_str(&yaml, "golden/small.yaml").unwrap());
        assert!(page.contains("asks it not to make a person profile from an event's own id."), "{page}");
        assert!(!page.contains("person profile for your install"), "{page}");
    }
}
