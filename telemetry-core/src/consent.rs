//! Whether telemetry is on, and why: resolved once, from static rules.

use std::fmt;

use crate::env::{EnvNames, EnvSource, Value};
use crate::meta::{AppMeta, SwitchAction, Trigger};

/// What happens to recorded events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing is recorded, written or sent.
    Off,
    /// Events are delivered by the configured transport.
    On,
    /// Events are written to stderr, one line each, and never sent or stored.
    LogOnly,
}

/// The user's persisted choice (`telemetry enable` / `telemetry disable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Telemetry on.
    Enabled,
    /// Telemetry off.
    Disabled,
}

/// What decided the [`Mode`]: the first rule that applies, in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// `<APP>_TELEMETRY_OFFLINE` is set (to anything but empty, `0` or
    /// `false`; a value that is not valid UTF-8 counts as set, shown lossily).
    Offline {
        /// The variable.
        variable: String,
        /// Its value.
        value: String,
    },
    /// `DO_NOT_TRACK` is set (to anything but empty, `0` or `false`; a value
    /// that is not valid UTF-8 counts as set) and the schema honours it.
    DoNotTrack {
        /// Its value.
        value: String,
    },
    /// A product switch from the schema fired.
    Switch {
        /// The variable.
        variable: &'static str,
        /// Its value.
        value: String,
        /// What the switch does.
        action: SwitchAction,
    },
    /// `<APP>_TELEMETRY_DIR` cannot be used as the state dir: telemetry
    /// stays off rather than keep state somewhere else.
    StateDirUnusable {
        /// The variable.
        variable: String,
        /// Why, in words.
        why: String,
    },
    /// The state file exists but cannot be read or parsed. It may hold an
    /// opt-out, so nothing is recorded until `telemetry enable` or
    /// `telemetry disable` rewrites it; the file is left as it is.
    StateUnreadable {
        /// What is wrong, naming the file.
        why: String,
    },
    /// The app's telemetry setup is wrong ([`crate::Builder::build_or_off`]
    /// gave an off handle instead of the [`crate::BuildError`]).
    SetupFailed(crate::BuildError),
    /// The choice persisted by `telemetry enable` / `telemetry disable`.
    Choice(Choice),
    /// Consent says on, but this run showed the first-run notice and the
    /// schema's `consent.first_run` is `notice_first`: sending starts with
    /// the next run.
    NoticeFirst,
    /// Consent says on, but this run cannot record: this machine cannot
    /// give the context the schema requires, the system gives no randomness
    /// for the id and hashing key, or the delivery thread cannot start.
    Unavailable {
        /// What is missing, and what can be done about it, in words.
        why: String,
    },
    /// The handle was made by [`crate::Builder::for_tests`]: no environment
    /// or state was read.
    ForTests,
    /// Nothing else applied: the schema's `consent.default`.
    Default {
        /// `consent.default: enabled`.
        enabled: bool,
    },
}

/// The product's words in what [`Reason`] and `status` say: its term for
/// telemetry (`app.term`) and its opt-out command (`consent.opt_out_command`,
/// or the builder's), so that `status` names the product's own command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Words {
    pub(crate) term: &'static str,
    pub(crate) disable_command: Option<String>,
}

impl Words {
    /// The words of a [`Reason`] shown on its own: no product's command.
    const GENERIC: Words = Words { term: "telemetry", disable_command: None };

    /// The term, first letter upper-cased, to start a sentence.
    pub(crate) fn term_capitalized(&self) -> String {
        let mut chars = self.term.chars();
        chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
    }

    /// How a state file that is not used gets rewritten, in words.
    pub(crate) fn rewrite_hint(&self) -> String {
        match &self.disable_command {
            Some(cmd) => format!("turning {} on or off again (`{cmd}` turns it off) rewrites it", self.term),
            None => format!("turning {} on or off again rewrites it", self.term),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, &Words::GENERIC)
    }
}

impl Reason {
    /// The reason in the product's words (what `status` prints).
    pub(crate) fn in_words<'a>(&'a self, words: &'a Words) -> impl fmt::Display + 'a {
        struct Worded<'a>(&'a Reason, &'a Words);
        impl fmt::Display for Worded<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, self.1)
            }
        }
        Worded(self, words)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, words: &Words) -> fmt::Result {
        let term = words.term;
        match self {
            Reason::Offline { variable, value } => write!(f, "{variable} is set to {value:?}"),
            Reason::DoNotTrack { value } => write!(f, "DO_NOT_TRACK is set to {value:?}"),
            Reason::Switch { variable, value, action } => {
                let what = match action {
                    SwitchAction::Disable => format!("disables {term}"),
                    SwitchAction::Enable => format!("enables {term}"),
                    SwitchAction::LogOnly => "logs events locally instead of sending them".to_string(),
                };
                write!(f, "{variable} is set to {value:?}, which {what}")
            }
            Reason::StateDirUnusable { variable, why } => {
                write!(f, "{variable} {why}; set it to an absolute path, or unset it")
            }
            Reason::StateUnreadable { why } => {
                write!(f, "{why}; nothing is recorded until {}", words.rewrite_hint())
            }
            Reason::SetupFailed(error) => write!(f, "the app's {term} setup failed ({error})"),
            Reason::Unavailable { why } => write!(f, "{why}, so nothing is recorded"),
            Reason::ForTests => f.write_str("the handle is for tests (`Builder::for_tests`)"),
            Reason::Choice(Choice::Enabled) => f.write_str("you enabled it"),
            Reason::Choice(Choice::Disabled) => match &words.disable_command {
                Some(cmd) => write!(f, "you disabled it (`{cmd}`)"),
                None => f.write_str("you disabled it"),
            },
            Reason::NoticeFirst => {
                f.write_str("this run showed the first-run notice; events are sent from the next run on")
            }
            Reason::Default { enabled: true } => f.write_str("it is on by default"),
            Reason::Default { enabled: false } => f.write_str("it is off by default (opt-in)"),
        }
    }
}

/// Resolves consent in its fixed order: offline switch, `DO_NOT_TRACK`, each
/// product switch in schema order, the persisted choice, the default.
///
/// `choice` is read lazily: it is only looked up when no variable decides.
/// It fails (with a reason naming the problem) when the saved state cannot
/// be read: telemetry is then off, since the unreadable file may hold an opt-out.
pub(crate) fn resolve(
    meta: &AppMeta,
    env: &EnvSource,
    choice: impl FnOnce() -> Result<Option<Choice>, Reason>,
) -> (Mode, Reason) {
    let names = EnvNames::for_app(meta.name);
    if let Some(value) = env.switch(&names.offline).filter(Value::opts_out) {
        return (Mode::Off, Reason::Offline { variable: names.offline, value: value.shown().into() });
    }
    if meta.do_not_track
        && let Some(value) = env.switch("DO_NOT_TRACK").filter(Value::opts_out)
    {
        return (Mode::Off, Reason::DoNotTrack { value: value.shown().into() });
    }
    for switch in meta.env {
        let Some(value) = env.switch(switch.name) else { continue };
        let fires = match &value {
            // Not UTF-8 cannot match a trigger's text: it is honoured only
            // where that fails closed, as a non-empty opt-out.
            Value::NotUnicode(_) => switch.action == SwitchAction::Disable,
            // `Equals("")` would fire on an empty value; any other trigger needs content.
            Value::Text(v) => {
                switch.trigger.fires(v) && (!v.trim().is_empty() || matches!(switch.trigger, Trigger::Equals(_)))
            }
        };
        if !fires {
            continue;
        }
        let mode = match switch.action {
            SwitchAction::Disable => Mode::Off,
            SwitchAction::Enable => Mode::On,
            SwitchAction::LogOnly => Mode::LogOnly,
        };
        return (mode, Reason::Switch { variable: switch.name, value: value.shown().into(), action: switch.action });
    }
    match choice() {
        Err(reason) => (Mode::Off, reason),
        Ok(Some(c)) => {
            let mode = match c {
                Choice::Enabled => Mode::On,
                Choice::Disabled => Mode::Off,
            };
            (mode, Reason::Choice(c))
        }
        Ok(None) => {
            let mode = if meta.enabled_by_default { Mode::On } else { Mode::Off };
            (mode, Reason::Default { enabled: meta.enabled_by_default })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{EnvSwitch, FirstRun};

    static META: AppMeta = AppMeta {
        name: "demo-app",
        title: "Demo",
        term: "telemetry",
        docs_url: None,
        anonymous_id_env: None,
        identity: crate::meta::Identity::Install,
        enabled_by_default: true,
        do_not_track: true,
        env: &[
            EnvSwitch { name: "DEMO_DISABLE", trigger: Trigger::Truthy, action: SwitchAction::Disable },
            EnvSwitch { name: "DEMO_ENABLE", trigger: Trigger::Falsy, action: SwitchAction::Disable },
            EnvSwitch { name: "TRACKING", trigger: Trigger::Equals("logging"), action: SwitchAction::LogOnly },
            EnvSwitch { name: "DEMO_FORCE", trigger: Trigger::Set, action: SwitchAction::Enable },
        ],
        first_run: FirstRun::Send,
        opt_out_command: None,
        context: &[],
        events: &[],
        product_hashed: &[],
        fingerprint: crate::meta::Fingerprint::NONE,
        schema_version: None,
    };

    fn run(pairs: &[(&str, &str)], choice: Option<Choice>) -> (Mode, String) {
        let env = EnvSource::from_pairs(pairs.iter().copied());
        let (mode, reason) = resolve(&META, &env, || Ok(choice));
        (mode, reason.to_string())
    }

    #[test]
    fn order_and_reasons() {
        assert_eq!(run(&[], None), (Mode::On, "it is on by default".into()));
        assert_eq!(run(&[], Some(Choice::Disabled)), (Mode::Off, "you disabled it".into()));
        assert_eq!(
            run(&[("DEMO_APP_TELEMETRY_OFFLINE", "1"), ("DO_NOT_TRACK", "1")], None),
            (Mode::Off, "DEMO_APP_TELEMETRY_OFFLINE is set to \"1\"".into())
        );
        assert_eq!(run(&[("DO_NOT_TRACK", "1")], Some(Choice::Enabled)).0, Mode::Off);
        assert_eq!(run(&[("DO_NOT_TRACK", "0")], None).0, Mode::On);
        assert_eq!(run(&[("DO_NOT_TRACK", "false")], None).0, Mode::On);
        assert_eq!(run(&[("DO_NOT_TRACK", "")], None).0, Mode::On);
        assert_eq!(run(&[("DO_NOT_TRACK", "yes")], None).0, Mode::Off);
        assert_eq!(
            run(&[("DEMO_DISABLE", "true")], None),
            (Mode::Off, "DEMO_DISABLE is set to \"true\", which disables telemetry".into())
        );
        assert_eq!(run(&[("DEMO_DISABLE", "0")], None).0, Mode::On);
        assert_eq!(run(&[("DEMO_ENABLE", "false")], None).0, Mode::Off);
        assert_eq!(run(&[("DEMO_ENABLE", "true")], None).0, Mode::On);
        assert_eq!(run(&[("TRACKING", "logging")], None).0, Mode::LogOnly);
        assert_eq!(run(&[("DEMO_FORCE", "1")], Some(Choice::Disabled)).0, Mode::On);
        // First switch in schema order wins.
        assert_eq!(run(&[("DEMO_DISABLE", "1"), ("DEMO_FORCE", "1")], None).0, Mode::Off);
    }

    #[test]
    fn dnt_ignored_when_schema_says_so() {
        static NO_DNT: AppMeta = AppMeta { do_not_track: false, enabled_by_default: false, ..META };
        let env = EnvSource::from_pairs([("DO_NOT_TRACK", "1")]);
        let (mode, reason) = resolve(&NO_DNT, &env, || Ok(Some(Choice::Enabled)));
        assert_eq!((mode, reason), (Mode::On, Reason::Choice(Choice::Enabled)));
        let (mode, reason) = resolve(&NO_DNT, &env, || Ok(None));
        assert_eq!((mode, reason.to_string()), (Mode::Off, "it is off by default (opt-in)".to_string()));
    }

    /// Any non-empty value that is not UTF-8 opts out, in every opt-out
    /// switch; it never fires a switch that would turn telemetry on.
    #[cfg(unix)]
    #[test]
    fn non_unicode_opt_out_values_turn_telemetry_off() {
        use std::ffi::OsString;
        use std::os::unix::ffi::OsStringExt;
        let run = |name: &str, bytes: &[u8]| {
            let env = EnvSource::from_os_pairs([(name, OsString::from_vec(bytes.to_vec()))]);
            let (mode, reason) = resolve(&META, &env, || Ok(None));
            (mode, reason.to_string())
        };
        assert_eq!(run("DO_NOT_TRACK", b"\xff"), (Mode::Off, "DO_NOT_TRACK is set to \"\u{fffd}\"".into()));
        assert_eq!(run("DEMO_APP_TELEMETRY_OFFLINE", b"\xc3").0, Mode::Off);
        assert_eq!(
            run("DEMO_DISABLE", b"1\xff"),
            (Mode::Off, "DEMO_DISABLE is set to \"1\u{fffd}\", which disables telemetry".into())
        );
        // A switch that enables, or logs instead of sending, does not fire on bytes it cannot read.
        assert_eq!(run("DEMO_FORCE", b"\xff"), (Mode::On, "it is on by default".into()));
        assert_eq!(run("TRACKING", b"\xff").0, Mode::On);
    }

    #[test]
    fn unreadable_state_turns_telemetry_off() {
        let why = Reason::StateUnreadable { why: "/s/state.json is not valid state: x".into() };
        let (mode, reason) = resolve(&META, &EnvSource::from_pairs::<&str, &str>([]), || Err(why.clone()));
        assert_eq!((mode, reason), (Mode::Off, why));
    }

    #[test]
    fn choice_not_read_when_env_decides() {
        let env = EnvSource::from_pairs([("DO_NOT_TRACK", "1")]);
        let _ = resolve(&META, &env, || panic!("state must not be read"));
    }
}
