//! From the located YAML tree to the model. Shape problems (unknown keys,
//! wrong value kinds, missing keys) are collected here; the rules about
//! what a field may say live in `valid/`. This file reads the document
//! root, `app` and `never_collected`; `consent.rs` and `fields.rs` read the
//! two larger sections, `collection.rs` the product's statements about its server.

pub(crate) mod collection;
pub(crate) mod consent;
mod fields;
pub(crate) mod govern;
mod metrics;
pub(crate) mod shape;

#[cfg(feature = "serde")]
pub(crate) use fields::value;

use crate::error::Diags;
use crate::model::{
    App, Consent, ConsentDefault, Event, Field, FirstRun, Identity, Metric, MetricsPeriod, NeverCollected, Schema,
};
use crate::yaml::{Node, NodeKind};
use consent::{consent, env_name};
use fields::{events, fields};
use shape::{Map, keyword, non_empty, string};

/// What parsed of a schema that is in error: the loader still applies the
/// rules to it.
#[derive(Default)]
pub(crate) struct Partial {
    pub(crate) context: Vec<Field>,
    pub(crate) events: Vec<Event>,
    pub(crate) metrics: Vec<Metric>,
}

/// The keys of the document root, then its governance keys.
pub(crate) const ROOT_KEYS: &[&str] =
    &["version", "app", "consent", "context", "events", "metrics", "metrics_period", "never_collected", "collection"];
pub(crate) const ROOT_GOVERNED: &[&str] = &["schema_version", "history"];
/// The governance keys of `app`.
pub(crate) const APP_GOVERNED: &[&str] = &["owner", "data_review"];

/// Entry point: the document root to a schema, or what parsed of it.
pub(crate) fn schema(root: &Node, file: &std::path::Path, d: &mut Diags) -> Result<Schema, Partial> {
    let m = Map::governed(root, "the schema", ROOT_KEYS, ROOT_GOVERNED, d).ok_or_else(Partial::default)?;

    let version = m.required("version", "the schema", "1", d).and_then(|v| version(v, d));
    let app =
        m.required("app", "the schema", "{ name: my-app, title: My App, description: ... }", d).and_then(|n| app(n, d));
    let consent = match m.value("consent") {
        Some(n) => consent(n, d),
        None => Some(default_consent()),
    };
    let context = match m.value("context") {
        Some(n) => Map::new(n, "`context`", &["fields"], d).and_then(|c| match c.value("fields") {
            Some(f) => fields(f, "`context.fields`", 0, d),
            None => Some(Vec::new()),
        }),
        None => Some(Vec::new()),
    };
    let events = match m.required("events", "the schema", "{ my_event: { description: ..., fields: {...} } }", d) {
        Some(n) => events(n, d),
        None => Err(Vec::new()),
    };
    let measured = measured(&m, d);
    let never_collected = match m.value("never_collected") {
        Some(n) => never_collected(n, d),
        None => Some(Vec::new()),
    };
    let collection = match m.value("collection") {
        Some(n) => collection::collection(n, d).map(Some),
        None => Some(None),
    };
    let schema_version = match m.value("schema_version") {
        Some(n) => govern::schema_version(n, d).map(Some),
        None => Some(None),
    };
    let history = match m.value("history") {
        Some(n) => govern::history(n, d),
        None => Some(Vec::new()),
    };
    let governance = schema_version.zip(history);
    let never_collected = never_collected.zip(collection);
    match (version, app, consent, context, events, measured, never_collected, governance) {
        (
            Some(version),
            Some(app),
            Some(consent),
            Some(context),
            Ok(events),
            Ok((metrics, metrics_period)),
            Some((never_collected, collection)),
            Some((schema_version, history)),
        ) => Ok(Schema {
            file: file.to_path_buf(),
            version,
            app,
            consent,
            context,
            events,
            metrics,
            metrics_period,
            never_collected,
            collection,
            schema_version,
            history,
            warnings: Vec::new(),
        }),
        (_, _, _, context, events, measured, _, _) => Err(Partial {
            context: context.unwrap_or_default(),
            events: events.unwrap_or_else(|partial| partial),
            metrics: measured.map_or_else(|partial| partial, |(metrics, _)| metrics),
        }),
    }
}

/// The consent of a schema without `consent:`: on, honouring `DO_NOT_TRACK`.
fn default_consent() -> Consent {
    Consent {
        default: ConsentDefault::Enabled,
        do_not_track: true,
        env: Vec::new(),
        first_run: FirstRun::Send,
        opt_out_command: None,
        data_review: None,
    }
}

/// `metrics:` and `metrics_period:`; on an error, the metrics that parsed.
fn measured(m: &Map<'_>, d: &mut Diags) -> Result<(Vec<Metric>, MetricsPeriod), Vec<Metric>> {
    let metrics = match m.value("metrics") {
        Some(n) => metrics::metrics(n, d),
        None => Ok(Vec::new()),
    };
    let period = match m.value("metrics_period") {
        Some(n) => metrics::period(n, d),
        None => Some(MetricsPeriod::Daily),
    };
    match (metrics, period) {
        (Ok(metrics), Some(period)) => Ok((metrics, period)),
        (Ok(metrics) | Err(metrics), _) => Err(metrics),
    }
}

/// `version:`, which must be the whole number 1.
fn version(v: &Node, d: &mut Diags) -> Option<u32> {
    match (v.as_i128(), &v.kind) {
        (Some(1), _) => Some(1),
        (Some(n), _) => {
            d.error(v.loc, format!("unsupported schema version `{n}`"), "this toolkit reads `version: 1`");
            None
        }
        (None, NodeKind::Scalar { text, plain }) if !v.is_null() => {
            // `"1"` or `1.0`: not "unsupported schema version `1`", which would
            // contradict its own help.
            let found = if *plain { format!("`{text}`") } else { format!("the quoted string `{text}`") };
            d.error(
                v.loc,
                format!("the schema version must be a whole number, found {found}"),
                "write `version: 1`, unquoted",
            );
            None
        }
        (None, _) => {
            d.error(
                v.loc,
                format!("the schema version must be a whole number, found {}", v.describe()),
                "write `version: 1`",
            );
            None
        }
    }
}

/// The keys of `app` (besides the governance keys `owner` and `data_review`).
pub(crate) const APP_KEYS: &[&str] =
    &["name", "title", "description", "docs_url", "privacy_url", "identity", "anonymous_id_env", "term"];

fn app(node: &Node, d: &mut Diags) -> Option<App> {
    let m = Map::governed(node, "`app`", APP_KEYS, APP_GOVERNED, d)?;
    let name = m.required("name", "`app`", "my-app", d).and_then(|n| {
        let s = string(n, "`app.name`", d)?;
        let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            d.error(
                n.loc,
                format!("`app.name` `{s}` is not a valid identifier"),
                "use lowercase letters, digits, `-` and `_`, starting with a letter (e.g. `my-app`)",
            );
            return None;
        }
        Some(s)
    });
    let title = m.required("title", "`app`", "My App", d).and_then(|n| non_empty(n, "`app.title`", d));
    let description = m
        .required("description", "`app`", "Why we collect and how it helps.", d)
        .and_then(|n| non_empty(n, "`app.description`", d));
    let url = |key: &str, d: &mut Diags| -> Option<Option<String>> {
        match m.value(key) {
            None => Some(None),
            Some(n) => {
                let s = string(n, key, d)?;
                if let Some(problem) = url_problem(&s) {
                    d.error(
                        n.loc,
                        format!("`app.{key}` must be a plain https URL: {problem}"),
                        "write the full address, e.g. `https://example.org/telemetry`; the page shows it as a link, so it may hold letters, digits and `-._~:/?#@!$+,;=%&` only",
                    );
                    return None;
                }
                Some(Some(s))
            }
        }
    };
    let docs_url = url("docs_url", d);
    let privacy_url = url("privacy_url", d);
    let (identity, anonymous_id_env) = identity(&m, d);
    let term = match m.value("term") {
        None => Some(None),
        Some(n) => term(n, d).map(Some),
    };
    let owner = match m.value("owner") {
        None => Some(None),
        Some(n) => govern::owner(n, "`app.owner`", d).map(Some),
    };
    let data_review = govern::review_key(&m, "`app`", d);
    Some(App {
        owner: owner?,
        data_review: data_review?,
        name: name?,
        title: title?,
        term: term?,
        description: description?,
        docs_url: docs_url?,
        privacy_url: privacy_url?,
        anonymous_id_env: anonymous_id_env?,
        identity: identity?,
    })
}

/// `app.identity` (`install` when absent) and `app.anonymous_id_env`, which
/// only an install id can take.
fn identity(m: &Map<'_>, d: &mut Diags) -> (Option<Identity>, Option<Option<String>>) {
    let identity = match m.value("identity") {
        None => Some(Identity::Install),
        Some(n) => keyword(
            n,
            "`app.identity`",
            &[("install", Identity::Install), ("run", Identity::Run), ("none", Identity::None)],
            d,
        ),
    };
    let anonymous_id_env = match m.get("anonymous_id_env") {
        None => Some(None),
        Some((key, n)) => {
            if let Some(other) = identity.filter(|i| *i != Identity::Install) {
                d.error(
                    key.loc,
                    format!(
                        "`app.anonymous_id_env` replaces the install id, but `app.identity` is `{}`",
                        other.as_str()
                    ),
                    "remove `anonymous_id_env`, or set `identity: install`",
                );
            }
            env_name(n, "MY_APP_ANONYMOUS_ID", d).map(Some)
        }
    };
    (identity, anonymous_id_env)
}

/// `app.term`: lowercase words the page, the notice and `status` put where
/// they would say "telemetry" (`analytics`, `usage data`).
fn term(node: &Node, d: &mut Diags) -> Option<String> {
    let s = string(node, "`app.term`", d)?;
    let words_ok =
        !s.is_empty() && s.split(' ').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    if !words_ok || s.len() > 32 {
        d.error(
            node.loc,
            format!("`app.term` `{}` is not a plain lowercase term", s.chars().take(40).collect::<String>()),
            "write the product's word for its telemetry as a sentence uses it, e.g. `analytics` or `usage data`: lowercase letters and `-`, words one space apart, at most 32 characters",
        );
        return None;
    }
    Some(s)
}

/// Why `url` is not a plain `https` URL the page can show as a link, if it is not.
pub(super) fn url_problem(url: &str) -> Option<String> {
    let Some(rest) = url.strip_prefix("https://") else {
        let shown: String = url.chars().take(40).collect();
        return Some(format!("`{shown}` does not start with `https://`"));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Some("it names no host".into());
    }
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#@!$+,;=%&".contains(c);
    url.chars().find(|c| !plain(*c)).map(|c| match c {
        c if c.is_whitespace() => "it contains whitespace".to_string(),
        c if c.is_ascii_graphic() => format!("it contains {c:?}, which Markdown or HTML would read"),
        c => format!("it contains {c:?}, which is not plain ASCII"),
    })
}

fn never_collected(node: &Node, d: &mut Diags) -> Option<Vec<NeverCollected>> {
    let NodeKind::Seq(items) = &node.kind else {
        d.error(
            node.loc,
            format!("`never_collected` must be a list, found {}", node.describe()),
            "write one `- statement` per line",
        );
        return None;
    };
    // Every entry is checked, not just the ones before the first bad one.
    let entry = |item: &Node, d: &mut Diags| -> Option<NeverCollected> {
        if item.scalar().is_some() {
            return Some(NeverCollected { what: non_empty(item, "a `never_collected` entry", d)?, reason: None });
        }
        let m = Map::new(item, "a `never_collected` entry", &["what", "reason"], d)?;
        let what = m
            .required("what", "a `never_collected` entry", "Your data records.", d)
            .and_then(|n| non_empty(n, "`what`", d));
        let reason = match m.value("reason") {
            Some(n) => non_empty(n, "`reason`", d).map(Some),
            None => Some(None),
        };
        Some(NeverCollected { what: what?, reason: reason? })
    };
    let entries: Vec<Option<NeverCollected>> = items.iter().map(|item| entry(item, d)).collect();
    entries.into_iter().collect()
}

#[cfg(test)]
mod tests {
    const APP: &str =
        "version: 1\nevents: { e: { description: x } }\napp:\n  name: demo\n  title: Demo\n  description: x\n";

    #[test]
    fn anonymous_id_env_is_read() {
        let s = crate::load_str(&format!("{APP}  anonymous_id_env: DEMO_ANALYTICS_ID\n"), "demo.yaml").unwrap();
        assert_eq!(s.app.anonymous_id_env.as_deref(), Some("DEMO_ANALYTICS_ID"));
        let s = crate::load_str(APP, "demo.yaml").unwrap();
        assert_eq!(s.app.anonymous_id_env, None);
    }

    #[test]
    fn anonymous_id_env_must_be_a_variable_name() {
        let err = crate::load_str(&format!("{APP}  anonymous_id_env: demo-id\n"), "demo.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "demo.yaml:7:21: error: `demo-id` is not an environment variable name\n  help: use uppercase letters, digits and `_`, e.g. `MY_APP_ANONYMOUS_ID`"
        );
    }
}
