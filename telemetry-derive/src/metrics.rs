//! `generate_metrics!("schema.yaml")`: a `Metrics` struct with one typed
//! handle per metric of the schema's `metrics:` section, an enum of labels
//! per labeled counter, and the static `MetricsMeta` the runtime reads.
//! The types make the checks: a metric the schema does not declare is not
//! a field, a label outside the list is not a variant, and a value of the
//! wrong kind has no method that takes it (`record_ms` exists only on a
//! distribution in milliseconds; counts are `u64`).

use crate::load;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::LitStr;
use telemetry_schema::{Expiry, Metric, MetricKind, MetricUnit, MetricsPeriod};

/// The items; when the schema is broken, only its errors (once per crate).
pub(crate) fn expand(lit: &LitStr) -> TokenStream {
    match load::load(lit) {
        Ok(loaded) => items(&loaded),
        Err(e) => e.to_compile_error(),
    }
}

fn items(loaded: &load::Loaded) -> TokenStream {
    let s = &loaded.schema;
    let m = quote!(::telemetry_core::metrics);
    let p = quote!(::telemetry_core::__private);
    let track = loaded.track();
    let fingerprint = crate::expand::fingerprint(loaded.fingerprint);
    let app = &s.app.name;
    let period = match s.metrics_period {
        MetricsPeriod::Daily => quote!(::telemetry_core::meta::MetricsPeriod::Daily),
        MetricsPeriod::OnExit => quote!(::telemetry_core::meta::MetricsPeriod::OnExit),
    };
    let mut extra = TokenStream::new();
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut metas = Vec::new();
    for (i, metric) in s.metrics.iter().enumerate() {
        let ident = format_ident!("{}", metric.name);
        let doc = &metric.description;
        let (ty, init) = handle(metric, i, &m, &mut extra);
        fields.push(quote!(#[doc = #doc] pub #ident: #ty));
        inits.push(quote!(#ident: #init));
        metas.push(meta(metric));
    }
    quote! {
        #track
        #extra
        /// The schema's metrics: one handle per metric, from `Telemetry::metrics`.
        #[derive(Debug, Clone)]
        pub struct Metrics { #(#fields,)* }
        impl #m::MetricSet for Metrics {
            const META: &'static ::telemetry_core::meta::MetricsMeta = &#p::metrics_meta(#app, #fingerprint, #period, &[#(#metas),*]);
            fn from_cells(cells: &#p::Cells) -> Self {
                Metrics { #(#inits,)* }
            }
        }
    }
}

/// The handle's type and how it is made from the cells.
fn handle(metric: &Metric, index: usize, m: &TokenStream, extra: &mut TokenStream) -> (TokenStream, TokenStream) {
    let i = Literal::usize_unsuffixed(index);
    match &metric.kind {
        MetricKind::Counter => (quote!(#m::Counter), quote!(cells.handle(#i))),
        MetricKind::Boolean => (quote!(#m::Flag), quote!(cells.handle(#i))),
        MetricKind::Quantity { unit } => {
            let u = unit_type(*unit, m);
            (quote!(#m::Quantity<#u>), quote!(cells.handle(#i)))
        }
        MetricKind::Distribution { unit, buckets } => {
            let u = unit_type(*unit, m);
            (
                quote!(#m::Distribution<#u>),
                quote!(cells.handle::<#m::Distribution<#u>>(#i).with_bounds(&[#(#buckets),*])),
            )
        }
        MetricKind::LabeledCounter { labels, .. } => {
            let name = format_ident!("{}Label", camel(&metric.name));
            let variants: Vec<_> = labels.iter().map(|l| camel(l)).collect();
            let docs = labels.iter().map(|l| format!("`{l}`"));
            let indices = (0..labels.len()).map(Literal::usize_unsuffixed);
            let doc = format!("The labels of `{}`.", metric.name);
            extra.extend(quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                pub enum #name { #(#[doc = #docs] #variants,)* }
                impl #m::MetricLabel for #name {
                    fn index(self) -> usize {
                        match self { #(#name::#variants => #indices,)* }
                    }
                }
            });
            (quote!(#m::LabeledCounter<#name>), quote!(cells.handle(#i)))
        }
    }
}

fn unit_type(unit: MetricUnit, m: &TokenStream) -> TokenStream {
    match unit {
        MetricUnit::Milliseconds => quote!(#m::Milliseconds),
        MetricUnit::Seconds => quote!(#m::Seconds),
        MetricUnit::Bytes => quote!(#m::Bytes),
        MetricUnit::Count => quote!(#m::Count),
    }
}

fn meta(metric: &Metric) -> TokenStream {
    let k = quote!(::telemetry_core::meta::MetricKind);
    let kind = match &metric.kind {
        MetricKind::Counter => quote!(#k::Counter),
        MetricKind::Boolean => quote!(#k::Boolean),
        MetricKind::LabeledCounter { labels, .. } => quote!(#k::LabeledCounter { labels: &[#(#labels),*] }),
        MetricKind::Distribution { unit, buckets } => {
            let u = unit.ucum();
            quote!(#k::Distribution { unit: #u, bounds: &[#(#buckets),*] })
        }
        MetricKind::Quantity { unit } => {
            let u = unit.ucum();
            quote!(#k::Quantity { unit: #u })
        }
    };
    let expires = match &metric.expires {
        Some(Expiry::On(date)) => {
            let secs = u64::try_from(date.days_since_epoch()).unwrap_or(0) * 86_400;
            quote!(::core::option::Option::Some(#secs))
        }
        _ => quote!(::core::option::Option::None),
    };
    let name = &metric.name;
    quote!(::telemetry_core::__private::metric_meta(#name, #kind, #expires))
}

/// `snake_case` to `UpperCamelCase`.
fn camel(s: &str) -> syn::Ident {
    let out: String = s
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect();
    // A label like `1x` would start a number: prefix it.
    if out.starts_with(|c: char| c.is_ascii_digit()) { format_ident!("L{}", out) } else { format_ident!("{}", out) }
}
