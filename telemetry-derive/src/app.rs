//! `app_meta!("schema.yaml")`: the schema's app and consent rules as a
//! const `AppMeta`, so the runtime never parses YAML.

use crate::expand::track_file;
use crate::load;
use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use telemetry_schema::{ConsentDefault, SwitchAction, SwitchRule, Trigger};

/// The `AppMeta` expression. When the schema is broken: its errors (unless
/// an earlier macro of this crate showed them) as statements of a block
/// whose value is an empty `AppMeta`, so the `static` it initialises, and
/// everything using it, still type-checks and rustc adds no errors of its own.
pub(crate) fn expand(lit: &LitStr) -> TokenStream {
    match load::load(lit) {
        Ok(loaded) => meta(&loaded),
        Err(e) => {
            let errors = e.to_compile_error();
            let m = quote!(::telemetry_core::meta);
            quote! {{
                #errors
                #m::AppMeta {
                    name: "",
                    title: "",
                    docs_url: ::core::option::Option::None,
                    anonymous_id_env: ::core::option::Option::None,
                    enabled_by_default: false,
                    do_not_track: true,
                    env: &[],
                    context: &[],
                    events: &[],
                }
            }}
        }
    }
}

fn meta(loaded: &load::Loaded) -> TokenStream {
    let s = &loaded.schema;
    let name = &s.app.name;
    let title = &s.app.title;
    let docs = match &s.app.docs_url {
        Some(u) => quote!(::core::option::Option::Some(#u)),
        None => quote!(::core::option::Option::None),
    };
    let id_env = match &s.app.anonymous_id_env {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let enabled = s.consent.default == ConsentDefault::Enabled;
    let dnt = s.consent.do_not_track;
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
        quote!(#m::EnvSwitch { name: #var, trigger: #trigger, action: #action })
    });
    let context = s.context.iter().filter(|f| f.is_collected()).map(crate::expand::field_meta);
    let events = s.events.iter().map(|e| &e.name);
    let track = track_file(&loaded.abs.display().to_string());
    quote! {{
        #track
        #m::AppMeta {
            name: #name,
            title: #title,
            docs_url: #docs,
            anonymous_id_env: #id_env,
            enabled_by_default: #enabled,
            do_not_track: #dnt,
            env: &[#(#switches),*],
            context: &[#(#context),*],
            events: &[#(#events),*],
        }
    }}
}
