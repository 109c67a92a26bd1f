//! What [`crate::Builder::build`] refuses: a misconfiguration shows up on
//! every machine, whether or not telemetry is on there.

use std::fmt;

use crate::format::WireFormat;

/// The shortest product key `build()` accepts, in bytes
/// ([`crate::Builder::MIN_PRODUCT_KEY_BYTES`] is this value).
pub(crate) const MIN_PRODUCT_KEY_BYTES: usize = 16;

/// Why [`crate::Builder::build`] refused a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// The endpoint is not a URL.
    InvalidEndpoint {
        /// What was given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Plain `http://` to a host that is not loopback: events would travel unencrypted.
    InsecureEndpoint {
        /// What was given.
        url: String,
    },
    /// The proxy set with [`crate::Builder::proxy`] is not a URL, or not http(s).
    InvalidProxy {
        /// What was given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The proxy is plain `http://` to a host that is not loopback: events
    /// would reach it unencrypted.
    InsecureProxy {
        /// What was given.
        url: String,
    },
    /// An endpoint was set, but this build has no HTTP transport (cargo feature `http`).
    HttpUnavailable {
        /// What was given.
        url: String,
    },
    /// The wire format needs an API key ([`crate::Builder::api_key`]).
    MissingApiKey {
        /// The format.
        format: WireFormat,
    },
    /// The schema's context declares required keys that neither the runtime
    /// (`WELL_KNOWN_CONTEXT`) nor the struct given to
    /// [`crate::Builder::context`] fills: every envelope would break the
    /// published payload JSON Schema.
    MissingContext {
        /// `app.name` of the schema.
        app: &'static str,
        /// The keys, in schema order.
        keys: Vec<&'static str>,
    },
    /// The schema declares a well-known context key with a type the
    /// runtime's value cannot carry (`ci` as a string, `app_version` as a
    /// number): every envelope would break the published payload JSON Schema.
    ContextType {
        /// `app.name` of the schema.
        app: &'static str,
        /// The key.
        key: &'static str,
        /// Its declared type.
        declared: &'static str,
        /// What the runtime writes for it.
        runtime: &'static str,
    },
    /// The schema's context requires `app_version`, and the builder was not
    /// given one ([`crate::Builder::app_version`]).
    MissingAppVersion {
        /// `app.name` of the schema.
        app: &'static str,
    },
    /// The struct given to [`crate::Builder::context`] was checked against
    /// another schema.
    ContextForOtherApp {
        /// `app.name` of the handle's schema.
        app: &'static str,
        /// `app.name` of the schema the struct was checked against.
        context_app: &'static str,
    },
    /// The schema hashes fields under the product's key (`hash: product`),
    /// and [`crate::Builder::product_key`] was not given one, or an empty one.
    MissingProductKey {
        /// `app.name` of the schema.
        app: &'static str,
        /// The fields hashed under the product's key (`event.field`, `context.field`).
        fields: Vec<&'static str>,
    },
    /// The key given to [`crate::Builder::product_key`] is shorter than
    /// [`crate::Builder::MIN_PRODUCT_KEY_BYTES`]: a short key can be guessed.
    ShortProductKey {
        /// `app.name` of the schema.
        app: &'static str,
        /// The fields hashed under the product's key.
        fields: Vec<&'static str>,
        /// How many bytes were given (the key itself is never shown).
        len: usize,
    },
    /// The struct given to [`crate::Builder::context`] was checked against
    /// a schema of the same app name but other content (its fingerprint
    /// differs from `app_meta!`'s): a copy, or an out-of-date file.
    ContextFromOtherSchema {
        /// `app.name` of both schemas.
        app: &'static str,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidEndpoint { url, reason } => {
                write!(f, "telemetry endpoint {url:?} is not a valid URL: {reason}")
            }
            BuildError::InsecureEndpoint { url } => write!(
                f,
                "telemetry endpoint {url:?} uses plain http: use https://, or http:// only to 127.0.0.1, localhost or [::1]"
            ),
            BuildError::InvalidProxy { url, reason } => {
                write!(f, "telemetry proxy {url:?} is not a valid proxy URL: {reason}")
            }
            BuildError::InsecureProxy { url } => write!(
                f,
                "telemetry proxy {url:?} uses plain http to a host that is not loopback: events would reach it \
                 unencrypted; use an https:// proxy, or http:// only to 127.0.0.1, localhost or [::1]"
            ),
            BuildError::HttpUnavailable { url } => {
                write!(f, "telemetry endpoint {url:?} needs the HTTP transport: enable telemetry-core's `http` feature")
            }
            BuildError::MissingApiKey { format } => {
                write!(f, "the {} wire format needs an API key: call .api_key(..)", format.name())
            }
            BuildError::MissingContext { app, keys } => {
                let list = listed(keys);
                write!(
                    f,
                    "the {app} schema's context requires {list}, which the runtime cannot fill: derive `TelemetryContext` \
                     on a struct carrying {} against the {app} schema and pass it to .context(..)",
                    if keys.len() == 1 { "it" } else { "them" }
                )
            }
            BuildError::ContextType { app, key, declared, runtime } => write!(
                f,
                "the {app} schema declares context key `{key}` as {declared}, but the runtime fills it with {runtime}: \
                 declare it as {} in the schema, or carry the key in your own TelemetryContext struct",
                if *runtime == "text" { "a string (or an enum of the values you accept)" } else { "a bool" }
            ),
            BuildError::MissingAppVersion { app } => write!(
                f,
                "the {app} schema's context requires `app_version`: call .app_version(env!(\"CARGO_PKG_VERSION\")), \
                 or declare it `required: false`"
            ),
            BuildError::ContextForOtherApp { app, context_app } => write!(
                f,
                "the context struct given to .context(..) was checked against the {context_app} schema, \
                 but this handle is for {app}: derive it with #[telemetry(schema = ...)] naming the {app} schema"
            ),
            BuildError::MissingProductKey { app, fields } => write!(
                f,
                "the {app} schema hashes {} with `hash: product`, under the product's key, and no product key was \
                 given: call .product_key(..) with the product's secret of at least {} bytes, given at build time \
                 from a CI secret (e.g. .product_key(option_env!(\"MYAPP_TELEMETRY_KEY\").unwrap_or_default())) and \
                 never committed; or declare {} `hash: install`",
                listed(fields),
                MIN_PRODUCT_KEY_BYTES,
                if fields.len() == 1 { "it" } else { "them" }
            ),
            BuildError::ShortProductKey { app, fields, len } => write!(
                f,
                "the product key given to .product_key(..) is {len} bytes, and the {app} schema hashes {} under it: \
                 a key shorter than {} bytes can be guessed, and with it every value; make the secret longer \
                 (e.g. 32 random bytes: `openssl rand -hex 32`)",
                listed(fields),
                MIN_PRODUCT_KEY_BYTES
            ),
            BuildError::ContextFromOtherSchema { app } => write!(
                f,
                "the context struct given to .context(..) was checked against another {app} schema than the one \
                 app_meta! names (a copy, or another version of it): derive it from the same schema file"
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// `` `a`, `b` ``: names in backticks, joined.
fn listed(names: &[&str]) -> String {
    names.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}
