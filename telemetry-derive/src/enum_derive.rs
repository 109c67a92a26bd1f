//! `#[derive(TelemetryEnum)]`: a fieldless enum as a schema `enum`.
//!
//! The pipeline of the struct derives, smaller: read the variants and their
//! wire values, check them against the schema field the enum names (when it
//! names one, in `enum_valid`), and only then emit the impl.

use crate::ast::Variant;
use crate::attr;
use crate::ctxt::{self, Ctxt};
use crate::{enum_valid, load};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;
use syn::{Data, DataEnum, DeriveInput, Fields, Ident, parse_quote};

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
    let attrs = attr::container(&node.attrs, &["schema", "field"], &mut cx);
    let variants = variants(data, &mut cx);
    let mut out = TokenStream::new();
    let mut checked = true;
    match (&attrs.schema, &attrs.field) {
        (Some(schema), Some(field)) => match load::load(schema) {
            Ok(loaded) => {
                out.extend(loaded.track());
                enum_valid::check(&node.ident, &variants, field, &loaded, &mut cx);
            }
            Err(e) => {
                out.extend(e.to_compile_error());
                checked = false;
            }
        },
        (None, None) => {}
        (Some(schema), None) => cx.error(
            schema.span(),
            "`schema = ...` on an enum needs the field whose values it carries",
            "add `field = \"event.field\"` (or `field = \"context.key\"`) beside it",
        ),
        (None, Some(field)) => cx.error(
            field.span(),
            "`field = ...` needs the schema that declares the field",
            "add `schema = \"path/to/schema.yaml\"` (relative to this file) beside it",
        ),
    }
    if !(checked && cx.is_ok()) {
        out.extend(cx.into_compile_errors());
        out.extend(placeholder(node));
        return out;
    }
    out.extend(implement(node, &variants));
    out
}

/// Each unit variant with its value; problems (data, a bad `rename`, two
/// variants sent as one value) go to `cx`.
fn variants<'a>(data: &'a DataEnum, cx: &mut Ctxt) -> Vec<Variant<'a>> {
    let mut out: Vec<Variant<'a>> = Vec::new();
    let mut seen: HashMap<String, &Ident> = HashMap::new();
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
            Ok(Some(lit)) => {
                if let Some((message, help)) = telemetry_schema::enum_value_problem(&lit.value()) {
                    cx.error(lit.span(), message, help);
                    continue;
                }
                lit.value()
            }
            Ok(None) => telemetry_schema::default_enum_value(&v.ident.to_string()),
            Err(e) => {
                cx.push(e);
                continue;
            }
        };
        if let Some(first) = seen.insert(value.clone(), &v.ident) {
            cx.error(
                v.ident.span(),
                format!("variants `{first}` and `{}` are both sent as `{value}`", v.ident),
                "give each variant its own value with `#[telemetry(rename = \"...\")]`",
            );
            continue;
        }
        out.push(Variant { ident: &v.ident, value });
    }
    out
}

fn implement(node: &DeriveInput, variants: &[Variant<'_>]) -> TokenStream {
    let ident = &node.ident;
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let arms = variants.iter().map(|v| {
        let (variant, value) = (v.ident, &v.value);
        quote!(Self::#variant => #value)
    });
    let body = if variants.is_empty() { quote!(match *self {}) } else { quote!(match self { #(#arms,)* }) };
    let p = quote!(::telemetry_core::__private);
    quote! {
        impl #impl_generics ::telemetry_core::TelemetryEnum for #ident #ty_generics #where_clause {
            const VALUES: &'static [&'static str] = &[#(#values),*];
            const DERIVED: #p::Derived = #p::DERIVED;
            fn telemetry_str(&self) -> &'static str {
                #body
            }
        }
        impl #impl_generics #p::EnumValueSet<{ #p::value_set_id(&[#(#values),*]) }> for #ident #ty_generics #where_clause {}
    }
}

/// The impls of an enum whose derive failed (and said why): it passes every
/// field's values check, so one mistake gives one error, not a second one
/// at each struct that carries the enum. The build fails on the first.
fn placeholder(node: &DeriveInput) -> TokenStream {
    let ident = &node.ident;
    let (_, ty_generics, _) = node.generics.split_for_impl();
    let (impl_generics, _, where_clause) = node.generics.split_for_impl();
    let mut any = node.generics.clone();
    any.params.push(parse_quote!(const __TELEMETRY_ID: u128));
    let (any_generics, _, any_where) = any.split_for_impl();
    let p = quote!(::telemetry_core::__private);
    quote! {
        impl #impl_generics ::telemetry_core::TelemetryEnum for #ident #ty_generics #where_clause {
            const VALUES: &'static [&'static str] = &[];
            const DERIVED: #p::Derived = #p::DERIVED;
            fn telemetry_str(&self) -> &'static str {
                ""
            }
        }
        impl #any_generics #p::EnumValueSet<__TELEMETRY_ID> for #ident #ty_generics #any_where {}
    }
}
