//! The context object sent with every event: only the keys the schema's
//! `context` declares, among the well-known ones the runtime can fill.

use std::path::Path;

use crate::env::{EnvSource, is_ci};
use crate::meta::FieldMeta;

/// Context keys the runtime knows how to fill. The derive reads the same list
/// from `telemetry_schema::WELL_KNOWN_CONTEXT` (the runtime does not depend on
/// the schema crate, to keep YAML parsing out of applications);
/// `tests/tests/context_pass.rs` checks the two are equal.
pub const WELL_KNOWN_CONTEXT: &[&str] = &["os", "os_version", "arch", "app_version", "ci", "container", "locale"];

/// Value of one well-known key, or `None` when unknown here.
fn value(name: &str, app_version: &str, env: &EnvSource) -> Option<serde_json::Value> {
    use serde_json::Value;
    match name {
        "os" => Some(Value::from(std::env::consts::OS)),
        "os_version" => os_version().map(Value::from),
        "arch" => Some(Value::from(std::env::consts::ARCH)),
        "app_version" => Some(Value::from(app_version)),
        "ci" => Some(Value::from(is_ci(env))),
        "container" => Some(Value::from(in_container(env))),
        "locale" => locale(env).map(Value::from),
        _ => None,
    }
}

/// The kernel release on Linux (no user data, no process spawned); unknown elsewhere.
fn os_version() -> Option<String> {
    if cfg!(target_os = "linux") {
        let v = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok()?;
        let v = v.trim();
        (!v.is_empty() && v.len() <= 64).then(|| v.to_string())
    } else {
        None
    }
}

/// Docker, Podman, systemd-nspawn, Kubernetes and LXC leave these marks.
fn in_container(env: &EnvSource) -> bool {
    if env.get("container").is_some_and(|v| !v.is_empty()) || env.get("KUBERNETES_SERVICE_HOST").is_some() {
        return true;
    }
    if Path::new("/.dockerenv").exists() || Path::new("/run/.containerenv").exists() {
        return true;
    }
    std::fs::read_to_string("/proc/1/cgroup")
        .map(|c| ["docker", "kubepods", "containerd", "lxc", "libpod"].iter().any(|m| c.contains(m)))
        .unwrap_or(false)
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

/// The context object as JSON bytes, keys in schema order. Declared keys the
/// runtime cannot fill are left out (and reported in `unknown`).
pub(crate) fn build(
    fields: &[FieldMeta],
    app_version: &str,
    env: &EnvSource,
    unknown: &mut Vec<&'static str>,
) -> Vec<u8> {
    let mut out = b"{".to_vec();
    let mut first = true;
    for f in fields {
        let Some(v) = value(f.name, app_version, env) else {
            if !WELL_KNOWN_CONTEXT.contains(&f.name) {
                unknown.push(f.name);
            }
            continue;
        };
        if !first {
            out.push(b',');
        }
        first = false;
        serde_json::to_writer(&mut out, f.name).expect("Vec write");
        out.push(b':');
        serde_json::to_writer(&mut out, &v).expect("Vec write");
    }
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Collect;

    fn field(name: &'static str) -> FieldMeta {
        FieldMeta { name, ty: "string", collect: Collect::Allowed, required: true }
    }

    #[test]
    fn only_declared_keys_in_schema_order() {
        let env = EnvSource::from_pairs([("CI", "1"), ("LANG", "de_DE.UTF-8")]);
        let mut unknown = Vec::new();
        let ctx = build(
            &[field("app_version"), field("ci"), field("locale"), field("shoe_size"), field("arch")],
            "1.2.3",
            &env,
            &mut unknown,
        );
        let expected =
            format!(r#"{{"app_version":"1.2.3","ci":true,"locale":"de_DE","arch":"{}"}}"#, std::env::consts::ARCH);
        assert_eq!(String::from_utf8(ctx).unwrap(), expected);
        assert_eq!(unknown, ["shoe_size"]);
    }

    #[test]
    fn locale_rejects_odd_values() {
        assert_eq!(locale(&EnvSource::from_pairs([("LANG", "C.UTF-8")])), None);
        assert_eq!(locale(&EnvSource::from_pairs([("LC_ALL", "fr_FR@euro")])).as_deref(), Some("fr_FR"));
    }
}
