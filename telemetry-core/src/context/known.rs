//! The well-known context keys: what the runtime writes for each, read
//! from the machine, or the fixed values of `Builder::for_tests`.

use std::path::Path;

use crate::env::{EnvSource, is_ci};

/// Context keys the runtime knows how to fill. The derive reads the same list
/// from `telemetry_schema::WELL_KNOWN_CONTEXT` (the runtime does not depend on
/// the schema crate, to keep YAML parsing out of applications);
/// `tests/tests/context_pass.rs` checks the two are equal.
pub const WELL_KNOWN_CONTEXT: &[&str] = &["os", "os_version", "arch", "app_version", "ci", "container", "locale"];

/// A well-known key's value on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Text(String),
    Bool(bool),
}

/// Whether the runtime writes a key as text or as a bool: its declared
/// type must carry that. `None` for a key the runtime does not fill.
pub(crate) fn writes_bool(name: &str) -> Option<bool> {
    match name {
        "ci" | "container" => Some(true),
        "os" | "os_version" | "arch" | "app_version" | "locale" => Some(false),
        _ => None,
    }
}

/// The app version a [`crate::Builder::for_tests`] handle sends when the
/// test gives none.
pub(crate) const TEST_APP_VERSION: &str = "0.0.0";

/// What the runtime knows about the machine, read once by `build()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    os: String,
    os_version: Option<String>,
    arch: String,
    ci: bool,
    /// `None`: not looked for (the schema does not declare it).
    container: Option<bool>,
    locale: Option<String>,
}

/// The file system as `Facts::machine` reads it, so a test can fake it.
pub(crate) trait Files {
    /// The text of a file, if it can be read.
    fn read(&self, path: &str) -> Option<String>;
    /// Whether a path exists.
    fn exists(&self, path: &str) -> bool;
}

/// The real file system.
pub(crate) struct Disk;

impl Files for Disk {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
    fn exists(&self, path: &str) -> bool {
        Path::new(path).exists()
    }
}

impl Facts {
    /// This machine: the target's OS and architecture, the kernel release
    /// (Linux only), the CI and container marks, the locale variables. Of
    /// the keys read from files, only those `declared` asks for: the others
    /// would cost `build()` file reads for values never sent.
    pub(crate) fn machine(env: &EnvSource, files: &dyn Files, declared: impl Fn(&str) -> bool) -> Facts {
        let linux = cfg!(target_os = "linux");
        Facts {
            os: std::env::consts::OS.into(),
            os_version: if linux && declared("os_version") { os_version(files) } else { None },
            arch: std::env::consts::ARCH.into(),
            ci: is_ci(env),
            container: declared("container").then(|| in_container(env, files)),
            locale: locale(env),
        }
    }

    /// The values of `Builder::for_tests`, the same on every machine.
    pub(crate) fn fixed() -> Facts {
        Facts {
            os: "linux".into(),
            os_version: Some("6.0.0".into()),
            arch: "x86_64".into(),
            ci: false,
            container: Some(false),
            locale: Some("en_US".into()),
        }
    }

    /// The value of a well-known key, `None` when unknown here.
    pub(crate) fn get(&self, name: &str, app_version: Option<&str>) -> Option<Value> {
        let text = |s: &str| Some(Value::Text(s.to_string()));
        match name {
            "os" => text(&self.os),
            "os_version" => self.os_version.as_deref().and_then(text),
            "arch" => text(&self.arch),
            "app_version" => app_version.and_then(text),
            "ci" => Some(Value::Bool(self.ci)),
            "container" => self.container.map(Value::Bool),
            "locale" => self.locale.as_deref().and_then(text),
            _ => None,
        }
    }
}

/// The kernel release (no user data, no process spawned).
fn os_version(files: &dyn Files) -> Option<String> {
    let v = files.read("/proc/sys/kernel/osrelease")?;
    let v = v.trim();
    (!v.is_empty() && v.len() <= 64).then(|| v.to_string())
}

/// Docker, Podman, systemd-nspawn, Kubernetes and LXC leave these marks.
fn in_container(env: &EnvSource, files: &dyn Files) -> bool {
    if env.get("container").is_some_and(|v| !v.is_empty()) || env.get("KUBERNETES_SERVICE_HOST").is_some() {
        return true;
    }
    if files.exists("/.dockerenv") || files.exists("/run/.containerenv") {
        return true;
    }
    files
        .read("/proc/1/cgroup")
        .is_some_and(|c| ["docker", "kubepods", "containerd", "lxc", "libpod"].iter().any(|m| c.contains(m)))
}

/// `LC_ALL`, `LC_MESSAGES` or `LANG`, without encoding or modifier: `en_US`.
fn locale(env: &EnvSource) -> Option<String> {
    let raw = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| env.get(v).filter(|s| !s.is_empty()))?;
    let tag = raw.split(['.', '@']).next().unwrap_or_default();
    let ok = !tag.is_empty()
        && tag.len() <= 16
        && tag != "C"
        && tag != "POSIX"
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then(|| tag.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A machine with these files, which remembers the paths looked at.
    struct Fake(Vec<(&'static str, String)>, std::cell::RefCell<Vec<String>>);

    fn fake(files: &[(&'static str, &str)]) -> Fake {
        Fake(files.iter().map(|(p, t)| (*p, t.to_string())).collect(), Default::default())
    }

    impl Files for Fake {
        fn read(&self, path: &str) -> Option<String> {
            self.1.borrow_mut().push(path.into());
            self.0.iter().find(|(p, _)| *p == path).map(|(_, t)| t.clone())
        }
        fn exists(&self, path: &str) -> bool {
            self.1.borrow_mut().push(path.into());
            self.0.iter().any(|(p, _)| *p == path)
        }
    }

    /// A schema that declares neither `os_version` nor `container` has no
    /// file read for them (`build()` read four files for values never sent).
    #[test]
    fn files_are_read_only_for_declared_keys() {
        let files = fake(&[("/proc/sys/kernel/osrelease", "6.8.0\n"), ("/.dockerenv", "")]);
        let env = EnvSource::from_pairs::<&str, &str>([]);
        let facts = Facts::machine(&env, &files, |key| ["os", "arch", "ci"].contains(&key));
        assert_eq!(*files.1.borrow(), Vec::<String>::new());
        assert_eq!((facts.get("os_version", None), facts.get("container", None)), (None, None));
        let facts = Facts::machine(&env, &files, |key| ["os_version", "container"].contains(&key));
        if cfg!(target_os = "linux") {
            assert_eq!(files.1.borrow().first().map(String::as_str), Some("/proc/sys/kernel/osrelease"));
            assert_eq!(facts.get("os_version", None), Some(Value::Text("6.8.0".into())));
        }
        assert_eq!(facts.get("container", None), Some(Value::Bool(true)));
    }

    #[test]
    fn locale_rejects_odd_values() {
        assert_eq!(locale(&EnvSource::from_pairs([("LANG", "C.UTF-8")])), None);
        assert_eq!(locale(&EnvSource::from_pairs([("LC_ALL", "fr_FR@euro")])).as_deref(), Some("fr_FR"));
    }

    #[test]
    fn container_marks_from_files_and_variables() {
        let none = EnvSource::from_pairs::<&str, &str>([]);
        assert!(!in_container(&none, &fake(&[("/proc/1/cgroup", "0::/init.scope\n")])));
        assert!(in_container(&none, &fake(&[("/proc/1/cgroup", "0::/kubepods/besteffort\n")])));
        assert!(in_container(&none, &fake(&[("/run/.containerenv", "")])));
        assert!(in_container(&EnvSource::from_pairs([("container", "podman")]), &fake(&[])));
    }

    #[test]
    fn kernel_release_trimmed_and_bounded() {
        assert_eq!(
            os_version(&fake(&[("/proc/sys/kernel/osrelease", "6.8.0-41-generic\n")])).as_deref(),
            Some("6.8.0-41-generic")
        );
        assert_eq!(os_version(&fake(&[("/proc/sys/kernel/osrelease", &"9".repeat(65))])), None);
        assert_eq!(os_version(&fake(&[])), None);
    }

    /// Whatever the machine and its environment say, the fixed values do not move.
    #[test]
    fn fixed_facts_ignore_the_machine() {
        let f = Facts::fixed();
        assert_eq!(f.get("os", None), Some(Value::Text("linux".into())));
        assert_eq!(f.get("os_version", None), Some(Value::Text("6.0.0".into())));
        assert_eq!(f.get("arch", None), Some(Value::Text("x86_64".into())));
        assert_eq!((f.get("ci", None), f.get("container", None)), (Some(Value::Bool(false)), Some(Value::Bool(false))));
        assert_eq!(f.get("locale", None), Some(Value::Text("en_US".into())));
        assert_eq!(f.get("app_version", Some("1.0")), Some(Value::Text("1.0".into())));
    }
}
