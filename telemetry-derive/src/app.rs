//! `app_meta!("schema.yaml")`: the schema's app and consent rules as a
//! const `AppMeta`, so the runtime never parses YAML.

use crate::load;
use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use telemetry_schema::{ConsentDefault, FirstRun, Identity, SwitchAction, SwitchRule, Trigger};

/// The `AppMeta` expression. When the schema is broken: its errors (unless
/// an earlier macro of this crate showed them) as statements of a block
/// whose value is an empty `AppMeta`, so the `static` it initialises, and
/// everything using it, still type-checks and rustc adds no errors of its own.
pub(crate) fn expand(lit: &LitStr) -> TokenStream {
    match load::load(lit) {
        Ok(loaded) => meta(&loaded),
        Err(e) => {
            let errors = e.to_compile_error();
            let parts = parts(&Parts {
                name: quote!(""),
                title: quote!(""),
                term: quote!("telemetry"),
                docs_url: none(),
                anonymous_id_env: none(),
                identity: quote!(::telemetry_core::meta::Identity::Install),
                enabled_by_default: quote!(false),
                do_not_track: quote!(true),
                env: quote!(&[]),
                first_run: quote!(::telemetry_core::meta::FirstRun::Send),
                opt_out_command: none(),
                context: quote!(&[]),
                events: quote!(&[]),
                product_hashed: quote!(&[]),
                fingerprint: quote!(::telemetry_core::meta::Fingerprint::NONE),
                schema_version: none(),
            });
            quote! {{
                #errors
                #parts
            }}
        }
    }
}

/// Every field hashed under the product's key, in schema order: the
/// context's as `context.field`, an event's as `event.field`, nested ones
/// as `event.object.field`. `build()` names them when the key is missing.
fn product_hashed(s: &telemetry_schema::Schema) -> Vec<String> {
    fn walk(fields: &[telemetry_schema::Field], prefix: &str, out: &mut Vec<String>) {
        for f in fields.iter().filter(|f| f.is_collected()) {
            let path = format!("{prefix}.{}", f.name);
            if f.collect == telemetry_schema::Collect::Hashed && f.hash == telemetry_schema::HashScope::Product {
                out.push(path.clone());
            }
            if let Some(nested) = f.ty.as_ref().and_then(object_fields) {
                walk(nested, &path, out);
            }
        }
    }
    fn object_fields(ty: &telemetry_schema::FieldType) -> Option<&[telemetry_schema::Field]> {
        match ty {
            telemetry_schema::FieldType::Object { fields } => Some(fields),
            telemetry_schema::FieldType::List { items } => object_fields(items),
            _ => None,
        }
    }
    let mut out = Vec::new();
    walk(&s.context, "context", &mut out);
    s.events.iter().for_each(|e| walk(&e.fields, &e.name, &mut out));
    out
}

/// The value of each `AppParts` field, as tokens.
struct Parts {
    name: TokenStream,
    title: TokenStream,
    term: TokenStream,
    docs_url: TokenStream,
    anonymous_id_env: TokenStream,
    identity: TokenStream,
    enabled_by_default: TokenStream,
    do_not_track: TokenStream,
    env: TokenStream,
    first_run: TokenStream,
    opt_out_command: TokenStream,
    context: TokenStream,
    events: TokenStream,
    product_hashed: TokenStream,
    fingerprint: TokenStream,
    schema_version: TokenStream,
}

/// `__private::app_meta(AppParts { .. })`: `AppMeta`'s fields are private,
/// so only this path (which no hand-written code names without voiding the
/// guarantee) makes one.
fn parts(p: &Parts) -> TokenStream {
    let Parts {
        name,
        title,
        term,
        docs_url,
        anonymous_id_env,
        identity,
        enabled_by_default,
        do_not_track,
        env,
        first_run,
        opt_out_command,
        context,
        events,
        product_hashed,
        fingerprint,
        schema_version,
    } = p;
    quote! {
        ::telemetry_core::__private::app_meta(::telemetry_core::__private::AppParts {
            name: #name,
            title: #title,
            term: #term,
            docs_url: #docs_url,
            anonymous_id_env: #anonymous_id_env,
            identity: #identity,
            enabled_by_default: #enabled_by_default,
            do_not_track: #do_not_track,
            env: #env,
            first_run: #first_run,
            opt_out_command: #opt_out_command,
            context: #context,
            events: #events,
            product_hashed: #product_hashed,
            fingerprint: #fingerprint,
            schema_version: #schema_version,
        })
    }
}

fn none() -> TokenStream {
    quote!(::core::option::Option::None)
}

fn some(v: Option<&String>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => none(),
    }
}

fn meta(loaded: &load::Loaded) -> TokenStream {
    let s = &loaded.schema;
    let first_run = match s.consent.first_run {
        FirstRun::Send => quote!(Send),
        FirstRun::NoticeFirst => quote!(NoticeFirst),
    };
    let m = quote!(::telemetry_core::meta);
    let switches = s.consent.env.iter().map(|sw| {
        let var = &sw.name;
        let (trigger, action) = match &sw.rule {
            SwitchRule::DisablesWhen(t) => {
                let t = match t {
                    Trigger::Set => quote!(#m::Trigger::Set),
                    Trigger::Truthy => quote!(#m::Trigger::Truthy),
                    Trigger::Falsy => quote!(#m::Trigger::Falsy),
                };
                (t, quote!(#m::SwitchAction::Disable))
            }
            SwitchRule::Equals { value, action } => {
                let a = match action {
                    SwitchAction::Disable => quote!(#m::SwitchAction::Disable),
                    SwitchAction::Enable => quote!(#m::SwitchAction::Enable),
                    SwitchAction::LogOnly => quote!(#m::SwitchAction::LogOnly),
                };
                (quote!(#m::Trigger::Equals(#value)), a)
            }
        };
        quote!(::telemetry_core::__private::env_switch(#var, #trigger, #action))
    });
    let context = s.context.iter().filter(|f| f.is_collected()).map(crate::expand::field_meta);
    let events = s.events.iter().map(|e| &e.name);
    let product = product_hashed(s);
    let track = loaded.track();
    let version = s.schema_version.map(|v| v.to_string());
    let (name, title, term) = (&s.app.name, &s.app.title, s.app.term());
    let enabled = s.consent.default == ConsentDefault::Enabled;
    let dnt = s.consent.do_not_track;
    let parts = parts(&Parts {
        name: quote!(#name),
        title: quote!(#title),
        term: quote!(#term),
        docs_url: some(s.app.docs_url.as_ref()),
        anonymous_id_env: some(s.app.anonymous_id_env.as_ref()),
        identity: match s.app.identity {
            Identity::Install => quote!(#m::Identity::Install),
            Identity::Run => quote!(#m::Identity::Run),
            Identity::None => quote!(#m::Identity::None),
        },
        enabled_by_default: quote!(#enabled),
        do_not_track: quote!(#dnt),
        env: quote!(&[#(#switches),*]),
        first_run: quote!(#m::FirstRun::#first_run),
        opt_out_command: some(s.consent.opt_out_command.as_ref()),
        context: quote!(&[#(#context),*]),
        events: quote!(&[#(#events),*]),
        product_hashed: quote!(&[#(#product),*]),
        fingerprint: crate::expand::fingerprint(loaded.fingerprint),
        schema_version: some(version.as_ref()),
    });
    quote! {{
        #track
        #parts
    }}
}

#[cfg(test)]
mod tests {
    use super::product_hashed;

    /// The paths `build()` names: product-scope fields only, the context's
    /// first, nested ones (objects, lists of objects) by their full path.
    #[test]
    fn every_product_scope_field_by_its_path() {
        let schema = |context: &str, field: &str| {
            telemetry_schema::load_str(
                &format!(
                    "version: 1\napp: {{ name: demo, title: Demo, description: x }}\ncontext:\n  fields:\n    c: {{ collect: hashed, {context}type: string, description: x }}\nevents:\n  e:\n    description: x\n    fields:\n      f: {{ collect: hashed, {field}type: string, description: x }}\n      o:\n        collect: allowed\n        type: list\n        description: x\n        items:\n          type: object\n          fields:\n            g: {{ collect: hashed, hash: product, type: string, description: x }}\n            h: {{ collect: hashed, type: string, description: x }}\n"
                ),
                "demo.yaml",
            )
            .unwrap()
        };
        assert_eq!(product_hashed(&schema("", "")), ["e.o.g"]);
        assert_eq!(product_hashed(&schema("hash: install, ", "")), ["e.o.g"]);
        assert_eq!(product_hashed(&schema("", "hash: product, ")), ["e.f", "e.o.g"]);
        assert_eq!(product_hashed(&schema("hash: product, ", "hash: product, ")), ["context.c", "e.f", "e.o.g"]);
    }
}
