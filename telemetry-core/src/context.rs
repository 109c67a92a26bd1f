//! The context object sent with every event: the keys of the application's
//! [`TelemetryContext`] struct, then the well-known keys the schema declares
//! that the struct does not carry, filled by the runtime.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::env::{EnvSource, is_ci};
use crate::error::BuildError;
use crate::meta::{AppMeta, FieldMeta, Fingerprint};
use crate::{Hasher, PropertyWriter, TelemetryContext};

/// The application's context struct, as the builder keeps it: its schema's
/// app, the keys it carries, and how to write them. Shared, so that a
/// cloned builder shares it; written once, by `build()`, when the hashing
/// key is known.
#[derive(Clone)]
pub(crate) struct Given {
    app: &'static str,
    fingerprint: Fingerprint,
    keys: &'static [&'static str],
    write: Arc<dyn Fn(&mut PropertyWriter<'_>) + Send + Sync>,
}

impl Given {
    pub(crate) fn new<C: TelemetryContext + Send + Sync + 'static>(ctx: C) -> Self {
        Given { app: C::APP, fingerprint: C::FINGERPRINT, keys: C::KEYS, write: Arc::new(move |w| ctx.write_fields(w)) }
    }
}

impl fmt::Debug for Given {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context").field("app", &self.app).field("keys", &self.keys).finish()
    }
}

/// Refuses a context that would break the schema's published payload
/// schema: one checked against another app's schema, or none carrying a
/// required key the runtime cannot fill.
pub(crate) fn check(meta: &AppMeta, given: Option<&Given>) -> Result<(), BuildError> {
    if let Some(g) = given
        && g.app != meta.name
    {
        return Err(BuildError::ContextForOtherApp { app: meta.name, context_app: g.app });
    }
    // Same app name, another schema (a copy with a forbidden key made
    // allowed, say): refused like an event of such a copy.
    if let Some(g) = given
        && !g.fingerprint.same(meta.fingerprint)
    {
        return Err(BuildError::ContextFromOtherSchema { app: meta.name });
    }
    let carried = given.map_or(&[][..], |g| g.keys);
    let keys: Vec<&'static str> = meta
        .context
        .iter()
        .filter(|f| f.required && !WELL_KNOWN_CONTEXT.contains(&f.name) && !carried.contains(&f.name))
        .map(|f| f.name)
        .collect();
    if keys.is_empty() { Ok(()) } else { Err(BuildError::MissingContext { app: meta.name, keys }) }
}

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

/// The context object as JSON bytes: the given struct's keys (hashed ones
/// hashed with `hasher`), then, in schema order, the well-known keys the
/// schema declares and the struct does not carry. A well-known key this
/// platform cannot tell (`os_version` off Linux, `locale` unset) is left out.
/// [`check`] has refused any other missing required key.
pub(crate) fn build(
    fields: &[FieldMeta],
    given: Option<&Given>,
    hasher: &Hasher,
    app_version: &str,
    env: &EnvSource,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    let mut w = PropertyWriter::new(&mut out, hasher);
    if let Some(g) = given {
        (g.write)(&mut w);
    }
    let carried = given.map_or(&[][..], |g| g.keys);
    for f in fields.iter().filter(|f| !carried.contains(&f.name)) {
        match value(f.name, app_version, env) {
            Some(serde_json::Value::Bool(b)) => w.bool(f.name, b),
            Some(serde_json::Value::String(s)) => w.str(f.name, &s, None),
            _ => {}
        }
    }
    w.finish();
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
    fn well_known_keys_in_schema_order_unknown_ones_never_filled() {
        let env = EnvSource::from_pairs([("CI", "1"), ("LANG", "de_DE.UTF-8")]);
        let hasher = Hasher::new(b"k");
        let fields = [field("app_version"), field("ci"), field("locale"), field("shoe_size"), field("arch")];
        let ctx = build(&fields, None, &hasher, "1.2.3", &env);
        let expected =
            format!(r#"{{"app_version":"1.2.3","ci":true,"locale":"de_DE","arch":"{}"}}"#, std::env::consts::ARCH);
        assert_eq!(String::from_utf8(ctx).unwrap(), expected);
        assert_eq!(String::from_utf8(build(&[field("shoe_size")], None, &hasher, "", &env)).unwrap(), "{}");
    }

    struct Shoe;
    impl TelemetryContext for Shoe {
        const APP: &'static str = "demo";
        const FINGERPRINT: Fingerprint = AppMeta::DEMO.fingerprint;
        const DERIVED: crate::__private::Derived = crate::__private::DERIVED;
        const KEYS: &'static [&'static str] = &["shoe_size", "ci"];
        fn write_fields(&self, w: &mut PropertyWriter<'_>) {
            w.hashed("shoe_size", "44");
            w.bool("ci", false);
        }
    }

    #[test]
    fn the_struct_first_hashed_then_well_known_keys_it_does_not_carry() {
        let env = EnvSource::from_pairs([("CI", "1")]);
        let hasher = Hasher::new(b"k");
        let given = Given::new(Shoe);
        let ctx = build(&[field("ci"), field("shoe_size"), field("arch")], Some(&given), &hasher, "", &env);
        let expected =
            format!(r#"{{"shoe_size":"{}","ci":false,"arch":"{}"}}"#, hasher.hash_hex("44"), std::env::consts::ARCH);
        assert_eq!(String::from_utf8(ctx).unwrap(), expected);
    }

    fn meta(context: &'static [FieldMeta]) -> AppMeta {
        AppMeta { context, ..AppMeta::DEMO }
    }

    #[test]
    fn check_names_every_required_key_nobody_fills() {
        static FIELDS: [FieldMeta; 4] = [
            FieldMeta { name: "os", ty: "string", collect: Collect::Allowed, required: true },
            FieldMeta { name: "shoe_size", ty: "string", collect: Collect::Hashed, required: true },
            FieldMeta { name: "hat_size", ty: "u8", collect: Collect::Allowed, required: true },
            FieldMeta { name: "tie", ty: "bool", collect: Collect::Allowed, required: false },
        ];
        let m = meta(&FIELDS);
        assert_eq!(
            check(&m, None),
            Err(BuildError::MissingContext { app: "demo", keys: vec!["shoe_size", "hat_size"] })
        );
        assert_eq!(
            check(&m, Some(&Given::new(Shoe))),
            Err(BuildError::MissingContext { app: "demo", keys: vec!["hat_size"] })
        );
        assert_eq!(check(&meta(&FIELDS[..1]), None), Ok(()));
        let other = AppMeta { name: "other", ..meta(&[]) };
        assert_eq!(
            check(&other, Some(&Given::new(Shoe))),
            Err(BuildError::ContextForOtherApp { app: "other", context_app: "demo" })
        );
        let copy = AppMeta { fingerprint: crate::__private::fingerprint(7), ..meta(&[]) };
        assert_eq!(check(&copy, Some(&Given::new(Shoe))), Err(BuildError::ContextFromOtherSchema { app: "demo" }));
    }

    #[test]
    fn locale_rejects_odd_values() {
        assert_eq!(locale(&EnvSource::from_pairs([("LANG", "C.UTF-8")])), None);
        assert_eq!(locale(&EnvSource::from_pairs([("LC_ALL", "fr_FR@euro")])).as_deref(), Some("fr_FR"));
    }
}
