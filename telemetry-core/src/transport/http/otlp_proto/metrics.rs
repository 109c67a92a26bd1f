//! `ExportMetricsServiceRequest` in protobuf: the same messages, fields and
//! order as the JSON body (`otlp_metrics::body`). Field numbers are those of
//! opentelemetry-proto's `metrics.proto`.

use super::super::ordered::Ordered;
use super::super::otlp_metrics::{DELTA, Data, Metric, Period, int, period};
use super::super::semconv::resource;
use super::super::{LIB, LIB_VERSION, SCHEMA_VERSION};
use super::wire::{fixed64, key_value, message, string, uint};
use crate::envelope::Event;

/// One `resource_metrics` entry per period.
pub(in super::super) fn body(b: &mut Vec<u8>, events: &[Event]) {
    for (e, p) in events.iter().filter_map(|e| Some((e, period(e)?))) {
        // ExportMetricsServiceRequest.resource_metrics = 1
        message(b, 1, |b| {
            // ResourceMetrics.resource = 1 { Resource.attributes = 1 }
            message(b, 1, |b| {
                for (k, v) in &resource(&e.origin) {
                    key_value(b, 1, k, v);
                }
            });
            // ResourceMetrics.scope_metrics = 2
            message(b, 2, |b| {
                // ScopeMetrics.scope = 1 { name = 1, version = 2, attributes = 3 }
                message(b, 1, |b| {
                    string(b, 1, LIB);
                    string(b, 2, LIB_VERSION);
                    if let Some(v) = &e.origin.schema_version {
                        key_value(b, 3, SCHEMA_VERSION, &Ordered::Str(v.into()));
                    }
                });
                for m in &p.metrics {
                    // ScopeMetrics.metrics = 2
                    message(b, 2, |b| metric(b, e, &p, m));
                }
            });
        });
    }
}

/// `Metric`: name = 1, unit = 3, gauge = 5, sum = 7, histogram = 9.
fn metric(b: &mut Vec<u8>, e: &Event, p: &Period, m: &Metric) {
    string(b, 1, &m.name);
    string(b, 3, m.data.unit());
    match &m.data {
        // Sum: data_points = 1, aggregation_temporality = 2, is_monotonic = 3.
        Data::Sum(points) => message(b, 7, |b| {
            for (label, v) in points {
                message(b, 1, |b| number_point(b, e, p, label.as_deref(), *v));
            }
            uint(b, 2, DELTA);
            uint(b, 3, 1);
        }),
        // Gauge: data_points = 1.
        Data::Gauge { value, .. } => message(b, 5, |b| message(b, 1, |b| number_point(b, e, p, None, *value))),
        // Histogram: data_points = 1, aggregation_temporality = 2.
        Data::Histogram { count, sum, bounds, counts, .. } => message(b, 9, |b| {
            // HistogramDataPoint: start_time_unix_nano = 2, time_unix_nano = 3, count = 4,
            // sum = 5, bucket_counts = 6 (packed fixed64), explicit_bounds = 7 (packed double),
            // attributes = 9.
            message(b, 1, |b| {
                fixed64(b, 2, p.start_ns);
                fixed64(b, 3, p.end_ns);
                fixed64(b, 4, *count);
                fixed64(b, 5, (*sum as f64).to_bits());
                message(b, 6, |b| counts.iter().for_each(|c| b.extend_from_slice(&c.to_le_bytes())));
                message(b, 7, |b| {
                    bounds.iter().for_each(|x| b.extend_from_slice(&(*x as f64).to_bits().to_le_bytes()))
                });
                attributes(b, 9, e, None);
            });
            uint(b, 2, DELTA);
        }),
    }
}

/// `NumberDataPoint`: start_time_unix_nano = 2, time_unix_nano = 3, as_int = 6 (sfixed64), attributes = 7.
fn number_point(b: &mut Vec<u8>, e: &Event, p: &Period, label: Option<&str>, v: u64) {
    fixed64(b, 2, p.start_ns);
    fixed64(b, 3, p.end_ns);
    fixed64(b, 6, int(v) as u64);
    attributes(b, 7, e, label);
}

/// The data point's attributes as field `field`: `label` (a labeled
/// counter's), `enduser.pseudo.id`, `session.id`, in the JSON body's order.
fn attributes(b: &mut Vec<u8>, field: u32, e: &Event, label: Option<&str>) {
    let ids = [("enduser.pseudo.id", e.origin.anonymous_id.as_deref()), ("session.id", e.origin.session_id.as_deref())];
    let ids = ids.into_iter().filter_map(|(k, v)| Some((k, v?)));
    for (k, v) in label.map(|l| ("label", l)).into_iter().chain(ids) {
        key_value(b, field, k, &Ordered::Str(v.into()));
    }
}
