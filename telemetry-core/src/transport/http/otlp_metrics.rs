//! OpenTelemetry metrics over OTLP/HTTP JSON (`/v1/metrics`): a period's
//! `metrics` event read back into its metrics ([`Period`]) and written as an
//! `ExportMetricsServiceRequest`, each metric in its OpenTelemetry form:
//!
//! - `counter`: a `Sum`, delta temporality, monotonic, one data point;
//! - `labeled_counter`: the same, one data point per declared label, with
//!   attribute `label` naming it;
//! - `distribution`: a `Histogram`, delta, with the declared bounds as
//!   `explicitBounds` and the count per bucket;
//! - `quantity`: a `Gauge` with its unit;
//! - `boolean`: a `Gauge` of `0` (false) or `1` (true), unit `{boolean}`
//!   (a UCUM annotation: dimensionless, and told apart from a count's `1`).
//!
//! Every data point runs from the period's start to its end and carries
//! `enduser.pseudo.id` (the anonymous id: one install's stream stays its
//! own when a collector merges many) and `session.id` (the run that sent
//! it), as a log record does. The resource and scope are the logs' (same
//! attributes, `schema.version` on the scope). The protobuf body
//! (`otlp_proto/metrics.rs`) writes the same messages.

use super::ordered::Ordered;
use super::otlp::{otlp_attributes, string_attribute};
use super::semconv::resource;
use super::{LIB, LIB_VERSION, SCHEMA_VERSION, push_items};
use crate::envelope::Event;
use crate::json::push_json_str;
use crate::metrics::payload::METRICS_EVENT;

/// `AGGREGATION_TEMPORALITY_DELTA`: each period's values are the period's own.
pub(super) const DELTA: u64 = 1;

/// A boolean's unit.
pub(super) const BOOLEAN_UNIT: &str = "{boolean}";

/// One period's metrics, read back from a `metrics` event's properties.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Period {
    pub start_ns: u64,
    pub end_ns: u64,
    pub metrics: Vec<Metric>,
}

/// One metric of the period.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Metric {
    pub name: String,
    pub data: Data,
}

/// A metric's OpenTelemetry form.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Data {
    /// A counter (one point, no label) or a labeled counter (a point per label).
    Sum(Vec<(Option<String>, u64)>),
    /// A distribution.
    Histogram { unit: String, count: u64, sum: u64, bounds: Vec<u64>, counts: Vec<u64> },
    /// A quantity, or a boolean as 0 or 1 (unit [`BOOLEAN_UNIT`]).
    Gauge { unit: String, value: u64 },
}

impl Data {
    /// The metric's unit (UCUM): a count's is `1`.
    pub(super) fn unit(&self) -> &str {
        match self {
            Data::Sum(_) => "1",
            Data::Histogram { unit, .. } | Data::Gauge { unit, .. } => unit,
        }
    }
}

/// The period `e` carries, when it is a period's `metrics` event: its
/// properties are the document `metrics/payload.rs` writes. Any other event
/// (a schema without metrics may declare an event of that name) is `None`.
pub(super) fn period(e: &Event) -> Option<Period> {
    if e.name != METRICS_EVENT {
        return None;
    }
    // Read in order (`Ordered`): the metrics stay in the schema's order.
    let doc = Ordered::members(&e.properties);
    let get = |key: &str| doc.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let nanos = |key: &str| match get(key)? {
        Ordered::Str(s) => crate::timestamp::parse(s)?.checked_mul(1_000_000),
        _ => None,
    };
    let (start_ns, end_ns) = (nanos("period_start")?, nanos("period_end")?);
    let Some(Ordered::Object(metrics)) = get("metrics").filter(|_| doc.len() == 3) else { return None };
    let metrics = metrics.iter().map(|(name, v)| Some(Metric { name: name.to_string(), data: data(v)? }));
    Some(Period { start_ns, end_ns, metrics: metrics.collect::<Option<_>>()? })
}

fn number(v: &Ordered<'_>) -> Option<u64> {
    match v {
        Ordered::I64(n) => u64::try_from(*n).ok(),
        Ordered::U64(n) => Some(*n),
        _ => None,
    }
}

/// A metric's value as the payload writes it, in its OpenTelemetry form.
fn data(v: &Ordered<'_>) -> Option<Data> {
    let Ordered::Object(o) = v else {
        return match v {
            Ordered::Bool(b) => Some(Data::Gauge { unit: BOOLEAN_UNIT.into(), value: u64::from(*b) }),
            n => Some(Data::Sum(vec![(None, number(n)?)])),
        };
    };
    let get = |key: &str| o.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let n = |key: &str| number(get(key)?);
    let numbers = |key: &str| match get(key)? {
        Ordered::List(items) => items.iter().map(number).collect::<Option<Vec<_>>>(),
        _ => None,
    };
    Some(match get("unit") {
        // A label's value is a count, never a string: `unit` as a string is a distribution's or quantity's.
        Some(Ordered::Str(unit)) if o.len() == 5 => Data::Histogram {
            unit: unit.to_string(),
            count: n("count")?,
            sum: n("sum")?,
            bounds: numbers("bounds")?,
            counts: numbers("counts")?,
        },
        Some(Ordered::Str(unit)) if o.len() == 2 => Data::Gauge { unit: unit.to_string(), value: n("value")? },
        Some(Ordered::Str(_)) => return None,
        _ => Data::Sum(o.iter().map(|(l, c)| Some((Some(l.to_string()), number(c)?))).collect::<Option<_>>()?),
    })
}

/// An OTLP integer (int64): a count above `i64::MAX` is sent as `i64::MAX`.
pub(super) fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The `ExportMetricsServiceRequest` of `events` (each a period's `metrics`
/// event): one `resourceMetrics` entry per period.
pub(super) fn body(b: &mut Vec<u8>, events: &[Event]) {
    b.extend_from_slice(b"{\"resourceMetrics\":[");
    let periods = events.iter().filter_map(|e| Some((e, period(e)?)));
    push_items(b, periods, |b, (e, p)| {
        b.extend_from_slice(b"{\"resource\":{\"attributes\":");
        otlp_attributes(b, &resource(&e.origin));
        b.extend_from_slice(b"},\"scopeMetrics\":[{\"scope\":{\"name\":");
        push_json_str(b, LIB);
        b.extend_from_slice(b",\"version\":");
        push_json_str(b, LIB_VERSION);
        if let Some(v) = &e.origin.schema_version {
            b.extend_from_slice(b",\"attributes\":[");
            string_attribute(b, SCHEMA_VERSION, |b| push_json_str(b, v));
            b.push(b']');
        }
        b.extend_from_slice(b"},\"metrics\":[");
        push_items(b, p.metrics.iter(), |b, m| metric(b, e, &p, m));
        b.extend_from_slice(b"]}]}");
    });
    b.extend_from_slice(b"]}");
}

fn metric(b: &mut Vec<u8>, e: &Event, p: &Period, m: &Metric) {
    b.extend_from_slice(b"{\"name\":");
    push_json_str(b, &m.name);
    b.extend_from_slice(b",\"unit\":");
    push_json_str(b, m.data.unit());
    let point = |b: &mut Vec<u8>, label: Option<&str>, fields: &dyn Fn(&mut Vec<u8>)| {
        b.extend_from_slice(b"{\"attributes\":[");
        // The label, then the ids the event carries (none under `identity: run` or `none`).
        let ids =
            [("enduser.pseudo.id", e.origin.anonymous_id.as_deref()), ("session.id", e.origin.session_id.as_deref())];
        let all = label.map(|l| ("label", l)).into_iter().chain(ids.into_iter().filter_map(|(k, v)| Some((k, v?))));
        for (i, (k, v)) in all.enumerate() {
            if i > 0 {
                b.push(b',');
            }
            string_attribute(b, k, |b| push_json_str(b, v));
        }
        let _ = std::io::Write::write_fmt(
            b,
            format_args!("],\"startTimeUnixNano\":\"{}\",\"timeUnixNano\":\"{}\"", p.start_ns, p.end_ns),
        );
        fields(b);
        b.push(b'}');
    };
    let as_int = |v: u64| move |b: &mut Vec<u8>| b.extend_from_slice(format!(",\"asInt\":\"{}\"", int(v)).as_bytes());
    match &m.data {
        Data::Sum(points) => {
            b.extend_from_slice(b",\"sum\":{\"dataPoints\":[");
            push_items(b, points.iter(), |b, (label, v)| point(b, label.as_deref(), &as_int(*v)));
            let _ = std::io::Write::write_fmt(
                b,
                format_args!("],\"aggregationTemporality\":{DELTA},\"isMonotonic\":true}}"),
            );
        }
        Data::Gauge { value, .. } => {
            b.extend_from_slice(b",\"gauge\":{\"dataPoints\":[");
            point(b, None, &as_int(*value));
            b.extend_from_slice(b"]}");
        }
        Data::Histogram { count, sum, bounds, counts, .. } => {
            b.extend_from_slice(b",\"histogram\":{\"dataPoints\":[");
            point(b, None, &|b: &mut Vec<u8>| {
                let _ = std::io::Write::write_fmt(
                    b,
                    format_args!(",\"count\":\"{count}\",\"sum\":{sum},\"bucketCounts\":["),
                );
                push_items(b, counts.iter(), |b, c| b.extend_from_slice(format!("\"{c}\"").as_bytes()));
                b.extend_from_slice(b"],\"explicitBounds\":[");
                push_items(b, bounds.iter(), |b, x| b.extend_from_slice(x.to_string().as_bytes()));
                b.push(b']');
            });
            let _ = std::io::Write::write_fmt(b, format_args!("],\"aggregationTemporality\":{DELTA}}}"));
        }
    }
    b.push(b'}');
}

#[cfg(test)]
pub(super) mod tests {
    use crate::envelope::Event;
    use crate::envelope::tests::{event, origin};
    use crate::metrics::payload::METRICS_EVENT;
    use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
    use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value::Value as V};
    use opentelemetry_proto::tonic::metrics::v1::{metric::Data, number_data_point::Value as N};
    use prost::Message;

    /// A period's `metrics` event with every metric type, as `metrics/payload.rs` writes it.
    pub(in super::super) fn period_event() -> Event {
        let o = origin(r#"{"os":"linux","arch":"x86_64"}"#, "1.2.3", Some("1.1"));
        let mut e = event(&o, METRICS_EVENT, 7, 1_780_000_000_000, |_| {});
        e.properties = concat!(
            r#"{"period_start":"2026-12-02T00:00:00.000Z","period_end":"2026-12-03T00:00:00.000Z","metrics":{"#,
            r#""runs":3,"commands":{"build":3,"test":0},"#,
            r#""took":{"unit":"ms","count":3,"sum":4290,"bounds":[100,500,1000,5000,30000],"counts":[1,0,0,2,0,0]},"#,
            r#""cache":{"unit":"By","value":42},"warm":true}}"#
        )
        .into();
        e
    }

    fn kv(k: &str, v: &str) -> KeyValue {
        KeyValue {
            key: k.into(),
            value: Some(AnyValue { value: Some(V::StringValue(v.into())) }),
            ..Default::default()
        }
    }

    /// Both bodies decoded by opentelemetry-proto: the same request, each
    /// metric in its declared form with its exact values.
    #[test]
    fn decodes_into_the_declared_sum_histogram_and_gauge() {
        let events = [period_event()];
        let mut j = Vec::new();
        super::body(&mut j, &events);
        let mut p = Vec::new();
        super::super::otlp_proto::metrics_body(&mut p, &events);
        let json: ExportMetricsServiceRequest = serde_json::from_slice(&j).unwrap();
        let proto = ExportMetricsServiceRequest::decode(p.as_slice()).unwrap();
        assert_eq!(proto, json);
        let rm = &proto.resource_metrics[0];
        let resource: Vec<&str> = rm.resource.as_ref().unwrap().attributes.iter().map(|kv| kv.key.as_str()).collect();
        assert_eq!(resource, ["service.name", "service.version", "os.type", "host.arch"]);
        let sm = &rm.scope_metrics[0];
        let scope = sm.scope.as_ref().unwrap();
        assert_eq!((scope.name.as_str(), &scope.attributes), ("telemetry-core", &vec![kv("schema.version", "1.1")]));
        let (start, end) = (1_796_169_600_000_000_000, 1_796_256_000_000_000_000);
        let ids = [kv("enduser.pseudo.id", "a-id"), kv("session.id", "s-id")];
        let names: Vec<(&str, &str)> = sm.metrics.iter().map(|m| (m.name.as_str(), m.unit.as_str())).collect();
        assert_eq!(names, [("runs", "1"), ("commands", "1"), ("took", "ms"), ("cache", "By"), ("warm", "{boolean}")]);
        let points = |i: usize| match sm.metrics[i].data.as_ref().unwrap() {
            Data::Sum(s) => {
                assert_eq!((s.aggregation_temporality, s.is_monotonic), (1, true), "delta, monotonic");
                s.data_points.clone()
            }
            Data::Gauge(g) => g.data_points.clone(),
            other => panic!("{other:?}"),
        };
        for (i, want) in [
            (0, vec![(None, 3)]),
            (1, vec![(Some("build"), 3), (Some("test"), 0)]),
            (3, vec![(None, 42)]),
            (4, vec![(None, 1)]),
        ] {
            let got = points(i);
            assert_eq!(got.len(), want.len());
            for (p, (label, v)) in got.iter().zip(want) {
                let mut attrs: Vec<KeyValue> = label.map(|l| kv("label", l)).into_iter().collect();
                attrs.extend(ids.clone());
                assert_eq!(
                    (&p.attributes, p.start_time_unix_nano, p.time_unix_nano, &p.value),
                    (&attrs, start, end, &Some(N::AsInt(v)))
                );
            }
        }
        assert!(
            matches!(sm.metrics[3].data, Some(Data::Gauge(_))) && matches!(sm.metrics[4].data, Some(Data::Gauge(_)))
        );
        let Some(Data::Histogram(h)) = &sm.metrics[2].data else { panic!("took is not a histogram") };
        assert_eq!(h.aggregation_temporality, 1);
        let d = &h.data_points[0];
        assert_eq!(
            (
                d.start_time_unix_nano,
                d.time_unix_nano,
                d.count,
                d.sum,
                &d.bucket_counts,
                &d.explicit_bounds,
                &d.attributes
            ),
            (
                start,
                end,
                3,
                Some(4290.0),
                &vec![1, 0, 0, 2, 0, 0],
                &vec![100.0, 500.0, 1000.0, 5000.0, 30000.0],
                &ids.to_vec()
            )
        );
    }

    #[test]
    fn only_a_period_document_is_read_as_metrics() {
        assert!(super::period(&period_event()).is_some());
        let mut other = period_event();
        other.name = "ran";
        assert_eq!(super::period(&other), None);
        for props in [r#"{"n":1}"#, r#"{"period_start":"x","period_end":"y","metrics":{}}"#, "[]"] {
            let mut e = period_event();
            e.properties = props.into();
            assert_eq!(super::period(&e), None, "{props}");
        }
    }
}
