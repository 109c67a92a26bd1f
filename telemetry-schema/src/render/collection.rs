//! The page's "What happens to the data on the server" section. It keeps
//! two kinds of sentence apart: what the product's own code enforces on the
//! user's machine (HTTPS: telemetry-core refuses a plain `http://` endpoint
//! or proxy that is not loopback, tested by `insecure_endpoints_rejected_at_build`
//! in `telemetry-core/tests/delivery.rs` and by `tests/proxy.rs`), and what
//! the product states about its server in the schema's `collection:`
//! section, which nothing on the machine can check. What the schema does
//! not state, the page says is not stated.

use super::text::{line, text};
use crate::model::{Collection, IpAddress, PublicAggregates, Retention, Schema};

/// What each statement is about, as the "states nothing about" sentence names it.
const ABOUT: [&str; 6] = [
    "who runs the collector",
    "where the data is kept",
    "how long the data is kept",
    "who can see the data",
    "whether aggregates of the data are published",
    "what is done with your IP address",
];

pub(super) fn collection(w: &mut String, schema: &Schema) {
    let title = &text(&schema.app.title);
    let term = schema.app.term();
    line(w, "## What happens to the data on the server");
    line(w, "");
    line(
        w,
        format!(
            "**What {title} enforces on your machine.** When it sends {term} to a collector, it uses HTTPS, so what is sent is encrypted on the way: {title} refuses to send to a plain `http://` address other than your own machine's (`localhost`, `127.0.0.1`, `[::1]`)."
        ),
    );
    line(w, "");
    let stated = schema.collection.as_ref().filter(|c| c.states_anything());
    let Some(c) = stated else {
        line(
            w,
            format!(
                "{title} states nothing about what happens to the data once it reaches the collector: {}. This page promises nothing about them.",
                join_or(&ABOUT)
            ),
        );
        line(w, "");
        return;
    };
    line(
        w,
        format!(
            "**What {title} states about its server.** These are {title}'s own commitments about the collector it sends to; nothing on your machine can enforce or check them:"
        ),
    );
    line(w, "");
    for l in statements(c) {
        line(w, l);
    }
    line(w, "");
    let missing: Vec<&str> = [
        c.operator.is_none(),
        c.location.is_none(),
        c.retention.is_none(),
        c.viewers.is_empty(),
        c.public_aggregates.is_none(),
        c.ip_address.is_none(),
    ]
    .iter()
    .zip(ABOUT)
    .filter_map(|(missing, about)| missing.then_some(about))
    .collect();
    if !missing.is_empty() {
        line(w, format!("{title} states nothing about {}.", join_or(&missing)));
        line(w, "");
    }
}

/// One list item per statement, in the order of [`ABOUT`].
fn statements(c: &Collection) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(o) = &c.operator {
        out.push(format!("- **Who runs the collector:** {}", sentence(o)));
    }
    if let Some(s) = &c.service {
        out.push(format!("- **What the collector runs on:** {}", sentence(s)));
    }
    if let Some(l) = &c.location {
        out.push(format!("- **Where the data is kept:** {}", sentence(l)));
    }
    match &c.retention {
        Some(Retention::Days(1)) => out.push("- **How long the data is kept:** at most 1 day.".into()),
        Some(Retention::Days(n)) => out.push(format!("- **How long the data is kept:** at most {n} days.")),
        Some(Retention::Stated(s)) => out.push(format!("- **How long the data is kept:** {}", sentence(s))),
        None => {}
    }
    if !c.viewers.is_empty() {
        let who: Vec<String> = c.viewers.iter().map(|v| text(v).trim_end_matches(['.', ';']).to_string()).collect();
        out.push(format!("- **Who can see the data:** {}.", who.join("; ")));
    }
    match &c.public_aggregates {
        Some(PublicAggregates::At(url)) => {
            out.push(format!("- **Published aggregates:** aggregates of the data are public, at {}.", text(url)))
        }
        Some(PublicAggregates::Unlinked) => {
            out.push("- **Published aggregates:** aggregates of the data are public.".into())
        }
        None => {}
    }
    let seen = "the collector sees it with each request (see [What reaches the collector with each request](#what-reaches-the-collector-with-each-request))";
    match c.ip_address {
        Some(IpAddress::NotStored) => out.push(format!("- **Your IP address:** {seen} and does not store it.")),
        Some(IpAddress::Truncated) => out.push(format!(
            "- **Your IP address:** {seen} and stores only a shortened form of it (such as the first three of the four numbers of an IPv4 address), never the whole address."
        )),
        Some(IpAddress::Stored) => out.push(format!("- **Your IP address:** {seen} and stores it.")),
        None => {}
    }
    out
}

/// Schema text as a sentence: escaped, ending with a full stop.
fn sentence(raw: &str) -> String {
    let mut s = text(raw);
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::render::markdown;

    const APP: &str = "version: 1\napp: { name: demo, title: Demo, description: x, term: analytics }\nevents: { e: { description: x } }\n";

    /// The section of the page rendered from `yaml`, up to the next section.
    fn section(yaml: &str) -> String {
        let page = markdown(&crate::load_str(yaml, "demo.yaml").unwrap());
        let at = page.find("## What happens to the data on the server\n").expect("the section");
        let rest = &page[at..];
        let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
        rest[..end].to_string()
    }

    const ENFORCED: &str = "## What happens to the data on the server\n\n**What Demo enforces on your machine.** When it sends analytics to a collector, it uses HTTPS, so what is sent is encrypted on the way: Demo refuses to send to a plain `http://` address other than your own machine's (`localhost`, `127.0.0.1`, `[::1]`).\n\n";

    #[test]
    fn without_the_section_the_page_says_nothing_is_stated() {
        let expected = format!(
            "{ENFORCED}Demo states nothing about what happens to the data once it reaches the collector: who runs the collector, where the data is kept, how long the data is kept, who can see the data, whether aggregates of the data are published or what is done with your IP address. This page promises nothing about them.\n\n"
        );
        assert_eq!(section(APP), expected);
        // A section that holds only its review states nothing either.
        assert_eq!(
            section(&format!("{APP}collection: {{ data_review: \"https://example.org/review/1\" }}\n")),
            expected
        );
    }

    #[test]
    fn every_statement_is_the_products_own() {
        let yaml = format!(
            "{APP}collection:\n  operator: The Demo project\n  service: InfluxDB\n  location: EU\n  retention_days: 365\n  viewers: [Demo maintainers who are granted access, \"Auditors | yearly\"]\n  public_aggregates: https://demo.example.org/analytics/\n  ip_address: not_stored\n"
        );
        assert_eq!(
            section(&yaml),
            format!(
                "{ENFORCED}**What Demo states about its server.** These are Demo's own commitments about the collector it sends to; nothing on your machine can enforce or check them:\n\n\
                 - **Who runs the collector:** The Demo project.\n\
                 - **What the collector runs on:** InfluxDB.\n\
                 - **Where the data is kept:** EU.\n\
                 - **How long the data is kept:** at most 365 days.\n\
                 - **Who can see the data:** Demo maintainers who are granted access; Auditors \\| yearly.\n\
                 - **Published aggregates:** aggregates of the data are public, at https://demo.example.org/analytics/.\n\
                 - **Your IP address:** the collector sees it with each request (see [What reaches the collector with each request](#what-reaches-the-collector-with-each-request)) and does not store it.\n\n"
            )
        );
    }

    #[test]
    fn what_is_left_out_is_named_as_not_stated() {
        let yaml = format!(
            "{APP}collection:\n  retention: Until the quarter's aggregates are published\n  public_aggregates: true\n  ip_address: truncated\n"
        );
        assert_eq!(
            section(&yaml),
            format!(
                "{ENFORCED}**What Demo states about its server.** These are Demo's own commitments about the collector it sends to; nothing on your machine can enforce or check them:\n\n\
                 - **How long the data is kept:** Until the quarter's aggregates are published.\n\
                 - **Published aggregates:** aggregates of the data are public.\n\
                 - **Your IP address:** the collector sees it with each request (see [What reaches the collector with each request](#what-reaches-the-collector-with-each-request)) and stores only a shortened form of it (such as the first three of the four numbers of an IPv4 address), never the whole address.\n\n\
                 Demo states nothing about who runs the collector, where the data is kept or who can see the data.\n\n"
            )
        );
        let stored = section(&format!("{APP}collection: {{ ip_address: stored, retention_days: 1 }}\n"));
        assert!(stored.contains("- **How long the data is kept:** at most 1 day.\n"), "{stored}");
        assert!(stored.contains("#what-reaches-the-collector-with-each-request)) and stores it.\n"), "{stored}");
    }
}
