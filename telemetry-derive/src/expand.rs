//! Emits the `TelemetryEvent`, `TelemetryContext` and `TelemetryObject`
//! impls of a checked struct. Every user-facing check ran before, in
//! `valid`; this module only writes code.

use crate::target::{Derive, Kind, PLACEHOLDER_PATH};
use crate::valid::Plan;
use crate::write;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::DeriveInput;
use telemetry_schema::{Collect, Field as SchemaField, FieldType};

/// `include_bytes!` makes cargo rebuild the crate when the schema changes.
pub(crate) fn track_file(abs: &str) -> TokenStream {
    quote!(
        const _: &[u8] = ::core::include_bytes!(#abs);
    )
}

/// The impl of a struct that passed every check.
pub(crate) fn expand(plan: &Plan<'_>) -> TokenStream {
    let input = plan.input;
    let target = &plan.target;
    let w = format_ident!("__telemetry_w");
    let (body, items) = write::body(&w, &plan.fields, &target.path, &target.owner, input.generics);
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = quote!(::telemetry_core);
    let imp = match target.kind {
        Kind::Event(event) => {
            let app = plan.app;
            let name = &event.name;
            let metas = target.fields.iter().filter(|f| f.is_collected()).map(field_meta);
            quote! {
                impl #impl_generics #krate::TelemetryEvent for #ident #ty_generics #where_clause {
                    const META: &'static #krate::meta::EventMeta = &#krate::meta::EventMeta {
                        app: #app,
                        name: #name,
                        fields: &[#(#metas),*],
                    };
                    fn write_properties(&self, #w: &mut #krate::PropertyWriter<'_>) {
                        #body
                    }
                }
            }
        }
        Kind::Context => {
            let app = plan.app;
            let keys = plan.fields.iter().map(|p| &p.schema.name);
            quote! {
                impl #impl_generics #krate::TelemetryContext for #ident #ty_generics #where_clause {
                    const APP: &'static str = #app;
                    const KEYS: &'static [&'static str] = &[#(#keys),*];
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
    match (derive, object) {
        (_, true) => quote! {
            impl #impl_generics #krate::TelemetryObject for #ident #ty_generics #where_clause {
                const SCHEMA_PATH: &'static str = #PLACEHOLDER_PATH;
                fn write_fields(&self, #w) {}
            }
        },
        (Derive::Event, false) => quote! {
            impl #impl_generics #krate::TelemetryEvent for #ident #ty_generics #where_clause {
                const META: &'static #krate::meta::EventMeta =
                    &#krate::meta::EventMeta { app: "", name: "", fields: &[] };
                fn write_properties(&self, #w) {}
            }
        },
        (Derive::Context, false) => quote! {
            impl #impl_generics #krate::TelemetryContext for #ident #ty_generics #where_clause {
                const APP: &'static str = "";
                const KEYS: &'static [&'static str] = &[];
                fn write_fields(&self, #w) {}
            }
        },
    }
}

pub(crate) fn field_meta(f: &SchemaField) -> TokenStream {
    let name = &f.name;
    let ty = f.ty.as_ref().map(FieldType::name).unwrap_or_default();
    let collect = match f.collect {
        Collect::Hashed => quote!(::telemetry_core::meta::Collect::Hashed),
        _ => quote!(::telemetry_core::meta::Collect::Allowed),
    };
    let required = f.required;
    quote!(::telemetry_core::meta::FieldMeta { name: #name, ty: #ty, collect: #collect, required: #required })
}
