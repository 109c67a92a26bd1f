//! The body of the generated methods: one writer call per field, and the
//! compile-time checks of enum values and object paths that only the type
//! system can answer (a field's type is not known to the derive).

use crate::target::{CONTEXT_PATH, Owner, PLACEHOLDER_PATH, shown_path};
use crate::valid::Planned;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;
use telemetry_schema::{Collect, FieldType, HashScope};

/// The statements that write `fields` through the writer `w`, and the checks they need.
pub(crate) fn body(
    w: &Ident,
    fields: &[Planned<'_>],
    path: &str,
    owner: &Owner<'_>,
    generics: &syn::Generics,
    fingerprint: &TokenStream,
) -> (TokenStream, Vec<TokenStream>) {
    let mut checks = Checks { generics, fingerprint, inline: Vec::new(), items: Vec::new() };
    let writes: Vec<TokenStream> = fields.iter().map(|p| write_field(w, p, path, owner, &mut checks)).collect();
    let Checks { inline, items, .. } = checks;
    (quote!(#(#inline)* #(#writes)*), items)
}

/// Compile-time checks of enum values and object paths. Item-level
/// `const _` items are evaluated by `cargo check` too; a check whose type
/// names the struct's type parameters can only live inside the method, as
/// an inline `const` evaluated when the method is compiled.
struct Checks<'a> {
    generics: &'a syn::Generics,
    /// The holder's schema fingerprint: a nested object struct must share it.
    fingerprint: &'a TokenStream,
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

fn write_field(w: &Ident, p: &Planned<'_>, path: &str, owner: &Owner<'_>, checks: &mut Checks<'_>) -> TokenStream {
    let ident = p.field.ident;
    let ty = p.schema.ty.as_ref().expect("validated: collected fields have a type");
    let inner = p.inner;
    let span = p.field.ty.span();
    let cx = Cx { span, owner, field: &p.schema.name, at: p.schema.loc, path: format!("{path}.{}", p.schema.name) };
    // Spanned at the type, so an unmet `Carries*` bound points at the field.
    let v = format_ident!("__telemetry_v", span = span);
    // A hashed value names its scope: the writer hashes it under that key.
    let hashed = (p.schema.collect == Collect::Hashed).then_some(p.schema.hash);
    let call = emit(w, Some(&p.schema.name), ty, hashed, quote!(#v), quote!(#inner), &cx, checks);
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
    hashed: Option<HashScope>,
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
            if let Some(scope) = hashed {
                let scope = hash_scope(scope);
                quote_spanned!(span=> #w.hashed(#key #p::CarriesString::telemetry_str(#v), #scope))
            } else {
                let max = match max_length {
                    Some(m) => quote!(::core::option::Option::Some(#m)),
                    None => quote!(::core::option::Option::None),
                };
                quote_spanned!(span=> #w.str(#key #p::CarriesString::telemetry_str(#v), #max))
            }
        }
        FieldType::Enum { values } => emit_enum(w, key, values, v, t, cx, checks),
        FieldType::Object { .. } => emit_object(w, key, v, t, cx, checks),
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

/// An enum value: its type must carry exactly the field's values.
fn emit_enum(
    w: &Ident,
    key: Option<TokenStream>,
    values: &[String],
    v: TokenStream,
    t: TokenStream,
    cx: &Cx<'_>,
    checks: &mut Checks<'_>,
) -> TokenStream {
    let span = cx.span;
    let p = quote_spanned!(span=> ::telemetry_core::__private);
    // A trait bound, not a const assertion: a mismatch is a type error
    // in words, naming the field and its values (`{` escaped for the
    // attribute's format string). An enum that names its field
    // (`#[telemetry(schema, field)]`) is checked variant by variant
    // by its own derive first; this covers the others.
    let listed = values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
    let message = format!(
        "`{{Self}}` cannot carry field `{}` of {} ({}:{}): its values are {}",
        cx.field,
        cx.owner.what,
        cx.owner.file,
        cx.at,
        listed.replace('{', "{{").replace('}', "}}")
    );
    let note = "use a fieldless enum with `#[derive(TelemetryEnum)]` whose variants are sent as exactly these values; put `#[telemetry(schema = \"...\", field = \"event.field\")]` on it to have each differing variant named";
    if static_type(&t, checks.generics).is_none() {
        // A type parameter (`kind: K`) cannot be proven to carry the
        // values by a bound; it is checked when the method is
        // compiled for each `K`, as a const assertion.
        let msg = message.replace("{Self}", "the type").replace("{{", "{").replace("}}", "}");
        checks.push(
            &t,
            span,
            |t| quote_spanned!(span=> #p::same_values(<#t as #p::TelemetryEnum>::VALUES, &[#(#values),*])),
            &msg,
        );
        return quote_spanned!(span=> #w.str(#key #p::TelemetryEnum::telemetry_str(#v), ::core::option::Option::None));
    }
    let id = quote_spanned!(span=> { #p::value_set_id(&[#(#values),*]) });
    quote_spanned! {span=>
        {
            #[diagnostic::on_unimplemented(message = #message, label = "the schema declares this field `type: enum`", note = #note)]
            trait __TelemetryValues: #p::TelemetryEnum {}
            impl<T: ?::core::marker::Sized + #p::EnumValueSet<#id>> __TelemetryValues for T {}
            fn __telemetry_value<T: ?::core::marker::Sized + __TelemetryValues>(v: &T) -> &'static str {
                #p::TelemetryEnum::telemetry_str(v)
            }
            #w.str(#key __telemetry_value::<#t>(#v), ::core::option::Option::None)
        }
    }
}

/// A nested object: its struct must be derived against this object of the same schema.
fn emit_object(
    w: &Ident,
    key: Option<TokenStream>,
    v: TokenStream,
    t: TokenStream,
    cx: &Cx<'_>,
    checks: &mut Checks<'_>,
) -> TokenStream {
    let span = cx.span;
    let p = quote_spanned!(span=> ::telemetry_core::__private);
    let path = &cx.path;
    let (root, object) = path.split_once('.').unwrap_or_default();
    let derive = if root == CONTEXT_PATH {
        format!("`TelemetryContext` on it with #[telemetry(schema = ..., object = \"{object}\")]")
    } else {
        format!("`TelemetryEvent` on it with #[telemetry(schema = ..., event = \"{root}\", object = \"{object}\")]")
    };
    let msg = format!(
        "the struct of field `{}` must be checked against object `{}`: derive {derive}",
        cx.field,
        shown_path(path)
    );
    checks.push(
        &t,
        span,
        |t| {
            let of = quote_spanned!(span=> <#t as ::telemetry_core::TelemetryObject>::SCHEMA_PATH);
            quote_spanned!(span=> #p::str_eq(#of, #path) || #p::str_eq(#of, #PLACEHOLDER_PATH))
        },
        &msg,
    );
    let fp = checks.fingerprint.clone();
    let msg = format!(
        "the struct of field `{}` was checked against another schema than {} ({}): a copy of a schema, even with the same `app.name`, does not make the same promise",
        cx.field, cx.owner.what, cx.owner.file
    );
    checks.push(
        &t,
        span,
        |t| {
            let of = quote_spanned!(span=> <#t as ::telemetry_core::TelemetryObject>);
            quote_spanned!(span=> #of::FINGERPRINT.same(#fp) || #p::str_eq(#of::SCHEMA_PATH, #PLACEHOLDER_PATH))
        },
        &msg,
    );
    quote_spanned!(span=> #w.object(#key |__telemetry_o| ::telemetry_core::TelemetryObject::write_fields(#v, __telemetry_o)))
}

/// A `HashScope` expression: whose key the writer hashes a value under.
pub(crate) fn hash_scope(scope: HashScope) -> TokenStream {
    match scope {
        HashScope::Install => quote!(::telemetry_core::meta::HashScope::Install),
        HashScope::Product => quote!(::telemetry_core::meta::HashScope::Product),
    }
}
