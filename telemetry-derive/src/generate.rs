//! `generate_events!("schema.yaml")`: the event structs (and the enums and
//! nested structs they need) generated from a schema, each deriving
//! `TelemetryEvent`, and a `Context` struct deriving `TelemetryContext`
//! when the schema declares context keys the runtime cannot fill, for
//! users who would rather not write them. Their `Debug` prints `hashed`
//! fields as `<hashed>`: an app that logs `?event` must not leak what the
//! schema promises to send only as a hash.

use crate::load;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Ident, LitStr};
use telemetry_schema::{Collect, Field, FieldType};

/// The items; when the schema is broken, only its errors (once per crate).
pub(crate) fn expand(lit: &LitStr) -> TokenStream {
    match load::load(lit) {
        Ok(loaded) => items(&loaded),
        Err(e) => e.to_compile_error(),
    }
}

fn items(loaded: &load::Loaded) -> TokenStream {
    let abs = loaded.abs.display().to_string();
    let mut out = TokenStream::new();
    for event in &loaded.schema.events {
        let name = camel(&event.name);
        let doc = &event.description;
        let ev = &event.name;
        let mut extra = TokenStream::new();
        let fields = struct_fields(&name, &event.fields, &abs, Root::Event(ev), "", &mut extra);
        let debug = redacted_debug(&name, &event.fields);
        out.extend(quote! {
            #[doc = #doc]
            #[derive(Clone, PartialEq, ::telemetry_core::TelemetryEvent)]
            #[telemetry(schema = #abs, event = #ev)]
            pub struct #name { #fields }
            #debug
            #extra
        });
    }
    out.extend(context(loaded, &abs));
    out
}

/// `Context`, carrying the context keys the runtime cannot fill, when the
/// schema declares any (the well-known ones are left to the runtime).
fn context(loaded: &load::Loaded, abs: &str) -> TokenStream {
    let own: Vec<Field> = loaded
        .schema
        .context
        .iter()
        .filter(|f| f.is_collected() && !telemetry_schema::WELL_KNOWN_CONTEXT.contains(&f.name.as_str()))
        .cloned()
        .collect();
    if own.is_empty() {
        return TokenStream::new();
    }
    let name = format_ident!("Context");
    let mut extra = TokenStream::new();
    let fields = struct_fields(&name, &own, abs, Root::Context, "", &mut extra);
    let debug = redacted_debug(&name, &own);
    quote! {
        /// The context keys sent with every event that the runtime cannot fill itself.
        #[derive(Clone, PartialEq, ::telemetry_core::TelemetryContext)]
        #[telemetry(schema = #abs)]
        pub struct #name { #fields }
        #debug
        #extra
    }
}

/// Where a generated struct's fields are declared.
#[derive(Clone, Copy)]
enum Root<'a> {
    /// Under this event.
    Event(&'a str),
    /// Under `context`.
    Context,
}

fn struct_fields(
    owner: &Ident,
    fields: &[Field],
    abs: &str,
    root: Root<'_>,
    path: &str,
    extra: &mut TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    for f in fields.iter().filter(|f| f.is_collected()) {
        let ty = f.ty.as_ref().expect("validated: collected fields have a type");
        let ident = field_ident(&f.name);
        let doc = f.description.clone().unwrap_or_default();
        let sub = format_ident!("{}{}", owner, camel(&f.name).to_string());
        let child_path = if path.is_empty() { f.name.clone() } else { format!("{path}.{}", f.name) };
        let rust = rust_type(ty, &sub, abs, root, &child_path, extra);
        let rust = if f.required { rust } else { quote!(::core::option::Option<#rust>) };
        out.extend(quote!(#[doc = #doc] pub #ident: #rust,));
    }
    out
}

fn rust_type(
    ty: &FieldType,
    name: &Ident,
    abs: &str,
    root: Root<'_>,
    path: &str,
    extra: &mut TokenStream,
) -> TokenStream {
    match ty {
        FieldType::Bool => quote!(bool),
        FieldType::U8 => quote!(u8),
        FieldType::U16 => quote!(u16),
        FieldType::U32 => quote!(u32),
        FieldType::U64 => quote!(u64),
        FieldType::I8 => quote!(i8),
        FieldType::I16 => quote!(i16),
        FieldType::I32 => quote!(i32),
        FieldType::I64 => quote!(i64),
        FieldType::F32 => quote!(f32),
        FieldType::F64 => quote!(f64),
        FieldType::String { .. } => quote!(::std::string::String),
        FieldType::Enum { values } => {
            let variants = variant_idents(values)
                .into_iter()
                .zip(values)
                .map(|(ident, v)| quote!(#[telemetry(rename = #v)] #ident));
            let doc = format!("Values of `{path}`.");
            let field = match root {
                Root::Event(event) => format!("{event}.{path}"),
                Root::Context => format!("context.{path}"),
            };
            extra.extend(quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::telemetry_core::TelemetryEnum)]
                #[telemetry(schema = #abs, field = #field)]
                pub enum #name { #(#variants,)* }
            });
            quote!(#name)
        }
        FieldType::Object { fields } => {
            let body = struct_fields(name, fields, abs, root, path, extra);
            let debug = redacted_debug(name, fields);
            let item = match root {
                Root::Event(event) => {
                    let doc = format!("The object `{path}` of event `{event}`.");
                    quote! {
                        #[doc = #doc]
                        #[derive(Clone, PartialEq, ::telemetry_core::TelemetryEvent)]
                        #[telemetry(schema = #abs, event = #event, object = #path)]
                    }
                }
                Root::Context => {
                    let doc = format!("The context object `{path}`.");
                    quote! {
                        #[doc = #doc]
                        #[derive(Clone, PartialEq, ::telemetry_core::TelemetryContext)]
                        #[telemetry(schema = #abs, object = #path)]
                    }
                }
            };
            extra.extend(quote!(#item pub struct #name { #body } #debug));
            quote!(#name)
        }
        FieldType::List { items } => {
            let item = rust_type(items, name, abs, root, path, extra);
            quote!(::std::vec::Vec<#item>)
        }
    }
}

/// `Debug` for a generated struct: like the derived one, but a `hashed`
/// field (a string, or a list of them) prints `<hashed>`, whatever its value.
/// Forbidden fields are never generated, so there is nothing to print.
fn redacted_debug(name: &Ident, fields: &[Field]) -> TokenStream {
    let label = name.to_string();
    let entries = fields.iter().filter(|f| f.is_collected()).map(|f| {
        let key = &f.name;
        let ident = field_ident(&f.name);
        match f.collect {
            Collect::Hashed => quote!(.field(#key, &::core::format_args!("<hashed>"))),
            _ => quote!(.field(#key, &self.#ident)),
        }
    });
    quote! {
        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}

/// `snake_case` to `UpperCamelCase`.
fn camel(s: &str) -> Ident {
    let mut out = String::new();
    for word in s.split('_').filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    format_ident!("{}", out)
}

/// A variant per value (`custom-prefix` as `CustomPrefix`); two values
/// that would share a name (`a-b`, `a_b`) are told apart by a number.
fn variant_idents(values: &[String]) -> Vec<Ident> {
    let mut taken: Vec<String> = Vec::new();
    for v in values {
        let base = telemetry_schema::variant_name(v);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.push(name);
    }
    taken.iter().map(|n| format_ident!("{}", n)).collect()
}

/// A field name as an identifier; raw when it is a keyword (`type` as `r#type`).
fn field_ident(name: &str) -> Ident {
    match syn::parse_str::<Ident>(name) {
        Ok(i) => i,
        Err(_) => format_ident!("r#{}", name),
    }
}
