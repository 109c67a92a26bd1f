//! `#[derive(TelemetryEnum)]`: a fieldless enum as a schema `enum`.

use crate::attr;
use crate::ctxt::{self, Ctxt};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let Data::Enum(data) = &node.data else {
        return ctxt::error(
            node.ident.span(),
            "`TelemetryEnum` can only be derived for a fieldless enum",
            "declare `enum Name { VariantA, VariantB }`; its variants are sent in snake_case",
        )
        .to_compile_error();
    };
    let mut cx = Ctxt::default();
    let mut arms = Vec::new();
    let mut values = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            cx.error_spanned(
                &v.fields,
                "a `TelemetryEnum` variant cannot carry data: only its name is sent",
                "remove the fields",
            );
            continue;
        }
        let value = match attr::rename(&v.attrs) {
            Ok(Some(lit)) => lit.value(),
            Ok(None) => telemetry_schema::to_snake_case(&v.ident.to_string()),
            Err(e) => {
                cx.push(e);
                continue;
            }
        };
        let ident = &v.ident;
        arms.push(quote!(Self::#ident => #value));
        values.push(value);
    }
    if !cx.is_ok() {
        return cx.into_compile_errors();
    }
    let ident = &node.ident;
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    let body = if arms.is_empty() { quote!(match *self {}) } else { quote!(match self { #(#arms,)* }) };
    quote! {
        impl #impl_generics ::telemetry_core::TelemetryEnum for #ident #ty_generics #where_clause {
            const VALUES: &'static [&'static str] = &[#(#values),*];
            fn telemetry_str(&self) -> &'static str {
                #body
            }
        }
    }
}
