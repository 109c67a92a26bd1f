//! The payload JSON Schema of the `metrics` event: the properties of one
//! period's aggregate exactly as the runtime writes them
//! (`telemetry-core/src/metrics/payload.rs`), each declared metric in its
//! form.

use crate::json::J;
use crate::model::{Metric, MetricKind, MetricsPeriod, Schema};

/// The name the period's payload travels under (a schema with metrics
/// cannot declare an event of that name).
pub(super) const METRICS_EVENT: &str = "metrics";

/// What the `metrics` event's `description` says.
pub(super) fn description(schema: &Schema) -> String {
    let period = match schema.metrics_period {
        MetricsPeriod::Daily => "a UTC day, sent by the first run after it ends",
        MetricsPeriod::OnExit => "one run, sent as it exits",
    };
    format!("The metrics of one period ({period}): each declared metric's aggregate over the period.")
}

/// The `properties` of the `metrics` event: `period_start`, `period_end`
/// and `metrics`, an object with one member per declared metric. Counters,
/// labeled counters and distributions are always there; a quantity or a
/// boolean only when it was set in the period.
pub(super) fn properties(schema: &Schema) -> J {
    let mut members = Vec::new();
    let mut required = Vec::new();
    for m in &schema.metrics {
        if !matches!(m.kind, MetricKind::Quantity { .. } | MetricKind::Boolean) {
            required.push(J::s(&m.name));
        }
        members.push((m.name.clone(), metric(m)));
    }
    let stamp = |what: &str| {
        J::obj([("description", J::s(format!("The period's {what} (RFC 3339)."))), ("$ref", J::s("#/$defs/timestamp"))])
    };
    let metrics = J::obj([
        ("description", J::s("Each declared metric by name.")),
        ("type", J::s("object")),
        ("properties", J::Obj(members)),
        ("required", J::Arr(required)),
        ("additionalProperties", J::Bool(false)),
    ]);
    J::obj([
        ("description", J::s("The period and its aggregates.")),
        ("type", J::s("object")),
        (
            "properties",
            J::obj([
                ("period_start", stamp("first instant")),
                ("period_end", stamp("end, exclusive")),
                ("metrics", metrics),
            ]),
        ),
        ("required", J::Arr(vec![J::s("period_start"), J::s("period_end"), J::s("metrics")])),
        ("additionalProperties", J::Bool(false)),
    ])
}

/// A count: a non-negative integer that fits in 64 bits.
fn count(description: &str) -> J {
    J::obj([
        ("description", J::s(description)),
        ("type", J::s("integer")),
        ("minimum", J::int(0)),
        ("maximum", J::int(u64::MAX.into())),
    ])
}

/// An object with exactly `members`, all required.
fn exact(description: String, members: Vec<(String, J)>) -> J {
    let required = members.iter().map(|(k, _)| J::s(k)).collect();
    J::obj([
        ("description", J::s(description)),
        ("type", J::s("object")),
        ("properties", J::Obj(members)),
        ("required", J::Arr(required)),
        ("additionalProperties", J::Bool(false)),
    ])
}

fn metric(m: &Metric) -> J {
    let what = format!("`{}` ({}): {}", m.name, m.kind.keyword(), m.description);
    match &m.kind {
        MetricKind::Counter => count(&format!("{what} The period's total.")),
        MetricKind::LabeledCounter { labels, .. } => {
            let mut o = exact(
                format!("{what} The period's total per declared label."),
                labels.iter().map(|l| (l.clone(), count("The count of this label."))).collect(),
            );
            // The keys as an enum too, so that an undeclared label is named as such.
            o.push("propertyNames", J::obj([("enum", J::Arr(labels.iter().map(J::s).collect()))]));
            o
        }
        MetricKind::Distribution { unit, buckets } => {
            let n = J::int(buckets.len() as i128 + 1);
            exact(
                format!(
                    "{what} Values counted into buckets by inclusive upper bound; the last bucket holds the values above the last bound."
                ),
                vec![
                    ("unit".into(), J::obj([("const", J::s(unit.ucum()))])),
                    ("count".into(), count("How many values were recorded.")),
                    ("sum".into(), count("Their sum, in the unit.")),
                    (
                        "bounds".into(),
                        J::obj([("const", J::Arr(buckets.iter().map(|b| J::int((*b).into())).collect()))]),
                    ),
                    (
                        "counts".into(),
                        J::obj([
                            ("description", J::s("The count per bucket: one more than the bounds.")),
                            ("type", J::s("array")),
                            ("items", count("The values in this bucket.")),
                            ("minItems", n.clone()),
                            ("maxItems", n),
                        ]),
                    ),
                ],
            )
        }
        MetricKind::Quantity { unit } => exact(
            format!("{what} The last value set in the period; absent when none was."),
            vec![
                ("unit".into(), J::obj([("const", J::s(unit.ucum()))])),
                ("value".into(), count("The value, in the unit.")),
            ],
        ),
        MetricKind::Boolean => J::obj([
            ("description", J::s(format!("{what} The last value set in the period; absent when none was."))),
            ("type", J::s("boolean")),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    const SCHEMA: &str = "version: 1\napp: { name: demo, title: Demo, description: x }\nevents: { ping: { description: x } }\nmetrics:\n  runs: { type: counter, description: x }\n  commands: { type: labeled_counter, description: x, labels: [build, test] }\n  took: { type: distribution, description: x, unit: milliseconds, buckets: [100, 1000] }\n  cache: { type: quantity, description: x, unit: bytes }\n  warm: { type: boolean, description: x }\n";

    /// A `metrics` envelope of `SCHEMA` as the runtime sends it, and the validator.
    fn sent() -> (jsonschema::Validator, Value) {
        let schema = crate::load_str(SCHEMA, "demo.yaml").unwrap();
        let mut json_schema = super::super::payload_schema(&schema);
        assert!(jsonschema::meta::is_valid(&json_schema));
        assert!(jsonschema::validator_for(&json_schema).unwrap().is_valid(&sent_of(&schema)));
        // The `metrics` event's own definition, as `cargo telemetry validate` checks an envelope:
        // `oneOf` would only say that no event matched.
        json_schema.as_object_mut().unwrap().remove("oneOf");
        json_schema["$ref"] = json!("#/$defs/event_metrics");
        let validator = jsonschema::validator_for(&json_schema).unwrap();
        (validator, sent_of(&schema))
    }

    fn sent_of(schema: &crate::model::Schema) -> Value {
        let mut envelope = super::super::example_payload(schema, &schema.events[0]);
        envelope["event"] = json!("metrics");
        // As `telemetry-core/src/metrics/payload.rs` writes it.
        envelope["properties"] = json!({
            "period_start": "2026-12-02T00:00:00.000Z", "period_end": "2026-12-03T00:00:00.000Z",
            "metrics": {"runs": 3, "commands": {"build": 3, "test": 0},
                "took": {"unit": "ms", "count": 3, "sum": 4290, "bounds": [100, 1000], "counts": [1, 0, 2]},
                "cache": {"unit": "By", "value": 42}, "warm": true}
        });
        envelope
    }

    fn errors(v: &jsonschema::Validator, e: &Value) -> Vec<String> {
        v.iter_errors(e).map(|e| format!("{} at {}", e, e.instance_path)).collect()
    }

    #[test]
    fn the_sent_document_validates_and_unset_last_values_may_be_left_out() {
        let (v, mut e) = sent();
        assert_eq!(errors(&v, &e), Vec::<String>::new());
        let m = e["properties"]["metrics"].as_object_mut().unwrap();
        m.remove("cache");
        m.remove("warm");
        assert_eq!(errors(&v, &e), Vec::<String>::new());
        // The page's example properties are of the same shape.
        let schema = crate::load_str(SCHEMA, "demo.yaml").unwrap();
        e["properties"] = super::super::metrics::example(&schema);
        assert_eq!(errors(&v, &e), Vec::<String>::new());
    }

    /// A change made to the sent metrics document.
    type Tamper = fn(&mut Value);

    #[test]
    fn a_tampered_document_is_rejected_at_its_pointer() {
        let cases: [(&str, Tamper); 9] = [
            ("/properties/metrics/commands", |m| m["commands"]["deploy"] = json!(1)),
            ("/properties/metrics/commands", |m| _ = m["commands"].as_object_mut().unwrap().remove("test")),
            ("/properties/metrics", |m| m["secret"] = json!(1)),
            ("/properties/metrics", |m| _ = m.as_object_mut().unwrap().remove("runs")),
            ("/properties/metrics/runs", |m| m["runs"] = json!(-1)),
            ("/properties/metrics/took/bounds", |m| m["took"]["bounds"] = json!([10, 1000])),
            ("/properties/metrics/took/counts", |m| m["took"]["counts"] = json!([1, 0, 2, 0])),
            ("/properties/metrics/cache/unit", |m| m["cache"]["unit"] = json!("ms")),
            ("/properties/metrics/warm", |m| m["warm"] = json!("yes")),
        ];
        for (at, tamper) in cases {
            let (v, mut e) = sent();
            tamper(&mut e["properties"]["metrics"]);
            let errs = errors(&v, &e);
            assert!(!errs.is_empty() && errs.iter().all(|x| x.ends_with(&format!(" at {at}"))), "{at}: {errs:?}");
        }
        let (v, mut e) = sent();
        e["properties"].as_object_mut().unwrap().remove("period_end");
        assert_eq!(errors(&v, &e), [r#""period_end" is a required property at /properties"#]);
    }
}
