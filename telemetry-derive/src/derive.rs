//! The derive pipeline, in the manner of serde_derive and thiserror:
//! parse (`ast`, `attr`), load the schema (`load`), run every check
//! (`valid`), and only then emit code (`expand`). Problems are collected
//! in one `Ctxt` along the way, so a build shows all of them.

use crate::ast::Input;
use crate::ctxt::Ctxt;
use crate::target::Derive;
use crate::{attr, expand, load, valid};
use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

/// The impl, or the errors beside a placeholder impl (see `expand::placeholder`).
pub(crate) fn derive(node: &DeriveInput, derive: Derive) -> TokenStream {
    let mut cx = Ctxt::default();
    let input = Input::from_syn(node, derive.name()).map_err(|e| cx.push(e)).ok();
    let attrs = attr::container(&node.attrs, derive.keys(), &mut cx);
    let failed = |errors: TokenStream| {
        let dummy = expand::placeholder(node, derive, attrs.object.is_some());
        quote!(#errors #dummy)
    };
    let Some(input) = input.filter(|_| cx.is_ok()) else {
        return failed(cx.into_compile_errors());
    };
    let Some(schema_lit) = &attrs.schema else {
        cx.error(
            node.ident.span(),
            format!("`{}` needs the schema this struct is checked against", derive.name()),
            "add `#[telemetry(schema = \"path/to/schema.yaml\")]` (relative to this file)",
        );
        return failed(cx.into_compile_errors());
    };
    let loaded = match load::load(schema_lit) {
        Ok(l) => l,
        // A failed build is never fresh, so cargo retries it without tracking the file.
        Err(e) => return failed(e.to_compile_error()),
    };
    let track = loaded.track();
    let out = match valid::plan(derive, &input, &attrs, &loaded, &mut cx) {
        Some(plan) => expand::expand(&plan),
        None => failed(cx.into_compile_errors()),
    };
    quote!(#out #track)
}
