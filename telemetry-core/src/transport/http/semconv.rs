//! OTLP's resource by the OpenTelemetry semantic conventions: the
//! well-known context keys under their registry names and values
//! (`os` → `os.type`, `os_version` → `os.version`, `arch` → `host.arch`),
//! `app_version` only as `service.version`, and every other context key
//! (the product's own, and `ci`, `container`, `locale`, which the registry
//! has no attribute for) in the `app.` namespace, so that no bare name
//! (`os`, `arch`) clashes with a registry namespace in stores that nest
//! dotted keys. The tests check every name against the registry
//! (`tests/data/semconv-registry.txt`).

use std::borrow::Cow;

use super::ordered::{Members, Ordered};
use crate::envelope::Origin;

/// The resource attributes of a run: `service.name`, `service.version`,
/// then the context keys as above, in the context's order.
pub(super) fn resource(r: &Origin) -> Members<'_> {
    let mut resource = vec![
        (Cow::Borrowed("service.name"), Ordered::Str(Cow::Borrowed(&*r.app))),
        (Cow::Borrowed("service.version"), Ordered::Str(Cow::Borrowed(&*r.app_version))),
    ];
    for (k, v) in Ordered::members(&r.context) {
        let (name, value) = match k.as_ref() {
            "app_version" => continue,
            "os" => ("os.type".into(), value(v, os_type)),
            "os_version" => ("os.version".into(), v),
            "arch" => ("host.arch".into(), value(v, host_arch)),
            _ => (format!("app.{k}").into(), v),
        };
        resource.push((name, value));
    }
    resource
}

/// A string value mapped by `map`; any other value as it is.
fn value<'a>(v: Ordered<'a>, map: fn(&str) -> Option<&'static str>) -> Ordered<'a> {
    match v {
        Ordered::Str(s) => Ordered::Str(map(&s).map_or(s, Cow::Borrowed)),
        other => other,
    }
}

/// `os.type` for Rust's `std::env::consts::OS`; `None` where the value is
/// the same (`linux`, `windows`, `freebsd`, ...) or the registry has none.
fn os_type(os: &str) -> Option<&'static str> {
    match os {
        "macos" => Some("darwin"),
        "dragonfly" => Some("dragonflybsd"),
        _ => None,
    }
}

/// `host.arch` for Rust's `std::env::consts::ARCH`; `None` where the value
/// is the same (`x86`, `s390x`) or the registry has none.
fn host_arch(arch: &str) -> Option<&'static str> {
    match arch {
        "x86_64" => Some("amd64"),
        "aarch64" => Some("arm64"),
        "arm" => Some("arm32"),
        "powerpc" => Some("ppc32"),
        "powerpc64" => Some("ppc64"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry's enum values (`os.type=..`, `host.arch=..` lines).
    fn registry_values(name: &str) -> Vec<String> {
        let text = include_str!("../../../tests/data/semconv-registry.txt");
        let prefix = format!("{name}=");
        text.lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("{name} in the registry file"))
            .split(',')
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_mapped_value_is_a_registry_value() {
        // Rust's values for the platforms Rust and the registry both name.
        let os = ["linux", "macos", "windows", "freebsd", "netbsd", "openbsd", "dragonfly", "solaris", "aix"];
        let types = registry_values("os.type");
        for o in os {
            let v = os_type(o).unwrap_or(o);
            assert!(types.iter().any(|t| t == v), "{o} -> {v} is not an os.type value: {types:?}");
        }
        let arch = ["x86_64", "x86", "aarch64", "arm", "powerpc", "powerpc64", "s390x"];
        let arches = registry_values("host.arch");
        for a in arch {
            let v = host_arch(a).unwrap_or(a);
            assert!(arches.iter().any(|t| t == v), "{a} -> {v} is not a host.arch value: {arches:?}");
        }
    }
}
