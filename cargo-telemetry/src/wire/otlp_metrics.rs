//! OTLP metrics back to envelopes (the JSON encoding; the protobuf body is
//! first decoded to it by `proto_metrics`): one `metrics` envelope per
//! scope of a `resourceMetrics` entry, its properties the period's document
//! as the native envelope carries it. The runtime writes each metric in its
//! OpenTelemetry form (`telemetry-core/src/transport/http/otlp_metrics.rs`):
//! a counter a `Sum` with one data point, a labeled counter a `Sum` with one
//! point per label (attribute `label`), a distribution a `Histogram`, a
//! quantity a `Gauge` with its unit, a boolean a `Gauge` of 0 or 1 with unit
//! `{boolean}`. Every point runs over the period and carries
//! `enduser.pseudo.id` and `session.id`, the envelope's ids; OTLP metrics
//! have no place for a message id, so the envelope has none.

use serde_json::{Map, Value, json};

use super::Parts;
use super::otlp::{attributes, list, service, timestamp};

/// A boolean's unit on the wire.
const BOOLEAN_UNIT: &str = "{boolean}";

pub(super) fn from_json(body: &Value) -> Result<Vec<Value>, String> {
    let resources = list(body.get("resourceMetrics"), "resourceMetrics")?;
    let mut out = Vec::new();
    for (r, resource) in resources.iter().enumerate() {
        let at = format!("resourceMetrics[{r}]");
        let (app, app_version, context) =
            service(attributes(resource.pointer("/resource/attributes"), &format!("{at}.resource"))?);
        for (s, scope) in list(resource.get("scopeMetrics"), &format!("{at}.scopeMetrics"))?.iter().enumerate() {
            let at = format!("{at}.scopeMetrics[{s}]");
            let schema_version =
                attributes(scope.pointer("/scope/attributes"), &format!("{at}.scope"))?.get("schema.version").cloned();
            let mut period = Period::default();
            let mut metrics = Map::new();
            let mut extra = Map::new();
            for (m, metric) in list(scope.get("metrics"), &format!("{at}.metrics"))?.iter().enumerate() {
                let at = format!("{at}.metrics[{m}]");
                let name = metric.get("name").and_then(Value::as_str).ok_or(format!("{at} has no `name`"))?;
                let value = period.read(metric, name, &at, &mut extra)?;
                metrics.insert(name.into(), value);
            }
            let end = period.end.clone().ok_or(format!("{at}: no data point"))?;
            let mut properties = Map::new();
            properties.insert("period_start".into(), timestamp(period.start.as_ref(), &at)?);
            properties.insert("period_end".into(), timestamp(Some(&end), &at)?);
            properties.insert("metrics".into(), Value::Object(metrics));
            // What no metric form explains stays beside them, where the payload schema rejects it.
            properties.extend(extra);
            let parts = Parts {
                event: "metrics".into(),
                properties,
                context: context.clone(),
                anonymous_id: period.anonymous_id.unwrap_or(Value::Null),
                session_id: period.session_id.unwrap_or(Value::Null),
                message_id: Value::Null,
                timestamp: timestamp(Some(&end), &at)?,
                app: app.clone(),
                app_version: app_version.clone(),
                schema_version,
            };
            out.push(parts.envelope(Map::new()));
        }
    }
    Ok(out)
}

/// What the data points of one scope say beyond their values.
#[derive(Default)]
struct Period {
    start: Option<Value>,
    end: Option<Value>,
    anonymous_id: Option<Value>,
    session_id: Option<Value>,
}

impl Period {
    /// One metric as the native document writes it.
    fn read(&mut self, metric: &Value, name: &str, at: &str, extra: &mut Map<String, Value>) -> Result<Value, String> {
        let unit = metric.get("unit").and_then(Value::as_str).unwrap_or_default();
        if let Some(sum) = metric.get("sum") {
            let mut labeled = Map::new();
            let mut single = None;
            for p in list(sum.get("dataPoints"), &format!("{at}.sum"))? {
                let mut a = self.point(p, at)?;
                let v = int(p.get("asInt"), at)?;
                match a.remove("label") {
                    Some(Value::String(l)) => _ = labeled.insert(l, v),
                    _ => single = Some(v),
                }
                unexplained(name, a, extra);
            }
            return Ok(single.filter(|_| labeled.is_empty()).unwrap_or(Value::Object(labeled)));
        }
        if let Some(gauge) = metric.get("gauge") {
            let p =
                list(gauge.get("dataPoints"), &format!("{at}.gauge"))?.first().ok_or(format!("{at}: no data point"))?;
            let a = self.point(p, at)?;
            unexplained(name, a, extra);
            let v = int(p.get("asInt"), at)?;
            return Ok(match unit {
                BOOLEAN_UNIT => Value::Bool(v != json!(0)),
                _ => json!({ "unit": unit, "value": v }),
            });
        }
        if let Some(h) = metric.get("histogram") {
            let p =
                list(h.get("dataPoints"), &format!("{at}.histogram"))?.first().ok_or(format!("{at}: no data point"))?;
            let a = self.point(p, at)?;
            unexplained(name, a, extra);
            let ints = |key: &str| -> Result<Value, String> {
                list(p.get(key), at)?.iter().map(|v| int(Some(v), at)).collect::<Result<Vec<_>, _>>().map(Value::Array)
            };
            return Ok(json!({ "unit": unit, "count": int(p.get("count"), at)?, "sum": int(p.get("sum"), at)?,
                "bounds": ints("explicitBounds")?, "counts": ints("bucketCounts")? }));
        }
        Err(format!("{at} (`{name}`) is neither a sum, a gauge nor a histogram"))
    }

    /// A data point's attributes less the ids, which it records; and its times.
    fn point(&mut self, p: &Value, at: &str) -> Result<Map<String, Value>, String> {
        let mut a = attributes(p.get("attributes"), at)?;
        for (key, slot) in [("enduser.pseudo.id", &mut self.anonymous_id), ("session.id", &mut self.session_id)] {
            if let Some(v) = a.remove(key) {
                slot.get_or_insert(v);
            }
        }
        self.start.get_or_insert_with(|| p.get("startTimeUnixNano").cloned().unwrap_or(Value::Null));
        self.end.get_or_insert_with(|| p.get("timeUnixNano").cloned().unwrap_or(Value::Null));
        Ok(a)
    }
}

/// Attributes no metric form has, kept as `<metric>.<key>` properties.
fn unexplained(name: &str, a: Map<String, Value>, extra: &mut Map<String, Value>) {
    extra.extend(a.into_iter().map(|(k, v)| (format!("{name}.{k}"), v)));
}

/// An int64 (a decimal string in OTLP JSON) or a whole double as a JSON integer.
fn int(v: Option<&Value>, at: &str) -> Result<Value, String> {
    match v {
        Some(Value::String(s)) => {
            s.parse::<i64>().map(Value::from).map_err(|_| format!("{at}: {s:?} is not an integer"))
        }
        Some(Value::Number(n)) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok((f as i64).into()),
            _ => Ok(Value::Number(n.clone())),
        },
        Some(v) => Ok(v.clone()),
        None => Ok(0.into()),
    }
}
