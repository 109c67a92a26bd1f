//! Where the runtime reads environment variables from, and their names.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::sync::Arc;

/// Reads environment variables: the process environment by default, or a
/// fixed map (tests, or an app that sandboxes its configuration).
///
/// Values are kept as [`OsString`]: an opt-out switch set to bytes that are
/// not valid UTF-8 must still count as set (it turns telemetry off).
///
/// ```
/// use std::ffi::OsString;
/// use telemetry_core::EnvSource;
/// let env = EnvSource::from_pairs([("DO_NOT_TRACK", "1")]);
/// assert_eq!(env.get("DO_NOT_TRACK").as_deref(), Some("1"));
/// assert_eq!(env.get("HOME"), None);
/// # #[cfg(unix)] {
/// use std::os::unix::ffi::OsStringExt;
/// let env = EnvSource::from_os_pairs([("DO_NOT_TRACK", OsString::from_vec(vec![0xff]))]);
/// assert_eq!(env.get("DO_NOT_TRACK"), None, "not valid Unicode");
/// assert_eq!(env.get_os("DO_NOT_TRACK"), Some(OsString::from_vec(vec![0xff])));
/// # }
/// ```
#[derive(Clone)]
pub struct EnvSource(Source);

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

#[derive(Clone)]
enum Source {
    Process,
    Map(Arc<HashMap<String, OsString>>),
    Fn(Arc<Lookup>),
}

impl EnvSource {
    /// The process environment (`std::env::var_os`).
    pub fn process() -> Self {
        EnvSource(Source::Process)
    }

    /// Exactly these variables, nothing from the process.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        EnvSource::from_os_pairs(pairs.into_iter().map(|(k, v)| (k, OsString::from(v.into()))))
    }

    /// Exactly these variables, with values that need not be valid Unicode
    /// (to test what a hostile or broken environment does).
    pub fn from_os_pairs<K: Into<String>, V: Into<OsString>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        EnvSource(Source::Map(Arc::new(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())))
    }

    /// Any lookup function.
    pub fn from_fn(f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        EnvSource(Source::Fn(Arc::new(f)))
    }

    /// The value of `name`, if set and valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        self.get_os(name)?.into_string().ok()
    }

    /// The value of `name`, if set, whether or not it is valid Unicode.
    pub fn get_os(&self, name: &str) -> Option<OsString> {
        match &self.0 {
            Source::Process => std::env::var_os(name),
            Source::Map(m) => m.get(name).cloned(),
            Source::Fn(f) => f(name).map(OsString::from),
        }
    }

    /// A switch's value for consent: `Text` when valid Unicode, else
    /// `NotUnicode` with the value shown lossily (so a reason can name it).
    pub(crate) fn switch(&self, name: &str) -> Option<Value> {
        let raw = self.get_os(name)?;
        Some(match raw.into_string() {
            Ok(s) => Value::Text(s),
            Err(raw) => Value::NotUnicode(lossy(&raw)),
        })
    }
}

/// A variable's value as consent sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Text(String),
    /// Set, but not valid UTF-8: the lossy form, for messages only.
    NotUnicode(String),
}

impl Value {
    /// The text, or the lossy form of a non-Unicode value.
    pub(crate) fn shown(&self) -> &str {
        match self {
            Value::Text(s) | Value::NotUnicode(s) => s,
        }
    }

    /// Whether an opt-out switch with this value turns telemetry off:
    /// [`set_not_false`] for text, and any non-empty non-Unicode value (it
    /// was set on purpose and can mean nothing but "yes").
    pub(crate) fn opts_out(&self) -> bool {
        match self {
            Value::Text(s) => set_not_false(s),
            Value::NotUnicode(_) => true,
        }
    }
}

fn lossy(v: &OsStr) -> String {
    v.to_string_lossy().into_owned()
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
pub(crate) fn env_prefix(app: &str) -> String {
    app.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// The names of the variables the runtime reads for one app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvNames {
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
    pub(crate) fn for_app(app: &str) -> Self {
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
    // An empty `CI=` says nothing: only an explicit `0`/`false` vetoes the services' own variables.
    if let Some(v) = env.switch("CI").filter(|v| !v.shown().trim().is_empty()) {
        return v.opts_out();
    }
    CI_VARS.iter().any(|name| env.get_os(name).is_some_and(|v| !v.is_empty()))
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
    fn empty_ci_does_not_hide_a_service_variable() {
        assert!(is_ci(&EnvSource::from_pairs([("CI", ""), ("GITHUB_ACTIONS", "true")])));
        assert!(is_ci(&EnvSource::from_pairs([("CI", " "), ("GITLAB_CI", "true")])));
        assert!(!is_ci(&EnvSource::from_pairs([("CI", "")])));
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

    #[test]
    fn names_of_an_app_with_a_dash() {
        assert_eq!(env_prefix("example-cli"), "EXAMPLE_CLI");
        let names = EnvNames::for_app("example-cli");
        assert_eq!(names.offline, "EXAMPLE_CLI_TELEMETRY_OFFLINE");
        assert_eq!(names.debug, "EXAMPLE_CLI_TELEMETRY_DEBUG");
        assert_eq!(names.dir, "EXAMPLE_CLI_TELEMETRY_DIR");
        assert_eq!(names.anonymous_id, "EXAMPLE_CLI_ANONYMOUS_ID");
    }
}
