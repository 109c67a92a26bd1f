//! `#[derive(TelemetryEnum)]`: a fieldless enum as a schema `enum`.

use crate::attr::{self, combine};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Error, Fields};

pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let Data::Enum(data) = &node.data else {
        return Error::new(
            node.ident.span(),
            "`TelemetryEnum` can only be derived for a fieldless enum\n  help: declare `enum Name { VariantA, VariantB }`; its variants are sent in snake_case",
        )
        .to_compile_error();
    };
    let mut errors: Option<Error> = None;
    let mut arms = Vec::new();
    let mut values = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            combine(
                &mut errors,
                Error::new_spanned(
                    &v.fields,
                    "a `TelemetryEnum` variant cannot carry data: only its name is sent\n  help: remove the fields",
                ),
            );
            continue;
        }
        let value = match attr::rename(&v.attrs) {
            Ok(Some(lit)) => lit.value(),
            Ok(None) => telemetry_schema::to_snake_case(&v.ident.to_string()),
            Err(e) => {
                combine(&mut errors, e);
                continue;
            }
        };
        let ident = &v.ident;
        arms.push(quote!(Self::#ident => #value));
        values.push(value);
    }
    if let Some(e) = errors {
        return e.to_compile_error();
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
