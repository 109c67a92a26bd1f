//! Derives for `telemetry-core` (work in progress: being filled in).
use proc_macro::TokenStream;

/// Checks a struct against its schema event.
#[proc_macro_derive(TelemetryEvent, attributes(telemetry))]
pub fn derive_event(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Maps a fieldless enum to a schema `enum`.
#[proc_macro_derive(TelemetryEnum, attributes(telemetry))]
pub fn derive_enum(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// The schema's app and consent section as static data.
#[proc_macro]
pub fn app_meta(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Generates event structs from a schema.
#[proc_macro]
pub fn generate_events(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
