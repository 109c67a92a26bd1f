//! The context object sent with every event: the keys of the application's
//! [`TelemetryContext`] struct, then the well-known keys the schema declares
//! that the struct does not carry, filled by the runtime.

mod error;
mod known;

use std::fmt;
use std::sync::Arc;

use crate::error::BuildError;
use crate::hash::Keys;
use crate::meta::{AppMeta, Collect, FieldMeta, Fingerprint};
use crate::writer::truncate;
use crate::{PropertyWriter, TelemetryContext};
pub(crate) use error::ContextError;
use error::Unadmitted;
use known::Value;
pub use known::WELL_KNOWN_CONTEXT;
pub(crate) use known::{Disk, Facts, TEST_APP_VERSION};

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
/// schema: one checked against another app's schema, none carrying a
/// required key the runtime cannot fill, a well-known key declared with a
/// type the runtime's value cannot carry, or a required `app_version` the
/// builder was not given.
pub(crate) fn check(meta: &AppMeta, given: Option<&Given>, app_version: Option<&str>) -> Result<(), BuildError> {
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
    let filled = || meta.context.iter().filter(|f| !carried.contains(&f.name));
    for f in filled() {
        let Some(bool_value) = known::writes_bool(f.name) else { continue };
        let carries = if bool_value { f.ty == "bool" } else { f.ty == "string" || f.ty == "enum" };
        if !carries {
            let runtime = if bool_value { "true or false" } else { "text" };
            return Err(BuildError::ContextType { app: meta.name, key: f.name, declared: f.ty, runtime });
        }
    }
    if app_version.is_none() && filled().any(|f| f.name == "app_version" && f.required) {
        return Err(BuildError::MissingAppVersion { app: meta.name });
    }
    let keys: Vec<&'static str> =
        filled().filter(|f| f.required && !WELL_KNOWN_CONTEXT.contains(&f.name)).map(|f| f.name).collect();
    if keys.is_empty() { Ok(()) } else { Err(BuildError::MissingContext { app: meta.name, keys }) }
}

/// The context object and the top-level `app_version`, as every envelope
/// of this process sends them.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Written {
    /// The context object as JSON bytes.
    pub(crate) json: Vec<u8>,
    /// The top-level `app_version`: left out when the context sends it only
    /// as a hash, or when it is not one of the context's declared values.
    pub(crate) app_version: Option<String>,
}

/// The longest top-level `app_version` the payload JSON Schema allows.
const APP_VERSION_MAX: u32 = 64;

/// The context object: the given struct's keys (hashed ones hashed under
/// `keys`, by their scope), then, in schema order, the well-known keys the schema declares
/// and the struct does not carry, each as its declared meta says: hashed
/// keys hashed, strings cut to `max_length`, an enum's value sent only when
/// it is one of its values. A value the schema does not admit, or that this
/// machine does not know (`os_version` off Linux, `locale` unset), leaves an
/// optional key out; for a required key it is `Err`, saying why: nothing may
/// be sent then. [`check`] has refused types the runtime cannot fill.
pub(crate) fn build(
    fields: &[FieldMeta],
    given: Option<&Given>,
    keys: Keys<'_>,
    app_version: Option<&str>,
    facts: &Facts,
) -> Result<Written, ContextError> {
    let mut json = Vec::with_capacity(128);
    let mut w = PropertyWriter::new(&mut json, keys);
    if let Some(g) = given {
        (g.write)(&mut w);
    }
    let carried = given.map_or(&[][..], |g| g.keys);
    // Other keys are the struct's: `check` refused a required one it does not carry.
    let filled = fields.iter().filter(|f| !carried.contains(&f.name) && WELL_KNOWN_CONTEXT.contains(&f.name));
    for f in filled {
        match admitted(f, facts.get(f.name, app_version)) {
            Ok(Some(Value::Bool(b))) => w.bool(f.name, b),
            Ok(Some(Value::Text(s))) if let Collect::Hashed(scope) = f.collect => w.hashed(f.name, &s, scope),
            Ok(Some(Value::Text(s))) => w.str(f.name, &s, f.max_length),
            Ok(None) => {}
            Err(why) if f.required => return Err(ContextError::Required(why)),
            Err(_) => {}
        }
    }
    if w.finish().is_err() {
        return Err(ContextError::ProductKeyUnheld);
    }
    let declared = fields.iter().find(|f| f.name == "app_version");
    let top = match declared {
        Some(f) if matches!(f.collect, Collect::Hashed(_)) => None,
        Some(f) => admitted(f, app_version.map(|v| Value::Text(v.into()))).ok().flatten(),
        None => app_version.map(|v| Value::Text(v.into())),
    };
    let max = declared.and_then(|f| f.max_length).map_or(APP_VERSION_MAX, |m| m.min(APP_VERSION_MAX));
    let app_version = match top {
        Some(Value::Text(v)) => Some(truncate(&v, Some(max)).to_string()),
        _ => None,
    };
    Ok(Written { json, app_version })
}

/// `value` if the key's declared meta admits it; `Err` says why not.
/// `Ok(None)`: the key is unknown here and optional.
fn admitted(f: &FieldMeta, value: Option<Value>) -> Result<Option<Value>, Unadmitted> {
    let key = f.name;
    match value {
        None if f.required => Err(Unadmitted::NoValue { key }),
        None => Ok(None),
        Some(Value::Bool(b)) if f.ty == "bool" => Ok(Some(Value::Bool(b))),
        Some(Value::Text(s)) if f.ty == "enum" && !f.values.contains(&s.as_str()) => {
            Err(Unadmitted::NotAValue { key, values: f.values })
        }
        Some(Value::Text(s)) if f.ty == "enum" || f.ty == "string" => Ok(Some(Value::Text(s))),
        Some(_) => Err(Unadmitted::OtherType { key, ty: f.ty }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Hasher;
    use crate::meta::HashScope;

    const HASHED: Collect = Collect::Hashed(HashScope::Install);

    const fn field(name: &'static str, ty: &'static str, collect: Collect, required: bool) -> FieldMeta {
        FieldMeta { name, ty, collect, required, max_length: None, values: &[] }
    }

    fn text(fields: &[FieldMeta], given: Option<&Given>, app_version: Option<&str>) -> Result<String, ContextError> {
        let hasher = Hasher::new(b"k");
        build(fields, given, Keys::new(&hasher, None), app_version, &Facts::fixed())
            .map(|w| String::from_utf8(w.json).unwrap())
    }

    #[test]
    fn well_known_keys_in_schema_order_unknown_ones_never_filled() {
        let s = |name| field(name, "string", Collect::Allowed, true);
        let fields =
            [s("app_version"), field("ci", "bool", Collect::Allowed, true), s("locale"), s("shoe_size"), s("arch")];
        assert_eq!(
            text(&fields, None, Some("1.2.3")).unwrap(),
            r#"{"app_version":"1.2.3","ci":false,"locale":"en_US","arch":"x86_64"}"#
        );
        assert_eq!(text(&[s("shoe_size")], None, None).unwrap(), "{}");
    }

    /// Issue 20, reproduction 1: each key as its declared meta says.
    #[test]
    fn hashed_bounded_and_enum_keys_as_declared() {
        let hasher = Hasher::new(b"k");
        static FIELDS: [FieldMeta; 4] = [
            field("locale", "string", HASHED, true),
            FieldMeta { max_length: Some(3), ..field("os_version", "string", Collect::Allowed, true) },
            FieldMeta { values: &["macos", "windows"], ..field("os", "enum", Collect::Allowed, false) },
            FieldMeta { values: &["x86_64"], ..field("arch", "enum", Collect::Allowed, true) },
        ];
        let w = build(&FIELDS, None, Keys::new(&hasher, None), Some("1.2.3-beta+secret"), &Facts::fixed()).unwrap();
        let expected = format!(r#"{{"locale":"{}","os_version":"6.0","arch":"x86_64"}}"#, hasher.hash_hex("en_US"));
        assert_eq!(String::from_utf8(w.json).unwrap(), expected);
        // The context does not declare `app_version`: the top level is bounded like the page says.
        assert_eq!(w.app_version.as_deref(), Some("1.2.3-beta+secret"));
    }

    /// A well-known key of `hash: product` is hashed under the product's
    /// key; without one held, nothing is sent rather than another key's hash.
    #[test]
    fn a_product_scope_key_under_the_product_key_or_nothing() {
        static FIELDS: [FieldMeta; 2] =
            [field("locale", "string", Collect::Hashed(HashScope::Product), true), field("os", "string", HASHED, true)];
        let (install, product) = (Hasher::new(b"k"), Hasher::new(b"product key of at least 16 bytes"));
        let w = build(&FIELDS, None, Keys::new(&install, Some(&product)), None, &Facts::fixed()).unwrap();
        let expected = format!(r#"{{"locale":"{}","os":"{}"}}"#, product.hash_hex("en_US"), install.hash_hex("linux"));
        assert_eq!(String::from_utf8(w.json).unwrap(), expected);
        let err = build(&FIELDS, None, Keys::new(&install, None), None, &Facts::fixed()).unwrap_err();
        assert_eq!(err, ContextError::ProductKeyUnheld);
    }

    #[test]
    fn a_required_key_the_schema_does_not_admit_sends_nothing() {
        static OS: [FieldMeta; 1] = [FieldMeta { values: &["macos"], ..field("os", "enum", Collect::Allowed, true) }];
        let err = text(&OS, None, None).unwrap_err();
        assert_eq!(err, ContextError::Required(Unadmitted::NotAValue { key: "os", values: &["macos"] }));
        assert_eq!(
            err.to_string(),
            r#"this machine cannot give the context the app's schema requires (context key `os`: this machine's value is not one of the schema's values ["macos"]; the schema can mark the key `required: false`)"#
        );
    }

    #[test]
    fn top_level_app_version_follows_the_context_key() {
        let hasher = Hasher::new(b"k");
        let top = |f: FieldMeta, v: &str| {
            build(&[f], None, Keys::new(&hasher, None), Some(v), &Facts::fixed()).unwrap().app_version
        };
        let hashed = field("app_version", "string", HASHED, true);
        assert_eq!(top(hashed, "1.2.3"), None, "hashed in the context: never raw at the top");
        let short = FieldMeta { max_length: Some(3), ..field("app_version", "string", Collect::Allowed, true) };
        assert_eq!(top(short, "1.2.3-beta"), Some("1.2".into()));
        let listed = FieldMeta { values: &["1.0"], ..field("app_version", "enum", Collect::Allowed, false) };
        assert_eq!(top(listed, "1.2.3"), None);
        assert_eq!(top(field("os", "string", Collect::Allowed, true), &"9".repeat(70)), Some("9".repeat(64)));
    }

    struct Shoe;
    impl TelemetryContext for Shoe {
        const APP: &'static str = "demo";
        const FINGERPRINT: Fingerprint = AppMeta::DEMO.fingerprint;
        const DERIVED: crate::__private::Derived = crate::__private::DERIVED;
        const KEYS: &'static [&'static str] = &["shoe_size", "ci"];
        fn write_fields(&self, w: &mut PropertyWriter<'_>) {
            w.hashed("shoe_size", "44", HashScope::Install);
            w.bool("ci", true);
        }
    }

    #[test]
    fn the_struct_first_hashed_then_well_known_keys_it_does_not_carry() {
        let given = Given::new(Shoe);
        let fields = [
            field("ci", "bool", Collect::Allowed, true),
            field("shoe_size", "string", HASHED, true),
            field("arch", "string", Collect::Allowed, true),
        ];
        let expected = format!(r#"{{"shoe_size":"{}","ci":true,"arch":"x86_64"}}"#, Hasher::new(b"k").hash_hex("44"));
        assert_eq!(text(&fields, Some(&given), None).unwrap(), expected);
    }

    fn meta(context: &'static [FieldMeta]) -> AppMeta {
        AppMeta { context, ..AppMeta::DEMO }
    }

    #[test]
    fn check_names_every_required_key_nobody_fills() {
        static FIELDS: [FieldMeta; 4] = [
            field("os", "string", Collect::Allowed, true),
            field("shoe_size", "string", HASHED, true),
            field("hat_size", "u8", Collect::Allowed, true),
            field("tie", "bool", Collect::Allowed, false),
        ];
        let m = meta(&FIELDS);
        assert_eq!(
            check(&m, None, None),
            Err(BuildError::MissingContext { app: "demo", keys: vec!["shoe_size", "hat_size"] })
        );
        assert_eq!(
            check(&m, Some(&Given::new(Shoe)), None),
            Err(BuildError::MissingContext { app: "demo", keys: vec!["hat_size"] })
        );
        assert_eq!(check(&meta(&FIELDS[..1]), None, None), Ok(()));
        let other = AppMeta { name: "other", ..meta(&[]) };
        assert_eq!(
            check(&other, Some(&Given::new(Shoe)), None),
            Err(BuildError::ContextForOtherApp { app: "other", context_app: "demo" })
        );
        let copy = AppMeta { fingerprint: crate::__private::fingerprint(7), ..meta(&[]) };
        assert_eq!(
            check(&copy, Some(&Given::new(Shoe)), None),
            Err(BuildError::ContextFromOtherSchema { app: "demo" })
        );
    }

    /// Issue 20, reproduction 1: types the runtime's values cannot carry.
    #[test]
    fn check_refuses_a_type_the_runtime_cannot_fill() {
        static CI: [FieldMeta; 1] =
            [FieldMeta { values: &["yes", "no"], ..field("ci", "enum", Collect::Allowed, true) }];
        static VERSION: [FieldMeta; 1] = [field("app_version", "u32", Collect::Allowed, true)];
        static CONTAINER: [FieldMeta; 1] =
            [FieldMeta { max_length: Some(1), ..field("container", "string", Collect::Allowed, false) }];
        let refused = |f: &'static [FieldMeta]| check(&meta(f), None, Some("1.2.3"));
        let ty = |key, declared, runtime| Err(BuildError::ContextType { app: "demo", key, declared, runtime });
        assert_eq!(refused(&CI), ty("ci", "enum", "true or false"));
        assert_eq!(refused(&VERSION), ty("app_version", "u32", "text"));
        assert_eq!(refused(&CONTAINER), ty("container", "string", "true or false"));
        static REQUIRED: [FieldMeta; 1] = [field("app_version", "string", Collect::Allowed, true)];
        assert_eq!(check(&meta(&REQUIRED), None, None), Err(BuildError::MissingAppVersion { app: "demo" }));
        assert_eq!(check(&meta(&REQUIRED), None, Some("1.0")), Ok(()));
    }
}
