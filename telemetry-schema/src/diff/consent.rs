//! Classifying consent changes: the default, `DO_NOT_TRACK`, the first
//! run, the opt-out command, and each environment switch, judged by which
//! values fire it and whether it turns telemetry off or on, then the list as
//! a whole by what it decides (`switches.rs`): order matters, the first
//! switch that fires decides. Apart from the event and field comparison
//! because switches are compared by meaning, not by key.

use super::Class::{self, Narrows, Review, Widens, Wording};
use super::out::{Out, Side};
use super::switches;
use crate::model::{Consent, ConsentDefault, EnvSwitch, FirstRun, SwitchAction, SwitchRule, Trigger};

/// Whether a switch sends nothing when it fires (`disable`, `log_only`), as opposed to turning telemetry on.
fn stops(r: &SwitchRule) -> bool {
    !matches!(r, SwitchRule::Equals { action: SwitchAction::Enable, .. })
}

/// Whether every value that fires `b` also fires `a`.
fn covers(a: &SwitchRule, b: &SwitchRule) -> bool {
    const TRUTHY: &[&str] = &["1", "true", "yes", "on"];
    const FALSY: &[&str] = &["0", "false", "no", "off"];
    let words = |t: &Trigger| match t {
        Trigger::Truthy => Some(TRUTHY),
        Trigger::Falsy => Some(FALSY),
        Trigger::Set => None,
    };
    match (a, b) {
        (SwitchRule::DisablesWhen(Trigger::Set), _) => true,
        (SwitchRule::DisablesWhen(x), SwitchRule::DisablesWhen(y)) => x == y,
        (SwitchRule::DisablesWhen(x), SwitchRule::Equals { value, .. }) => {
            words(x).is_some_and(|w| w.contains(&value.to_ascii_lowercase().as_str()))
        }
        (SwitchRule::Equals { value: x, .. }, SwitchRule::Equals { value: y, .. }) => x == y,
        (SwitchRule::Equals { .. }, SwitchRule::DisablesWhen(_)) => false,
    }
}

/// Every consent change from `b` to `h`.
pub(super) fn consent(out: &mut Out<'_>, b: &Consent, h: &Consent) {
    let at = Side::HeadFile;
    match (b.default, h.default) {
        (ConsentDefault::Disabled, ConsentDefault::Enabled) => {
            out.push("consent", "default: disabled -> enabled (on until switched off)", &[Widens], at)
        }
        (ConsentDefault::Enabled, ConsentDefault::Disabled) => {
            out.push("consent", "default: enabled -> disabled (off until switched on)", &[Narrows], at)
        }
        _ => {}
    }
    match (b.do_not_track, h.do_not_track) {
        (true, false) => out.push("consent", "`DO_NOT_TRACK` no longer honoured", &[Widens], at),
        (false, true) => out.push("consent", "`DO_NOT_TRACK` now honoured", &[Narrows], at),
        _ => {}
    }
    match (b.first_run, h.first_run) {
        (FirstRun::NoticeFirst, FirstRun::Send) => out.push(
            "consent",
            "first_run: notice_first -> send (sends in the run that shows the notice)",
            &[Widens],
            at,
        ),
        (FirstRun::Send, FirstRun::NoticeFirst) => out.push(
            "consent",
            "first_run: send -> notice_first (nothing sent before the notice was seen)",
            &[Narrows],
            at,
        ),
        _ => {}
    }
    match (&b.opt_out_command, &h.opt_out_command) {
        (old, new) if old == new => {}
        (Some(o), Some(n)) => out.push("consent", format!("`opt_out_command` changed: `{o}` -> `{n}`"), &[Review], at),
        (None, Some(n)) => out.push("consent", format!("`opt_out_command` added: `{n}`"), &[Review], at),
        (Some(o), None) => out.push("consent", format!("`opt_out_command` removed (was `{o}`)"), &[Review], at),
        (None, None) => {}
    }
    if b.data_review != h.data_review {
        out.push("consent", "`data_review` changed", &[Wording], at);
    }
    env(out, &b.env, &h.env, h.default == ConsentDefault::Enabled);
}

fn env(out: &mut Out<'_>, old: &[EnvSwitch], new: &[EnvSwitch], default_on: bool) {
    let key = |l: &[EnvSwitch]| l.iter().map(|s| (s.name.clone(), s.rule.clone())).collect::<Vec<_>>();
    if key(old) == key(new) {
        return;
    }
    let start = out.changes.len();
    by_name(out, old, new);
    let names = |a: &[EnvSwitch], b: &[EnvSwitch]| -> Vec<String> {
        a.iter().filter(|s| b.iter().any(|t| t.name == s.name)).map(|s| format!("`{}`", s.name)).collect()
    };
    let (was, now) = (names(old, new), names(new, old));
    let what = if was == now {
        "switches".to_string()
    } else {
        format!("switches reordered ({} -> {})", was.join(", "), now.join(", "))
    };
    let said = |out: &Out<'_>, class: Class| out.changes[start..].iter().any(|c| c.is(class));
    let (widens, narrows) = switches::compare(old, new, default_on);
    let mut decided = false;
    if let Some(example) = widens.filter(|_| !said(out, Widens)) {
        out.push("consent", format!("{what}: {example}"), &[Widens], Side::HeadFile);
        decided = true;
    }
    if let Some(example) = narrows.filter(|_| !said(out, Narrows)) {
        out.push("consent", format!("{what}: {example}"), &[Narrows], Side::HeadFile);
        decided = true;
    }
    if was != now && !decided {
        out.push("consent", format!("{what}: each decides as before"), &[Wording], Side::HeadFile);
    }
}

/// One line per switch added, removed or changed, matched by name.
fn by_name(out: &mut Out<'_>, old: &[EnvSwitch], new: &[EnvSwitch]) {
    let find = |list: &'_ [EnvSwitch], name: &str| list.iter().find(|s| s.name == name).map(|s| s.rule.clone());
    let (b, h) = (old, new);
    for s in b {
        let name = &s.name;
        match find(h, name) {
            None if stops(&s.rule) => out.push(
                "consent",
                format!("switch `{name}` removed: it no longer turns telemetry off"),
                &[Widens],
                Side::Base(s.loc),
            ),
            None => out.push(
                "consent",
                format!("switch `{name}` removed: it no longer turns telemetry on"),
                &[Narrows],
                Side::Base(s.loc),
            ),
            Some(new) => switch(out, name, &s.rule, &new),
        }
    }
    for s in h.iter().filter(|s| find(b, &s.name).is_none()) {
        let (what, class) =
            if stops(&s.rule) { ("turns telemetry off", Narrows) } else { ("turns telemetry on", Widens) };
        out.push("consent", format!("new switch `{}` {what}", s.name), &[class], Side::Head(s.loc));
    }
}

fn switch(out: &mut Out<'_>, name: &str, old: &SwitchRule, new: &SwitchRule) {
    if old == new {
        return;
    }
    let at = Side::HeadFile;
    match (stops(old), stops(new)) {
        (true, false) => {
            return out.push(
                "consent",
                format!("switch `{name}` now turns telemetry on instead of off"),
                &[Widens],
                at,
            );
        }
        (false, true) => {
            return out.push(
                "consent",
                format!("switch `{name}` now turns telemetry off instead of on"),
                &[Narrows],
                at,
            );
        }
        _ => {}
    }
    // For a switch that stops telemetry, firing on fewer values widens; for one that starts it, the reverse.
    let (more, fewer) = if stops(new) { (Narrows, Widens) } else { (Widens, Narrows) };
    let classes: &[Class] = match (covers(new, old), covers(old, new)) {
        (true, true) => &[Wording],
        (true, false) => &[more],
        (false, true) => &[fewer],
        (false, false) => &[Widens, Narrows],
    };
    let what = match classes {
        [Wording] => format!("switch `{name}` changed its action; it sends nothing either way"),
        [c] if *c == Widens && stops(new) => {
            format!("switch `{name}` weakened: it turns telemetry off for fewer values")
        }
        [c] if *c == Narrows && stops(new) => {
            format!("switch `{name}` strengthened: it turns telemetry off for more values")
        }
        [_] => format!("switch `{name}` now fires for {} values", if covers(new, old) { "more" } else { "fewer" }),
        _ => format!("switch `{name}` fires for other values than before"),
    };
    out.push("consent", what, classes, at);
}
