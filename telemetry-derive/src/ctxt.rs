//! The one error type of the derive and the collector that gathers them,
//! in the manner of serde_derive's `internals/ctxt.rs`: checks record every
//! problem they find and go on, so one build shows them all.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::fmt::Display;
use syn::Error;

/// A problem at a token: what is wrong, and how to fix it.
///
/// This is the only place that lays out a message as rustc shows it
/// (`message`, then an indented `help:` line).
pub(crate) fn error(span: Span, message: impl Display, help: impl Display) -> Error {
    Error::new(span, render(message, help))
}

/// [`error`] spanned over every token of `tokens` (a type, a field list).
pub(crate) fn error_spanned(tokens: impl ToTokens, message: impl Display, help: impl Display) -> Error {
    Error::new_spanned(tokens, render(message, help))
}

/// The text of a problem, for errors whose span `syn` chooses (`meta.error`).
pub(crate) fn render(message: impl Display, help: impl Display) -> String {
    format!("{message}\n  help: {help}")
}

/// Collects the problems of one macro call.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Option<Error>,
}

impl Ctxt {
    /// Records a problem at `span`.
    pub(crate) fn error(&mut self, span: Span, message: impl Display, help: impl Display) {
        self.push(error(span, message, help));
    }

    /// Records a problem spanned over `tokens`.
    pub(crate) fn error_spanned(&mut self, tokens: impl ToTokens, message: impl Display, help: impl Display) {
        self.push(error_spanned(tokens, message, help));
    }

    /// Records an error built elsewhere (by `syn`'s parser, or [`error`]).
    pub(crate) fn push(&mut self, e: Error) {
        match &mut self.errors {
            Some(acc) => acc.combine(e),
            None => self.errors = Some(e),
        }
    }

    /// Whether nothing went wrong so far.
    pub(crate) fn is_ok(&self) -> bool {
        self.errors.is_none()
    }

    /// Every recorded problem as one error, or `None` when there were none.
    pub(crate) fn into_error(self) -> Option<Error> {
        self.errors
    }

    /// The `compile_error!`s of every recorded problem (empty when none).
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.errors.map(|e| e.to_compile_error()).unwrap_or_default()
    }
}
