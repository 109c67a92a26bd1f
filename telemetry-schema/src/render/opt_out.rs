//! The "How to opt out" section of the page: the app's opt-out command,
//! `DO_NOT_TRACK` and every environment switch, each with the commands that
//! set it in bash, zsh, PowerShell and cmd. The longest section, and the
//! only one that knows shell quoting, so it has a file of its own.

use super::text::{capitalized, cell_row, code, line, text};
use crate::model::{ConsentDefault, EnvSwitch, Schema, SwitchAction, SwitchRule, Trigger};

/// What a value does: the value to type, and a sentence.
struct Switch<'a> {
    name: &'a str,
    value: String,
    says: String,
    action: SwitchAction,
}

fn describe_switch<'a>(s: &'a EnvSwitch, title: &str, term: &str) -> Switch<'a> {
    let name = s.name.as_str();
    let term_cap = capitalized(term);
    match &s.rule {
        SwitchRule::DisablesWhen(Trigger::Set) => Switch {
            name,
            value: "1".into(),
            says: format!("{term_cap} is off when `{name}` is set to any non-empty value."),
            action: SwitchAction::Disable,
        },
        SwitchRule::DisablesWhen(Trigger::Truthy) => Switch {
            name,
            value: "1".into(),
            says: format!("{term_cap} is off when `{name}` is `1`, `true`, `yes` or `on` (any case)."),
            action: SwitchAction::Disable,
        },
        SwitchRule::DisablesWhen(Trigger::Falsy) => Switch {
            name,
            value: "0".into(),
            says: format!(
                "{term_cap} is off when `{name}` is `0`, `false`, `no` or `off` (any case). Set it to `1`, or unset it, to let the other settings decide again."
            ),
            action: SwitchAction::Disable,
        },
        SwitchRule::Equals { value, action } => Switch {
            name,
            value: value.clone(),
            says: match action {
                SwitchAction::Disable => format!("{term_cap} is off when `{name}` is exactly {}.", code(value)),
                SwitchAction::LogOnly => format!(
                    "When `{name}` is exactly {}, {title} writes events to its local log only and sends nothing.",
                    code(value)
                ),
                SwitchAction::Enable => format!(
                    "{term_cap} is on when `{name}` is exactly {} (`DO_NOT_TRACK` still turns it off).",
                    code(value)
                ),
            },
            action: *action,
        },
    }
}

/// `s` as one single-quoted POSIX shell word.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Shell commands that set `name=value`, for the session and permanently.
fn commands(w: &mut String, name: &str, value: &str) {
    // Values are quoted only when they need it, so the common case reads naturally.
    let plain = value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let sh = if plain { value.to_string() } else { sh_quote(value) };
    let ps = value.replace('\'', "''");
    let (cmd_session, cmd_perm) = if plain {
        (format!("set {name}={value}"), format!("setx {name} {value}"))
    } else {
        (format!("set \"{name}={value}\""), format!("setx {name} \"{value}\""))
    };
    let export = format!("export {name}={sh}");
    line(w, "| Shell | For this session | Permanently (new shells) |");
    line(w, "| --- | --- | --- |");
    for (shell, rc) in [("bash", "~/.bashrc"), ("zsh", "~/.zshrc")] {
        line(w, cell_row(&[shell, &format!("`{export}`"), &format!("`echo {} >> {rc}`", sh_quote(&export))]));
    }
    line(
        w,
        cell_row(&[
            "PowerShell",
            &format!("`$env:{name} = '{ps}'`"),
            &format!("`[Environment]::SetEnvironmentVariable('{name}', '{ps}', 'User')`"),
        ]),
    );
    line(w, cell_row(&["cmd", &format!("`{cmd_session}`"), &format!("`{cmd_perm}`")]));
    line(w, "");
}

/// The "How to opt out" section.
pub(super) fn opt_out(w: &mut String, schema: &Schema) {
    let title = &text(&schema.app.title);
    let term = schema.app.term();
    line(w, "## How to opt out");
    line(w, "");
    let explicit_dnt = schema.consent.env.iter().any(|s| s.name == "DO_NOT_TRACK");
    let mut order: Vec<String> = Vec::new();
    let mut any = false;
    if let Some(cmd) = &schema.consent.opt_out_command {
        any = true;
        command(w, cmd, term);
    }
    if schema.consent.do_not_track && !explicit_dnt {
        any = true;
        order.push("`DO_NOT_TRACK`".into());
        line(w, "### `DO_NOT_TRACK`");
        line(w, "");
        line(
            w,
            format!(
                "{title} honours the `DO_NOT_TRACK` convention: `DO_NOT_TRACK=1` turns {term} off, for {title} and every other tool that follows the convention."
            ),
        );
        line(w, "");
        commands(w, "DO_NOT_TRACK", "1");
    }
    let switches: Vec<Switch<'_>> = schema.consent.env.iter().map(|s| describe_switch(s, title, term)).collect();
    for s in switches.iter().filter(|s| s.action != SwitchAction::Enable) {
        any = true;
        order.push(format!("`{}`", s.name));
        line(w, format!("### `{}`", s.name));
        line(w, "");
        line(w, &s.says);
        line(w, "");
        commands(w, s.name, &s.value);
    }
    let enabling: Vec<&Switch<'_>> = switches.iter().filter(|s| s.action == SwitchAction::Enable).collect();
    if !enabling.is_empty() {
        line(w, "### Opting in");
        line(w, "");
        for s in enabling {
            order.push(format!("`{}`", s.name));
            line(w, &s.says);
            line(w, "");
            commands(w, s.name, &s.value);
        }
    }
    if !any {
        line(w, format!("{title} offers no command or environment variable that turns its {term} off."));
        line(w, "");
    }
    if !order.is_empty() {
        precedence(w, &order, schema.consent.default, term);
    }
}

/// The opt-out command's subsection.
fn command(w: &mut String, cmd: &str, term: &str) {
    line(w, "### The command");
    line(w, "");
    line(
        w,
        format!(
            "{} turns {term} off on this machine and saves that choice; the variables below are checked before it.",
            code(cmd)
        ),
    );
    line(w, "");
    line(w, "```sh");
    line(w, cmd);
    line(w, "```");
    line(w, "");
}

/// Which of the variables (`order`, as checked) decides, and the default when none applies.
fn precedence(w: &mut String, order: &[String], default: ConsentDefault, term: &str) {
    let default = match default {
        ConsentDefault::Enabled => "on",
        ConsentDefault::Disabled => "off",
    };
    let list = order.join(", then ");
    let text = if order.len() == 1 {
        format!("When {list} does not apply, {term} is **{default}** by default.")
    } else {
        format!(
            "The variables are checked in this order, and the first that applies decides: {list}. When none applies, {term} is **{default}** by default."
        )
    };
    line(w, text);
    line(w, "");
}
