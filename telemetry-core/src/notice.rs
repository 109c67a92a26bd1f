//! The words that tell a user about telemetry: the first-run notice and
//! how to opt out (also shown by `telemetry status`).

use crate::env::EnvNames;
use crate::meta::{AppMeta, SwitchAction, Trigger};

/// The first-run notice, as printed.
pub(crate) fn notice_text(meta: &AppMeta, opt_out_command: Option<&str>) -> String {
    let mut s = format!(
        "{} collects anonymous usage data ({}) with a random install id, never who you are.\n",
        meta.title,
        meta.events.join(", ")
    );
    if let Some(url) = meta.docs_url {
        s.push_str(&format!("  What is collected and what never is: {url}\n"));
    }
    s.push_str(&format!("  To opt out: {}.\n", opt_out_text(meta, opt_out_command)));
    s.push_str("This notice is shown once.\n");
    s
}

/// How to opt out, in words: the app's command if it has one, then
/// `DO_NOT_TRACK` (if honoured) or the schema's first disabling switch,
/// else the runtime's own offline variable.
pub(crate) fn opt_out_text(meta: &AppMeta, opt_out_command: Option<&str>) -> String {
    let mut ways = Vec::new();
    if let Some(cmd) = opt_out_command {
        ways.push(format!("run `{cmd}`"));
    }
    let mut vars = Vec::new();
    if meta.do_not_track {
        vars.push("DO_NOT_TRACK=1".to_string());
    }
    let switch = meta.env.iter().find(|s| s.action == SwitchAction::Disable);
    if let Some(s) = switch {
        let value = match s.trigger {
            Trigger::Set | Trigger::Truthy => "1",
            Trigger::Falsy => "0",
            Trigger::Equals(v) => v,
        };
        vars.push(format!("{}={value}", s.name));
    }
    if vars.is_empty() {
        vars.push(format!("{}=1", EnvNames::for_app(meta.name).offline));
    }
    ways.push(format!("set {}", vars.join(" or ")));
    ways.join(", or ")
}
