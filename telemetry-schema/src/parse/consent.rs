//! Reading the `consent` section: the default, `DO_NOT_TRACK`, the
//! environment switches with their two shapes (`disables_when`, or `equals`
//! with an `action`), the first run and the opt-out command. Also the rule
//! for environment variable names, which `app.anonymous_id_env` shares.

use super::govern::review_key;
use super::shape::{Map, boolean, keyword, non_empty, string};
use crate::error::Diags;
use crate::model::{Consent, ConsentDefault, EnvSwitch, FirstRun, SwitchAction, SwitchRule, Trigger};
use crate::yaml::{Node, NodeKind};

/// The keys of `consent`, then its governance key.
pub(crate) const CONSENT_KEYS: &[&str] = &["default", "do_not_track", "env", "first_run", "opt_out_command"];
pub(crate) const CONSENT_GOVERNED: &[&str] = &["data_review"];

pub(super) fn consent(node: &Node, d: &mut Diags) -> Option<Consent> {
    let m = Map::governed(node, "`consent`", CONSENT_KEYS, CONSENT_GOVERNED, d)?;
    let data_review = review_key(&m, "`consent`", d);
    let default = match m.value("default") {
        Some(n) => keyword(
            n,
            "`consent.default` value",
            &[("enabled", ConsentDefault::Enabled), ("disabled", ConsentDefault::Disabled)],
            d,
        ),
        None => Some(ConsentDefault::Enabled),
    };
    let do_not_track = match m.value("do_not_track") {
        Some(n) => boolean(n, "`consent.do_not_track`", d),
        None => Some(true),
    };
    let env = match m.value("env") {
        None => Some(Vec::new()),
        Some(n) => match &n.kind {
            NodeKind::Seq(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for item in items {
                    match switch(item, d) {
                        Some(s) => out.push(s),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            _ => {
                d.error(
                    n.loc,
                    format!("`consent.env` must be a list, found {}", n.describe()),
                    "write one `- { name: VAR, disables_when: truthy }` per variable",
                );
                None
            }
        },
    };
    let first_run = match m.value("first_run") {
        Some(n) => keyword(
            n,
            "`consent.first_run` value",
            &[("send", FirstRun::Send), ("notice_first", FirstRun::NoticeFirst)],
            d,
        ),
        None => Some(FirstRun::Send),
    };
    let opt_out_command = match m.value("opt_out_command") {
        Some(n) => non_empty(n, "`consent.opt_out_command`", d).and_then(|s| command(&s, n, d)).map(Some),
        None => Some(None),
    };
    Some(Consent {
        default: default?,
        do_not_track: do_not_track?,
        env: env?,
        first_run: first_run?,
        opt_out_command: opt_out_command?,
        data_review: data_review?,
    })
}

/// Characters of a word of the opt-out command (and of an `equals` value,
/// which may hold a few more): nothing a shell, a Markdown page or a `cmd`
/// line would read as syntax.
fn plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-')
}

/// `opt_out_command`: the page prints it in a shell block for users to copy
/// and run, so it is a plain command line: words of `[A-Za-z0-9._/-]`, one space apart.
fn command(s: &str, node: &Node, d: &mut Diags) -> Option<String> {
    let problem = match s.chars().find(|c| !plain(*c) && *c != ' ') {
        Some(c) if c.is_whitespace() => Some("it contains whitespace other than single spaces".to_string()),
        Some(c) if c.is_ascii_graphic() => Some(format!("{c:?} is not allowed: a shell or Markdown would read it")),
        Some(c) => Some(format!("{c:?} is not allowed")),
        None if s.split(' ').any(str::is_empty) => Some("its words must be one space apart".to_string()),
        None => None,
    };
    if let Some(problem) = problem {
        d.error(
            node.loc,
            format!("`consent.opt_out_command` is not a plain command line: {problem}"),
            "write the command users run, e.g. `my-app telemetry disable`: words of letters, digits, `.`, `_`, `/` and `-`, one space apart",
        );
        return None;
    }
    Some(s.to_string())
}

/// An environment variable name: uppercase letters, digits and `_`, not starting with a digit.
pub(super) fn env_name(node: &Node, example: &str, d: &mut Diags) -> Option<String> {
    let s = string(node, "the variable name", d)?;
    let ok = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit());
    if !ok {
        d.error(
            node.loc,
            format!("`{s}` is not an environment variable name"),
            format!("use uppercase letters, digits and `_`, e.g. `{example}`"),
        );
        return None;
    }
    Some(s)
}

fn switch(node: &Node, d: &mut Diags) -> Option<EnvSwitch> {
    let m = Map::new(node, "an environment switch", &["name", "disables_when", "equals", "action"], d)?;
    let name = m
        .required("name", "an environment switch", "MY_APP_DISABLE_TELEMETRY", d)
        .and_then(|n| env_name(n, "MY_APP_DISABLE_TELEMETRY", d));
    let triggers = [("set", Trigger::Set), ("truthy", Trigger::Truthy), ("falsy", Trigger::Falsy)];
    let actions =
        [("disable", SwitchAction::Disable), ("enable", SwitchAction::Enable), ("log_only", SwitchAction::LogOnly)];
    let rule = match (m.get("disables_when"), m.get("equals")) {
        (Some((_, w)), None) => {
            if let Some((k, _)) = m.get("action") {
                d.error(
                    k.loc,
                    "`action` goes with `equals`, not with `disables_when`",
                    "remove `action`; `disables_when` always disables",
                );
            }
            keyword(w, "`disables_when` value", &triggers, d).map(SwitchRule::DisablesWhen)
        }
        (None, Some((_, v))) => {
            let value = string(v, "`equals`", d).and_then(|s| {
                // The page sets it in bash, zsh, PowerShell and cmd, quoted where needed: these quote safely in all four.
                let quotable = |c: char| plain(c) || matches!(c, ' ' | '\'' | ':' | '+' | ',' | '=' | '@');
                if !s.is_empty() && s.chars().all(quotable) {
                    return Some(s);
                }
                d.error(
                    v.loc,
                    format!("`equals` value {s:?} cannot be shown as a command to type"),
                    "use letters, digits, spaces and `._/-:'+,=@` (e.g. `equals: \"off\"`): the page shows the commands that set it in four shells",
                );
                None
            });
            let action = match m.value("action") {
                Some(a) => keyword(a, "`action` value", &actions, d),
                None => Some(SwitchAction::Disable),
            };
            Some(SwitchRule::Equals { value: value?, action: action? })
        }
        (Some(_), Some((k, _))) => {
            d.error(k.loc, "a switch has either `disables_when` or `equals`, not both", "split it into two switches");
            None
        }
        (None, None) => {
            d.error(m.loc, "this switch says neither `disables_when` nor `equals`", "add `disables_when: truthy` (or `falsy`, `set`), or `equals: VALUE` with `action: disable | enable | log_only`");
            None
        }
    };
    Some(EnvSwitch { name: name?, rule: rule?, loc: node.loc })
}
