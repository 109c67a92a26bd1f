//! `app_meta!("schema.yaml")`: the schema's app and consent rules as a
//! const `AppMeta`, so the runtime never parses YAML.

use crate::expand::track_file;
use crate::load;
use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use telemetry_schema::{ConsentDefault, FirstRun, SwitchAction, SwitchRule, Trigger};

pub(crate) fn expand(lit: &LitStr) -> syn::Result<TokenStream> {
    let loaded = load::load(lit)?;
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
    let first_run = match s.consent.first_run {
        FirstRun::Send => quote!(Send),
        FirstRun::NoticeFirst => quote!(NoticeFirst),
    };
    let opt_out = match &s.consent.opt_out_command {
        Some(c) => quote!(::core::option::Option::Some(#c)),
        None => quote!(::core::option::Option::None),
    };
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
    Ok(quote! {{
        #track
        #m::AppMeta {
            name: #name,
            title: #title,
            docs_url: #docs,
            anonymous_id_env: #id_env,
            enabled_by_default: #enabled,
            do_not_track: #dnt,
            env: &[#(#switches),*],
            first_run: #m::FirstRun::#first_run,
            opt_out_command: #opt_out,
            context: &[#(#context),*],
            events: &[#(#events),*],
        }
    }})
}
