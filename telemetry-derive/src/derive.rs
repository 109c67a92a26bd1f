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

pub(crate) fn derive(node: &DeriveInput, derive: Derive) -> TokenStream {
    let mut cx = Ctxt::default();
    let input = Input::from_syn(node, derive.name()).map_err(|e| cx.push(e)).ok();
    let attrs = attr::container(&node.attrs, derive.keys(), &mut cx);
    let Some(input) = input.filter(|_| cx.is_ok()) else {
        return cx.into_compile_errors();
    };
    let Some(schema_lit) = &attrs.schema else {
        cx.error(
            node.ident.span(),
            format!("`{}` needs the schema this struct is checked against", derive.name()),
            "add `#[telemetry(schema = \"path/to/schema.yaml\")]` (relative to this file)",
        );
        return cx.into_compile_errors();
    };
    let loaded = match load::load(schema_lit) {
        Ok(l) => l,
        // A failed build is never fresh, so cargo retries it without tracking the file.
        Err(e) => return e.to_compile_error(),
    };
    let track = expand::track_file(&loaded.abs.display().to_string());
    match valid::plan(derive, &input, &attrs, &loaded, &mut cx) {
        Some(plan) => {
            let imp = expand::expand(&plan);
            quote!(#imp #track)
        }
        None => {
            let errors = cx.into_compile_errors();
            quote!(#errors #track)
        }
    }
}
