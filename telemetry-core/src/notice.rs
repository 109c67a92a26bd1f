//! The words that tell a user about telemetry: the first-run notice and
//! how to opt out (also shown by `telemetry status`).

use crate::env::EnvNames;
use crate::meta::{AppMeta, Identity, SwitchAction, Trigger};

/// The first-run notice, as printed.
pub(crate) fn notice_text(meta: &AppMeta, opt_out_command: Option<&str>) -> String {
    let mut s = format!(
        "{} collects anonymous usage data ({}) {}, never who you are.\n",
        meta.title,
        meta.events.join(", "),
        identity_words(meta.identity)
    );
    if let Some(url) = meta.docs_url {
        s.push_str(&format!("  What is collected and what never is: {url}\n"));
    }
    s.push_str(&format!("  To opt out: {}.\n", opt_out_text(meta, opt_out_command)));
    s.push_str("This notice is shown once.\n");
    s
}

/// What links the events, in the notice's words (`app.identity`).
fn identity_words(identity: Identity) -> &'static str {
    match identity {
        Identity::Install => "with a random install id",
        Identity::Run => "with a random id made for each run and never stored",
        Identity::None => "with no id that links one event to another",
    }
}

/// How to opt out, in words: the app's command if it has one, then each
/// variable that turns telemetry off or keeps it local, once each:
/// `DO_NOT_TRACK` (if honoured), the schema's disabling and log-only
/// switches in order, else the runtime's own offline variable.
pub(crate) fn opt_out_text(meta: &AppMeta, opt_out_command: Option<&str>) -> String {
    let mut ways = Vec::new();
    if let Some(cmd) = opt_out_command {
        ways.push(format!("run `{cmd}`"));
    }
    let mut vars: Vec<(&str, &str)> = Vec::new();
    if meta.do_not_track {
        vars.push(("DO_NOT_TRACK", "1"));
    }
    for s in meta.env.iter().filter(|s| s.action != SwitchAction::Enable) {
        let value = match s.trigger {
            Trigger::Set | Trigger::Truthy => "1",
            Trigger::Falsy => "0",
            Trigger::Equals(v) => v,
        };
        // A schema may spell out DO_NOT_TRACK as its own switch too.
        if !vars.iter().any(|(name, _)| *name == s.name) {
            vars.push((s.name, value));
        }
    }
    let offline = EnvNames::for_app(meta.name).offline;
    if vars.is_empty() {
        vars.push((&offline, "1"));
    }
    let vars: Vec<String> = vars.iter().map(|(name, value)| format!("{name}={value}")).collect();
    ways.push(format!("set {}", vars.join(" or ")));
    ways.join(", or ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::EnvSwitch;

    fn meta(do_not_track: bool, env: &'static [EnvSwitch]) -> AppMeta {
        AppMeta { do_not_track, env, ..AppMeta::DEMO }
    }

    const fn switch(name: &'static str, trigger: Trigger, action: SwitchAction) -> EnvSwitch {
        EnvSwitch { name, trigger, action }
    }

    #[test]
    fn the_notice_says_which_identity() {
        let with = |identity| notice_text(&AppMeta { identity, events: &["ran"], ..AppMeta::DEMO }, None);
        let first = |identity| with(identity).lines().next().unwrap_or_default().to_string();
        assert_eq!(
            first(Identity::Install),
            "Demo collects anonymous usage data (ran) with a random install id, never who you are."
        );
        assert_eq!(
            first(Identity::Run),
            "Demo collects anonymous usage data (ran) with a random id made for each run and never stored, never who you are."
        );
        assert_eq!(
            first(Identity::None),
            "Demo collects anonymous usage data (ran) with no id that links one event to another, never who you are."
        );
    }

    #[test]
    fn each_switch_is_named_once() {
        // PyAirbyte: DO_NOT_TRACK honoured and declared as its own switch.
        static PYAIRBYTE: [EnvSwitch; 2] = [
            switch("DO_NOT_TRACK", Trigger::Set, SwitchAction::Disable),
            switch("AIRBYTE_OFFLINE_MODE", Trigger::Truthy, SwitchAction::Disable),
        ];
        assert_eq!(opt_out_text(&meta(true, &PYAIRBYTE), None), "set DO_NOT_TRACK=1 or AIRBYTE_OFFLINE_MODE=1");
        static AIRBYTE: [EnvSwitch; 1] =
            [switch("TRACKING_STRATEGY", Trigger::Equals("logging"), SwitchAction::LogOnly)];
        assert_eq!(
            opt_out_text(&meta(true, &AIRBYTE), Some("airbyte telemetry disable")),
            "run `airbyte telemetry disable`, or set DO_NOT_TRACK=1 or TRACKING_STRATEGY=logging"
        );
        static ENABLE: [EnvSwitch; 1] = [switch("DEMO_TELEMETRY", Trigger::Truthy, SwitchAction::Enable)];
        assert_eq!(opt_out_text(&meta(false, &ENABLE), None), "set DEMO_TELEMETRY_OFFLINE=1");
        assert_eq!(opt_out_text(&meta(false, &[]), None), "set DEMO_TELEMETRY_OFFLINE=1");
    }
}
