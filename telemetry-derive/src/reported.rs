//! Which expansions report a broken schema's errors.
//!
//! rustc loads the macro into one process per crate it compiles, so a
//! schema error is shown once per crate, at the first derive that meets it,
//! not once per derive. rust-analyzer instead keeps one proc-macro server
//! process for the whole session and expands each item again and again: an
//! editor shows only what the latest expansion of an item returned, so
//! there every expansion reports, or the error would vanish from the editor
//! after the first one.
//!
//! Two signals tell them apart. rust-analyzer's server refuses to start
//! without `RUST_ANALYZER_INTERNALS_DO_NOT_USE` in its environment, so that
//! variable marks its process ([`Host::detect`]). And one compiler session
//! expands each macro call once: when the same call (file, line, column)
//! asks again, this is a new session of a long-lived host not recognised by
//! the variable, and it reports again ([`Reports::first`]).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::SystemTime;

/// What runs the macro.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    /// A compiler: one process per crate (rustc, clippy-driver, rustdoc).
    Compiler,
    /// rust-analyzer's long-lived proc-macro server.
    Editor,
}

impl Host {
    /// Which host this process is, from its environment.
    pub(crate) fn detect(var: impl Fn(&str) -> Option<OsString>) -> Host {
        match var("RUST_ANALYZER_INTERNALS_DO_NOT_USE") {
            Some(_) => Host::Editor,
            None => Host::Compiler,
        }
    }
}

/// One broken schema in one crate: the crate being compiled, the schema
/// file and its modification time (an edit is a new schema to report).
pub(crate) type Key = (Option<OsString>, PathBuf, Option<SystemTime>);

/// Where a macro call is: file, line, column.
pub(crate) type Site = (String, usize, usize);

/// The broken schemas this process reported, and the calls that met each.
#[derive(Default)]
pub(crate) struct Reports {
    seen: HashMap<Key, HashSet<Site>>,
}

impl Reports {
    /// Whether the call at `site`, meeting the broken schema `key`, reports
    /// its errors (`false`: an earlier call of this session did).
    pub(crate) fn first(&mut self, host: Host, key: Key, site: Site) -> bool {
        if host == Host::Editor {
            return true;
        }
        let sites = self.seen.entry(key).or_default();
        if sites.contains(&site) {
            // The same call again: a new session; start it afresh.
            sites.clear();
            sites.insert(site);
            return true;
        }
        let first = sites.is_empty();
        sites.insert(site);
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(krate: &str, secs: u64) -> Key {
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        (Some(krate.into()), PathBuf::from("/p/schema.yaml"), Some(time))
    }

    fn site(line: usize) -> Site {
        ("src/main.rs".into(), line, 10)
    }

    #[test]
    fn a_compiler_reports_once_per_crate_and_schema_version() {
        let mut r = Reports::default();
        let c = Host::Compiler;
        assert!(r.first(c, key("app", 1), site(1)));
        assert!(!r.first(c, key("app", 1), site(2)));
        assert!(!r.first(c, key("app", 1), site(3)));
        // Another crate in the same process, and the same crate after an edit.
        assert!(r.first(c, key("lib", 1), site(1)));
        assert!(r.first(c, key("app", 2), site(2)));
    }

    #[test]
    fn an_editor_reports_on_every_expansion() {
        let mut r = Reports::default();
        for line in [1, 2, 1, 1, 2] {
            assert!(r.first(Host::Editor, key("app", 1), site(line)));
        }
    }

    #[test]
    fn the_same_call_again_is_a_new_session() {
        let mut r = Reports::default();
        let c = Host::Compiler;
        assert!(r.first(c, key("app", 1), site(1)));
        assert!(!r.first(c, key("app", 1), site(2)));
        // An unrecognised long-lived host expands line 2 again: it reports,
        // and the rest of that session is once again once per crate.
        assert!(r.first(c, key("app", 1), site(2)));
        assert!(!r.first(c, key("app", 1), site(1)));
        assert!(!r.first(c, key("app", 1), site(3)));
    }

    #[test]
    fn rust_analyzer_is_recognised_by_its_variable() {
        let ra = |name: &str| (name == "RUST_ANALYZER_INTERNALS_DO_NOT_USE").then(|| "this is unstable".into());
        assert_eq!(Host::detect(ra), Host::Editor);
        assert_eq!(Host::detect(|_| None), Host::Compiler);
    }
}
