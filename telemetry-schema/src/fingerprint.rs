//! A schema's fingerprint: a hash of what it says about collection, so the
//! runtime can tell that an event was checked against the very schema its
//! app was built from (not a copy with the same `app.name`).
//!
//! The canonical form lists, in file order, everything that decides what is
//! sent, when, and who may opt out how: the app's name, identity and
//! anonymous-id variable, the version, consent (default, `DO_NOT_TRACK`, first run, the
//! opt-out command, every switch in order), and every context key, event and field with its collection,
//! hash scope, type, `required`, bounds, values and expiry, and every metric with its
//! type, labels, unit, buckets and expiry and the metrics period. Wording (descriptions,
//! reasons, reviews, examples, titles, URLs, owners, history) and the
//! file's layout (whitespace, comments, quoting, flow or block style) are
//! left out: they change no byte that is sent.

use crate::model::{
    ConsentDefault, Field, FieldType, FirstRun, HashScope, Identity, Schema, SwitchAction, SwitchRule, Trigger,
};
use crate::model::{Expiry, MetricKind};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The canonical form of `schema`: one line per fact, strings quoted as in
/// Rust (`{:?}`), so no two schemas that collect differently share it.
///
/// ```
/// let text = "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  e:\n    description: x\n    fields:\n      n: { collect: allowed, type: u8, description: x }\n      p: { collect: forbidden, reason: x }\n";
/// let s = telemetry_schema::load_str(text, "demo.yaml").unwrap();
/// assert_eq!(
///     telemetry_schema::canonical_form(&s),
///     "app \"demo\"\nanonymous_id_env -\nschema_version -\nconsent enabled do_not_track=true\nfirst_run send\nopt_out_command -\nevent \"e\" expires=-\n field \"n\" allowed u8 required\n field \"p\" forbidden\n"
/// );
/// ```
pub fn canonical_form(schema: &Schema) -> String {
    let mut out = String::new();
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let _ = writeln!(out, "app {:?}", schema.app.name);
    // Written only when not the default, so schemas that do not say it keep their fingerprints.
    if schema.app.identity != Identity::Install {
        let _ = writeln!(out, "identity {}", schema.app.identity.as_str());
    }
    let _ = writeln!(out, "anonymous_id_env {}", opt(schema.app.anonymous_id_env.as_ref().map(|v| format!("{v:?}"))));
    let _ = writeln!(out, "schema_version {}", opt(schema.schema_version.map(|v| v.to_string())));
    let default = match schema.consent.default {
        ConsentDefault::Enabled => "enabled",
        ConsentDefault::Disabled => "disabled",
    };
    let _ = writeln!(out, "consent {default} do_not_track={}", schema.consent.do_not_track);
    let first_run = match schema.consent.first_run {
        FirstRun::Send => "send",
        FirstRun::NoticeFirst => "notice_first",
    };
    let _ = writeln!(out, "first_run {first_run}");
    let _ = writeln!(out, "opt_out_command {}", opt(schema.consent.opt_out_command.as_ref().map(|c| format!("{c:?}"))));
    for sw in &schema.consent.env {
        let rule = match &sw.rule {
            SwitchRule::DisablesWhen(t) => format!(
                "disables_when {}",
                match t {
                    Trigger::Set => "set",
                    Trigger::Truthy => "truthy",
                    Trigger::Falsy => "falsy",
                }
            ),
            SwitchRule::Equals { value, action } => format!(
                "equals {value:?} {}",
                match action {
                    SwitchAction::Disable => "disable",
                    SwitchAction::Enable => "enable",
                    SwitchAction::LogOnly => "log_only",
                }
            ),
        };
        let _ = writeln!(out, "switch {:?} {rule}", sw.name);
    }
    if !schema.context.is_empty() {
        out.push_str("context\n");
        fields(&mut out, &schema.context, 1);
    }
    for e in &schema.events {
        let _ = writeln!(out, "event {:?} expires={}", e.name, expiry(&e.expires));
        fields(&mut out, &e.fields, 1);
    }
    if !schema.metrics.is_empty() {
        let _ = writeln!(out, "metrics_period {}", schema.metrics_period.keyword());
    }
    for m in &schema.metrics {
        let _ = write!(out, "metric {:?} {} expires={}", m.name, m.kind.keyword(), expiry(&m.expires));
        match &m.kind {
            MetricKind::LabeledCounter { labels, .. } => {
                let _ = write!(out, " labels={labels:?}");
            }
            MetricKind::Distribution { unit, buckets } => {
                let _ = write!(out, " unit={} buckets={buckets:?}", unit.keyword());
            }
            MetricKind::Quantity { unit } => {
                let _ = write!(out, " unit={}", unit.keyword());
            }
            MetricKind::Counter | MetricKind::Boolean => {}
        }
        out.push('\n');
    }
    out
}

fn expiry(e: &Option<Expiry>) -> String {
    match e {
        Some(Expiry::On(d)) => d.to_string(),
        Some(Expiry::Never { .. }) => "never".into(),
        None => "-".into(),
    }
}

fn fields(out: &mut String, fields: &[Field], depth: usize) {
    for f in fields {
        let pad = " ".repeat(depth);
        let _ = write!(out, "{pad}field {:?} {}", f.name, f.collect.as_str());
        if f.hash != HashScope::Install {
            let _ = write!(out, " hash={}", f.hash.as_str());
        }
        match &f.ty {
            Some(ty) => {
                out.push(' ');
                ty_line(out, ty);
                out.push_str(if f.required { " required\n" } else { " optional\n" });
                nested(out, ty, depth + 1);
            }
            None => out.push('\n'),
        }
    }
}

/// `string max=32`, `enum ["a", "b"]`, `list of string`, `object`.
fn ty_line(out: &mut String, ty: &FieldType) {
    match ty {
        FieldType::String { max_length: Some(n) } => {
            let _ = write!(out, "string max={n}");
        }
        FieldType::Enum { values } => {
            let _ = write!(out, "enum {values:?}");
        }
        FieldType::List { items } => {
            out.push_str("list of ");
            ty_line(out, items);
        }
        other => out.push_str(other.keyword()),
    }
}

/// The fields of an object (or of a list's object items), one level deeper.
fn nested(out: &mut String, ty: &FieldType, depth: usize) {
    match ty {
        FieldType::Object { fields: inner } => fields(out, inner, depth),
        FieldType::List { items } => nested(out, items, depth),
        _ => {}
    }
}

/// The fingerprint of `schema`: the first 128 bits of the SHA-256 of its
/// [`canonical_form`]. `app_meta!` and every derive embed it; the runtime
/// refuses an event whose fingerprint is not its app's.
///
/// ```
/// let a = telemetry_schema::load_str(
///     "version: 1\napp: { name: demo, title: Demo, description: x }\nevents:\n  e: { description: x }\n",
///     "a.yaml",
/// )
/// .unwrap();
/// // Other layout, comments and wording: the same fingerprint.
/// let b = telemetry_schema::load_str(
///     "# demo\nversion: 1\napp:\n  name: demo\n  title: A demo\n  description: y\nevents:\n  e:\n    description: z\n",
///     "b.yaml",
/// )
/// .unwrap();
/// assert_eq!(telemetry_schema::fingerprint(&a), telemetry_schema::fingerprint(&b));
/// ```
pub fn fingerprint(schema: &Schema) -> u128 {
    let digest = Sha256::digest(canonical_form(schema).as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}
