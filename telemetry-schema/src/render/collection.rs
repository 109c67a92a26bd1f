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
    let rows = statements(c);
    for (label, _, said) in &rows {
        if let Some(said) = said {
            line(w, format!("- **{label}:** {said}"));
        }
    }
    line(w, "");
    let missing: Vec<&str> = rows.iter().filter(|row| row.2.is_none()).filter_map(|row| row.1).collect();
    if !missing.is_empty() {
        line(w, format!("{title} states nothing about {}.", join_or(&missing)));
        line(w, "");
    }
}

/// One row per statement, in the page's order: its list label, what it is
/// about in [`ABOUT`]'s words (none for the collector's software: never
/// named as missing), and what the schema says, `None` when nothing.
fn statements(c: &Collection) -> [(&'static str, Option<&'static str>, Option<String>); 7] {
    let retention = c.retention.as_ref().map(|r| match r {
        Retention::Days(1) => "at most 1 day.".to_string(),
        Retention::Days(n) => format!("at most {n} days."),
        Retention::Stated(s) => sentence(s),
    });
    let viewers = (!c.viewers.is_empty()).then(|| {
        let who: Vec<String> = c.viewers.iter().map(|v| text(v).trim_end_matches(['.', ';']).to_string()).collect();
        format!("{}.", who.join("; "))
    });
    let aggregates = c.public_aggregates.as_ref().map(|p| match p {
        PublicAggregates::At(url) => format!("aggregates of the data are public, at {}.", text(url)),
        PublicAggregates::Unlinked => "aggregates of the data are public.".to_string(),
    });
    let seen = "the collector sees it with each request (see [What reaches the collector with each request](#what-reaches-the-collector-with-each-request))";
    let ip = c.ip_address.map(|ip| match ip {
        IpAddress::NotStored => format!("{seen} and does not store it."),
        IpAddress::Truncated => format!(
            "{seen} and stores only a shortened form of it (such as the first three of the four numbers of an IPv4 address), never the whole address."
        ),
        IpAddress::Stored => format!("{seen} and stores it."),
    });
    [
        ("Who runs the collector", Some(ABOUT[0]), c.operator.as_deref().map(sentence)),
        ("What the collector runs on", None, c.service.as_deref().map(sentence)),
        ("Where the data is kept", Some(ABOUT[1]), c.location.as_deref().map(sentence)),
        ("How long the data is kept", Some(ABOUT[2]), retention),
        ("Who can see the data", Some(ABOUT[3]), viewers),
        ("Published aggregates", Some(ABOUT[4]), aggregates),
        ("Your IP address", Some(ABOUT[5]), ip),
    ]
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
