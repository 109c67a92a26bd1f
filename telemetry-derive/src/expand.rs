//! Emits the `TelemetryEvent` / `TelemetryObject` impls.

use crate::ast::Input;
use crate::attr::{self, combine};
use crate::load::{self, Loaded};
use crate::valid::{self, Owner, Planned};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Error, Ident, Result};
use telemetry_schema::{Collect, Field as SchemaField, FieldType};

pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let mut errors: Option<Error> = None;
    let input = Input::from_syn(node).map_err(|e| combine(&mut errors, e)).ok();
    let attrs = attr::container(&node.attrs).map_err(|e| combine(&mut errors, e)).ok();
    let (Some(input), Some(attrs)) = (input, attrs) else {
        return errors.map(|e| e.to_compile_error()).unwrap_or_default();
    };
    let Some(schema_lit) = &attrs.schema else {
        return Error::new(
            node.ident.span(),
            "`TelemetryEvent` needs the schema this struct is checked against\n  help: add `#[telemetry(schema = \"path/to/schema.yaml\")]` (relative to this file)",
        )
        .to_compile_error();
    };
    let loaded = match load::load(schema_lit) {
        Ok(l) => l,
        // A failed build is never fresh, so cargo retries it without tracking the file.
        Err(e) => return e.to_compile_error(),
    };
    let track = track_file(&loaded.abs.display().to_string());
    match expand(&input, &attrs, &loaded) {
        Ok(ts) => quote!(#ts #track),
        Err(e) => {
            let e = e.to_compile_error();
            quote!(#e #track)
        }
    }
}

/// `include_bytes!` makes cargo rebuild the crate when the schema changes.
pub(crate) fn track_file(abs: &str) -> TokenStream {
    quote!(
        const _: &[u8] = ::core::include_bytes!(#abs);
    )
}

fn expand(input: &Input<'_>, attrs: &attr::Container, loaded: &Loaded) -> Result<TokenStream> {
    let schema = &loaded.schema;
    let default_name;
    let (event_name, event_span) = match &attrs.event {
        Some(l) => (l.value(), l.span()),
        None => {
            if attrs.object.is_some() {
                return Err(Error::new(
                    input.ident.span(),
                    "a nested object struct must name its event\n  help: add `event = \"event_name\"` beside `object = ...`",
                ));
            }
            default_name = telemetry_schema::to_snake_case(&input.ident.to_string());
            (default_name, input.ident.span())
        }
    };
    let Some(event) = schema.event(&event_name) else {
        let names = schema.events.iter().map(|e| e.name.as_str());
        let help = match telemetry_schema::did_you_mean(&event_name, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "declare it under `events:` in {}, or name an existing event with `#[telemetry(event = \"...\")]`; declared: {}",
                loaded.shown,
                schema.events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        };
        let how = if attrs.event.is_some() { "" } else { " (the struct name in snake_case)" };
        return Err(Error::new(
            event_span,
            format!("event `{event_name}`{how} is not declared in {}\n  help: {help}", loaded.shown),
        ));
    };

    let (fields, owner, path) = match &attrs.object {
        None => (
            &event.fields,
            Owner { what: format!("event `{}`", event.name), file: &loaded.shown, loc: event.loc },
            event.name.clone(),
        ),
        Some(obj) => {
            let (fields, path, loc) = object_fields(&event.fields, &event.name, obj, &loaded.shown)?;
            (fields, Owner { what: format!("object `{path}`"), file: &loaded.shown, loc }, path)
        }
    };
    let planned = valid::check(input, &owner, fields)?;

    let w = format_ident!("__telemetry_w");
    let mut checks = Checks { generics: input.generics, inline: Vec::new(), items: Vec::new() };
    let writes: Vec<TokenStream> = planned.iter().map(|p| write_field(&w, p, &path, &owner, &mut checks)).collect();
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = quote!(::telemetry_core);
    let Checks { inline, items, .. } = checks;
    let body = quote! {
        #(#inline)*
        #(#writes)*
    };
    let imp = match &attrs.object {
        None => {
            let app = &schema.app.name;
            let name = &event.name;
            let metas = fields.iter().filter(|f| f.is_collected()).map(field_meta);
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
        Some(_) => quote! {
            impl #impl_generics #krate::TelemetryObject for #ident #ty_generics #where_clause {
                const SCHEMA_PATH: &'static str = #path;
                fn write_fields(&self, #w: &mut #krate::PropertyWriter<'_>) {
                    #body
                }
            }
        },
    };
    Ok(quote!(#imp #(#items)*))
}

/// Compile-time checks of enum values and object paths. Item-level
/// `const _` items are evaluated by `cargo check` too; a check whose type
/// names the struct's type parameters can only live inside the method, as
/// an inline `const` evaluated when the method is compiled.
struct Checks<'a> {
    generics: &'a syn::Generics,
    inline: Vec<TokenStream>,
    items: Vec<TokenStream>,
}

impl Checks<'_> {
    fn push(&mut self, ty: &TokenStream, span: Span, cond: impl Fn(&TokenStream) -> TokenStream, msg: &str) {
        match static_type(ty, self.generics) {
            Some(t) => {
                let c = cond(&t);
                self.items.push(quote_spanned!(span=> const _: () = ::core::assert!(#c, #msg);));
            }
            None => {
                let c = cond(ty);
                self.inline.push(quote_spanned!(span=> const { ::core::assert!(#c, #msg) };));
            }
        }
    }
}

/// `ty` with every lifetime replaced by `'static`, or `None` when it names
/// one of the struct's type or const parameters.
fn static_type(ty: &TokenStream, generics: &syn::Generics) -> Option<TokenStream> {
    use proc_macro2::{Group, TokenTree};
    let params: Vec<String> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            syn::GenericParam::Const(c) => Some(c.ident.to_string()),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    fn walk(ts: TokenStream, params: &[String]) -> Option<TokenStream> {
        let mut out = Vec::new();
        let mut after_tick = false;
        for tt in ts {
            let tt = match tt {
                TokenTree::Group(g) => {
                    let mut ng = Group::new(g.delimiter(), walk(g.stream(), params)?);
                    ng.set_span(g.span());
                    TokenTree::Group(ng)
                }
                TokenTree::Ident(i) if after_tick => TokenTree::Ident(proc_macro2::Ident::new("static", i.span())),
                TokenTree::Ident(i) if params.iter().any(|p| i == p) => return None,
                other => other,
            };
            after_tick = matches!(&tt, TokenTree::Punct(p) if p.as_char() == '\'');
            out.push(tt);
        }
        Some(out.into_iter().collect())
    }
    walk(ty.clone(), &params)
}

/// The fields of the object at `obj` (`a.b`) inside an event, and its full path (`event.a.b`).
fn object_fields<'s>(
    mut fields: &'s [SchemaField],
    event: &str,
    obj: &syn::LitStr,
    shown: &str,
) -> Result<(&'s Vec<SchemaField>, String, telemetry_schema::Loc)> {
    let mut path = event.to_string();
    let mut found: Option<(&'s Vec<SchemaField>, telemetry_schema::Loc)> = None;
    for part in obj.value().split('.') {
        let f = fields.iter().find(|f| f.name == part).ok_or_else(|| {
            let help = match telemetry_schema::did_you_mean(part, fields.iter().map(|f| f.name.as_str())) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "name an `object` field of the event, e.g. `object = \"source\"` or `object = \"usage.sampling\"`"
                        .into()
                }
            };
            Error::new(obj.span(), format!("`{path}` has no field `{part}` in {shown}\n  help: {help}"))
        })?;
        path.push('.');
        path.push_str(part);
        let inner = match &f.ty {
            Some(FieldType::Object { fields }) => fields,
            Some(FieldType::List { items }) => match &**items {
                FieldType::Object { fields } => fields,
                _ => return Err(not_object(obj, &path, shown, f)),
            },
            _ => return Err(not_object(obj, &path, shown, f)),
        };
        fields = inner;
        found = Some((inner, f.loc));
    }
    found.map(|(f, loc)| (f, path, loc)).ok_or_else(|| Error::new(obj.span(), "empty object path"))
}

fn not_object(obj: &syn::LitStr, path: &str, shown: &str, f: &SchemaField) -> Error {
    Error::new(
        obj.span(),
        format!(
            "`{path}` is not an object field ({shown}:{})\n  help: `object = ...` names a field declared `type: object` (or a list of objects)",
            f.loc
        ),
    )
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

fn write_field(w: &Ident, p: &Planned<'_>, path: &str, owner: &Owner<'_>, checks: &mut Checks<'_>) -> TokenStream {
    let ident = p.field.ident;
    let ty = p.schema.ty.as_ref().expect("validated: collected fields have a type");
    let inner = p.inner;
    let span = p.field.ty.span();
    let cx = Cx { span, owner, field: &p.schema.name, at: p.schema.loc, path: format!("{path}.{}", p.schema.name) };
    // Spanned at the type, so an unmet `Carries*` bound points at the field.
    let v = format_ident!("__telemetry_v", span = span);
    let call =
        emit(w, Some(&p.schema.name), ty, p.schema.collect == Collect::Hashed, quote!(#v), quote!(#inner), &cx, checks);
    if p.optional {
        quote!(if let ::core::option::Option::Some(#v) = &self.#ident { #call; })
    } else {
        quote!({ let #v = &self.#ident; #call; })
    }
}

struct Cx<'a> {
    span: Span,
    owner: &'a Owner<'a>,
    field: &'a str,
    at: telemetry_schema::Loc,
    path: String,
}

/// One value write: `w.method("name", value)` for a property, `w.method(value)` for a list item.
#[allow(clippy::too_many_arguments)]
fn emit(
    w: &Ident,
    name: Option<&str>,
    ty: &FieldType,
    hashed: bool,
    v: TokenStream,
    t: TokenStream,
    cx: &Cx<'_>,
    checks: &mut Checks<'_>,
) -> TokenStream {
    let span = cx.span;
    let p = quote_spanned!(span=> ::telemetry_core::__private);
    let key = name.map(|n| quote!(#n,));
    let num = |tr: &str, method: &str| {
        let tr = format_ident!("{tr}", span = span);
        let m = format_ident!("{method}");
        let conv = format_ident!("telemetry_{method}");
        quote_spanned!(span=> #w.#m(#key #p::#tr::#conv(#v)))
    };
    match ty {
        FieldType::Bool => quote_spanned!(span=> #w.bool(#key #p::CarriesBool::telemetry_bool(#v))),
        FieldType::U8 => num("CarriesU8", "u64"),
        FieldType::U16 => num("CarriesU16", "u64"),
        FieldType::U32 => num("CarriesU32", "u64"),
        FieldType::U64 => num("CarriesU64", "u64"),
        FieldType::I8 => num("CarriesI8", "i64"),
        FieldType::I16 => num("CarriesI16", "i64"),
        FieldType::I32 => num("CarriesI32", "i64"),
        FieldType::I64 => num("CarriesI64", "i64"),
        FieldType::F32 => num("CarriesF32", "f64"),
        FieldType::F64 => num("CarriesF64", "f64"),
        FieldType::String { max_length } => {
            if hashed {
                quote_spanned!(span=> #w.hashed(#key #p::CarriesString::telemetry_str(#v)))
            } else {
                let max = match max_length {
                    Some(m) => quote!(::core::option::Option::Some(#m)),
                    None => quote!(::core::option::Option::None),
                };
                quote_spanned!(span=> #w.str(#key #p::CarriesString::telemetry_str(#v), #max))
            }
        }
        FieldType::Enum { values } => {
            let msg = format!(
                "the enum type of field `{}` must have exactly the values {} declared by {} at {}:{} (derive `TelemetryEnum`; rename variants with #[telemetry(rename = \"...\")])",
                cx.field,
                values.join(", "),
                cx.owner.what,
                cx.owner.file,
                cx.at
            );
            checks.push(
                &t,
                span,
                |t| quote_spanned!(span=> #p::same_values(<#t as #p::TelemetryEnum>::VALUES, &[#(#values),*])),
                &msg,
            );
            quote_spanned!(span=> #w.str(#key #p::TelemetryEnum::telemetry_str(#v), ::core::option::Option::None))
        }
        FieldType::Object { .. } => {
            let path = &cx.path;
            let msg = format!(
                "the struct of field `{}` must be checked against object `{path}`: derive `TelemetryEvent` on it with #[telemetry(schema = ..., event = \"{}\", object = \"{}\")]",
                cx.field,
                path.split('.').next().unwrap_or_default(),
                path.split_once('.').map(|x| x.1).unwrap_or_default()
            );
            checks.push(
                &t,
                span,
                |t| quote_spanned!(span=> #p::str_eq(<#t as ::telemetry_core::TelemetryObject>::SCHEMA_PATH, #path)),
                &msg,
            );
            quote_spanned!(span=> #w.object(#key |__telemetry_o| ::telemetry_core::TelemetryObject::write_fields(#v, __telemetry_o)))
        }
        FieldType::List { items } => {
            let lw = format_ident!("__telemetry_lw");
            let item = format_ident!("__telemetry_item", span = span);
            let item_t = quote_spanned!(span=> <#t as #p::CarriesList>::Item);
            let inner = emit(&lw, None, items, hashed, quote!(#item), item_t, cx, checks);
            quote_spanned! {span=>
                #w.list(#key |#lw| for #item in #p::CarriesList::telemetry_items(#v) { #inner; })
            }
        }
    }
}
