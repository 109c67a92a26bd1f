//! Where the runtime reads environment variables from, and their names.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Reads environment variables: the process environment by default, or a
/// fixed map (tests, or an app that sandboxes its configuration).
///
/// ```
/// use telemetry_core::EnvSource;
/// let env = EnvSource::from_pairs([("DO_NOT_TRACK", "1")]);
/// assert_eq!(env.get("DO_NOT_TRACK").as_deref(), Some("1"));
/// assert_eq!(env.get("HOME"), None);
/// ```
#[derive(Clone)]
pub struct EnvSource(Source);

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

#[derive(Clone)]
enum Source {
    Process,
    Map(Arc<HashMap<String, String>>),
    Fn(Arc<Lookup>),
}

impl EnvSource {
    /// The process environment (`std::env::var`).
    pub fn process() -> Self {
        EnvSource(Source::Process)
    }

    /// Exactly these variables, nothing from the process.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        EnvSource(Source::Map(Arc::new(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())))
    }

    /// Any lookup function.
    pub fn from_fn(f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        EnvSource(Source::Fn(Arc::new(f)))
    }

    /// The value of `name`, if set and valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.0 {
            Source::Process => std::env::var(name).ok(),
            Source::Map(m) => m.get(name).cloned(),
            Source::Fn(f) => f(name),
        }
    }
}

impl Default for EnvSource {
    fn default() -> Self {
        EnvSource::process()
    }
}

impl fmt::Debug for EnvSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Source::Process => "EnvSource::process()",
            Source::Map(_) => "EnvSource::from_pairs(..)",
            Source::Fn(_) => "EnvSource::from_fn(..)",
        })
    }
}

/// The prefix of an app's own variables: `example-cli` → `EXAMPLE_CLI`.
///
/// ```
/// assert_eq!(telemetry_core::env_prefix("example-cli"), "EXAMPLE_CLI");
/// ```
pub fn env_prefix(app: &str) -> String {
    app.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// The names of the variables the runtime reads for one app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvNames {
    /// `<APP>_TELEMETRY_OFFLINE`: any non-empty value other than `0`/`false` turns telemetry off.
    pub offline: String,
    /// `<APP>_TELEMETRY_DEBUG`: truthy prints events to stderr instead of sending them.
    pub debug: String,
    /// `<APP>_TELEMETRY_DIR`: where state lives instead of the platform config dir.
    pub dir: String,
    /// `<APP>_ANONYMOUS_ID`: a UUID to use instead of the stored anonymous id.
    pub anonymous_id: String,
}

impl EnvNames {
    /// The names for `app`.
    ///
    /// ```
    /// let names = telemetry_core::EnvNames::for_app("example-cli");
    /// assert_eq!(names.offline, "EXAMPLE_CLI_TELEMETRY_OFFLINE");
    /// assert_eq!(names.dir, "EXAMPLE_CLI_TELEMETRY_DIR");
    /// ```
    pub fn for_app(app: &str) -> Self {
        let p = env_prefix(app);
        EnvNames {
            offline: format!("{p}_TELEMETRY_OFFLINE"),
            debug: format!("{p}_TELEMETRY_DEBUG"),
            dir: format!("{p}_TELEMETRY_DIR"),
            anonymous_id: format!("{p}_ANONYMOUS_ID"),
        }
    }
}

/// The `DO_NOT_TRACK` convention (and `<APP>_TELEMETRY_OFFLINE`): set to
/// anything but empty, `0` or `false`.
pub(crate) fn set_not_false(value: &str) -> bool {
    let v = value.trim();
    !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false"))
}

/// Variables that CI services set.
const CI_VARS: &[&str] = &[
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "BUILDKITE",
    "CIRCLECI",
    "TRAVIS",
    "JENKINS_URL",
    "TF_BUILD",
    "TEAMCITY_VERSION",
    "BITBUCKET_BUILD_NUMBER",
    "CODEBUILD_BUILD_ID",
    "DRONE",
    "APPVEYOR",
];

/// Whether this looks like a CI run: `CI` set (and not `0`/`false`), or a
/// variable that a well-known CI service sets.
pub(crate) fn is_ci(env: &EnvSource) -> bool {
    if let Some(v) = env.get("CI") {
        return set_not_false(&v);
    }
    CI_VARS.iter().any(|name| env.get(name).is_some_and(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_detection() {
        assert!(is_ci(&EnvSource::from_pairs([("CI", "true")])));
        assert!(!is_ci(&EnvSource::from_pairs([("CI", "false"), ("GITHUB_ACTIONS", "true")])));
        assert!(is_ci(&EnvSource::from_pairs([("GITHUB_ACTIONS", "true")])));
        assert!(!is_ci(&EnvSource::from_pairs::<&str, &str>([])));
    }

    #[test]
    fn not_false() {
        for v in ["1", "true", "yes", "anything"] {
            assert!(set_not_false(v), "{v}");
        }
        for v in ["", " ", "0", "false", "FALSE"] {
            assert!(!set_not_false(v), "{v}");
        }
    }
}
