//! Emits the `TelemetryEvent`, `TelemetryContext` and `TelemetryObject`
//! impls of a checked struct. Every user-facing check ran before, in
//! `valid`; this module only writes code.

use crate::target::{Derive, Kind, PLACEHOLDER_PATH};
use crate::valid::Plan;
use crate::write;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::DeriveInput;
use telemetry_schema::{Collect, Date, Event, Expiry, Field as SchemaField, FieldType};

/// The impl of a struct that passed every check.
pub(crate) fn expand(plan: &Plan<'_>) -> TokenStream {
    let input = plan.input;
    let target = &plan.target;
    let w = format_ident!("__telemetry_w");
    let fingerprint = fingerprint(plan.fingerprint);
    let (body, items) = write::body(&w, &plan.fields, &target.path, &target.owner, input.generics, &fingerprint);
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = quote!(::telemetry_core);
    let derived = quote!(const DERIVED: #krate::__private::Derived = #krate::__private::DERIVED;);
    let imp = match target.kind {
        Kind::Event(event) => {
            let app = &plan.schema.app.name;
            let name = &event.name;
            let metas = target.fields.iter().filter(|f| f.is_collected()).map(field_meta);
            let expires = expires(event);
            let warning = expired_warning(event, input.ident);
            quote! {
                #warning
                impl #impl_generics #krate::TelemetryEvent for #ident #ty_generics #where_clause {
                    const META: &'static #krate::meta::EventMeta = &#krate::__private::event_meta(
                        #app,
                        #name,
                        &[#(#metas),*],
                        #fingerprint,
                        #expires,
                    );
                    #derived
                    fn write_properties(&self, #w: &mut #krate::PropertyWriter<'_>) {
                        #body
                    }
                }
            }
        }
        Kind::Context => {
            let app = &plan.schema.app.name;
            let keys = plan.fields.iter().map(|p| &p.schema.name);
            quote! {
                impl #impl_generics #krate::TelemetryContext for #ident #ty_generics #where_clause {
                    const APP: &'static str = #app;
                    const KEYS: &'static [&'static str] = &[#(#keys),*];
                    const FINGERPRINT: #krate::meta::Fingerprint = #fingerprint;
                    #derived
                    fn write_fields(&self, #w: &mut #krate::PropertyWriter<'_>) {
                        #body
                    }
                }
            }
        }
        Kind::Object => {
            let path = &target.path;
            quote! {
                impl #impl_generics #krate::TelemetryObject for #ident #ty_generics #where_clause {
                    const SCHEMA_PATH: &'static str = #path;
                    const FINGERPRINT: #krate::meta::Fingerprint = #fingerprint;
                    #derived
                    fn write_fields(&self, #w: &mut #krate::PropertyWriter<'_>) {
                        #body
                    }
                }
            }
        }
    };
    quote!(#imp #(#items)*)
}

/// What a struct implements when its checks failed: the impl of the right
/// trait with nothing in it, beside the errors, so that code using the
/// struct compiles and only the real mistakes are reported.
pub(crate) fn placeholder(node: &DeriveInput, derive: Derive, object: bool) -> TokenStream {
    let ident = &node.ident;
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    let krate = quote!(::telemetry_core);
    let w = quote!(_: &mut #krate::PropertyWriter<'_>);
    let derived = quote!(const DERIVED: #krate::__private::Derived = #krate::__private::DERIVED;);
    let none = quote!(#krate::meta::Fingerprint::NONE);
    match (derive, object) {
        (_, true) => quote! {
            impl #impl_generics #krate::TelemetryObject for #ident #ty_generics #where_clause {
                const SCHEMA_PATH: &'static str = #PLACEHOLDER_PATH;
                const FINGERPRINT: #krate::meta::Fingerprint = #none;
                #derived
                fn write_fields(&self, #w) {}
            }
        },
        (Derive::Event, false) => quote! {
            impl #impl_generics #krate::TelemetryEvent for #ident #ty_generics #where_clause {
                const META: &'static #krate::meta::EventMeta =
                    &#krate::__private::event_meta("", "", &[], #none, ::core::option::Option::None);
                #derived
                fn write_properties(&self, #w) {}
            }
        },
        (Derive::Context, false) => quote! {
            impl #impl_generics #krate::TelemetryContext for #ident #ty_generics #where_clause {
                const APP: &'static str = "";
                const KEYS: &'static [&'static str] = &[];
                const FINGERPRINT: #krate::meta::Fingerprint = #none;
                #derived
                fn write_fields(&self, #w) {}
            }
        },
    }
}

/// The schema's fingerprint as a `Fingerprint` expression.
pub(crate) fn fingerprint(fingerprint: u128) -> TokenStream {
    let v = proc_macro2::Literal::u128_suffixed(fingerprint);
    quote!(::telemetry_core::__private::fingerprint(#v))
}

/// `EventMeta::expires`: the event's `expires` date and its first second (UTC).
fn expires(event: &Event) -> TokenStream {
    match &event.expires {
        Some(Expiry::On(date)) => {
            let text = date.to_string();
            // Dates before 1970 have long passed: their first second is the epoch's.
            let secs = u64::try_from(date.days_since_epoch()).unwrap_or(0) * 86_400;
            quote!(::core::option::Option::Some(::telemetry_core::__private::expires(#text, #secs)))
        }
        _ => quote!(::core::option::Option::None),
    }
}

/// For an event past its `expires` date (judged today, UTC): a deprecated
/// item used at the struct's name, so rustc warns there and the build goes
/// on. Builds never break on a date; the runtime records nothing for it.
fn expired_warning(event: &Event, ident: &syn::Ident) -> TokenStream {
    let Some(Expiry::On(date)) = &event.expires else { return TokenStream::new() };
    if !event.expired_on(Date::today()) {
        return TokenStream::new();
    }
    let note = format!(
        "event `{}` expired on {date}: it still compiles, but nothing is recorded for it; remove the event and the code that records it, or move `expires` to a later date after a new review",
        event.name
    );
    let item = format_ident!("TELEMETRY_EVENT_EXPIRED");
    // Spanned at the user's struct name: rustc does not report `deprecated`
    // at tokens of a macro's own making.
    let used = format_ident!("TELEMETRY_EVENT_EXPIRED", span = ident.span());
    quote! {
        const _: () = {
            #[deprecated(note = #note)]
            const #item: () = ();
            #used
        };
    }
}

pub(crate) fn field_meta(f: &SchemaField) -> TokenStream {
    let name = &f.name;
    let ty = f.ty.as_ref().map(FieldType::name).unwrap_or_default();
    let collect = match f.collect {
        Collect::Hashed => {
            let scope = write::hash_scope(f.hash);
            quote!(::telemetry_core::meta::Collect::Hashed(#scope))
        }
        _ => quote!(::telemetry_core::meta::Collect::Allowed),
    };
    let required = f.required;
    let max_length = match &f.ty {
        Some(FieldType::String { max_length: Some(n) }) => quote!(::core::option::Option::Some(#n)),
        _ => quote!(::core::option::Option::None),
    };
    let values: Vec<&String> = match &f.ty {
        Some(FieldType::Enum { values }) => values.iter().collect(),
        _ => Vec::new(),
    };
    quote!(::telemetry_core::__private::field_meta(#name, #ty, #collect, #required, #max_length, &[#(#values),*]))
}
