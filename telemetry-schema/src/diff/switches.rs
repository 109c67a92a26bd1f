//! Consent switches compared by what they decide, not by name: the first
//! switch that fires decides, so moving one before another, or changing a
//! value or an action, can turn telemetry on for someone it was off for.
//! Every value that matters for each variable is tried (unset, empty, each
//! truthy and falsy word, each `equals` value, other text, text that is not
//! UTF-8), with each saved choice, against both lists; the rules mirror
//! `telemetry-core`'s `consent::resolve`.

use crate::model::{EnvSwitch, SwitchAction, SwitchRule, Trigger};

/// More combinations than this are not tried one by one: the change is then
/// taken to widen and to narrow, so that a person reviews it.
const MAX_COMBINATIONS: usize = 200_000;

const WORDS: &[&str] = &["1", "true", "yes", "on", "0", "false", "no", "off"];

#[derive(Clone, Debug)]
enum Val {
    Unset,
    Text(String),
    NotUnicode,
}

/// What the switches decide, before the saved choice and the default.
#[derive(Clone, Copy, PartialEq)]
enum Decides {
    Off,
    On,
    Nothing,
}

fn action(rule: &SwitchRule) -> SwitchAction {
    match rule {
        SwitchRule::DisablesWhen(_) => SwitchAction::Disable,
        SwitchRule::Equals { action, .. } => *action,
    }
}

fn fires(rule: &SwitchRule, v: &Val) -> bool {
    match v {
        Val::Unset => false,
        Val::NotUnicode => action(rule) == SwitchAction::Disable,
        Val::Text(v) => {
            let t = v.trim();
            let word = |range: std::ops::Range<usize>| WORDS[range].iter().any(|w| t.eq_ignore_ascii_case(w));
            match rule {
                SwitchRule::DisablesWhen(Trigger::Set) => !t.is_empty(),
                SwitchRule::DisablesWhen(Trigger::Truthy) => word(0..4),
                SwitchRule::DisablesWhen(Trigger::Falsy) => word(4..8),
                SwitchRule::Equals { value, .. } => v == value,
            }
        }
    }
}

fn decide(list: &[EnvSwitch], names: &[&str], env: &[&Val]) -> Decides {
    for s in list {
        let Some(i) = names.iter().position(|n| *n == s.name) else { continue };
        if fires(&s.rule, env[i]) {
            return match action(&s.rule) {
                SwitchAction::Enable => Decides::On,
                SwitchAction::Disable | SwitchAction::LogOnly => Decides::Off,
            };
        }
    }
    Decides::Nothing
}

/// The values worth trying for `name`: one of each kind the rules tell apart.
fn values(name: &str, lists: [&[EnvSwitch]; 2]) -> Vec<Val> {
    // Plain values first: the example shown is the first of the simplest found.
    let mut out = vec![Val::Unset];
    out.extend(WORDS.iter().map(|w| Val::Text(w.to_string())));
    let equals: Vec<&String> = lists
        .iter()
        .flat_map(|l| l.iter())
        .filter(|s| s.name == name)
        .filter_map(|s| match &s.rule {
            SwitchRule::Equals { value, .. } => Some(value),
            SwitchRule::DisablesWhen(_) => None,
        })
        .collect();
    let mut other = String::from("other");
    while equals.iter().any(|v| **v == other) {
        other.push('_');
    }
    out.extend(equals.into_iter().map(|v| Val::Text(v.clone())));
    out.push(Val::Text(other));
    out.extend([Val::Text(String::new()), Val::Text(" ".into()), Val::NotUnicode]);
    out.extend(WORDS.iter().map(|w| Val::Text(format!(" {} ", w.to_ascii_uppercase()))));
    out
}

/// How unusual a value is, for choosing the example to show.
fn odd(v: &Val) -> usize {
    match v {
        Val::Unset => 0,
        Val::Text(t) if !t.is_empty() && t.trim() == t => 1,
        Val::Text(_) | Val::NotUnicode => 3,
    }
}

fn shown(name: &str, v: &Val) -> Option<String> {
    match v {
        Val::Unset => None,
        Val::NotUnicode => Some(format!("{name}=<not UTF-8>")),
        Val::Text(t) if !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) => {
            Some(format!("{name}={t}"))
        }
        Val::Text(t) => Some(format!("{name}='{t}'")),
    }
}

/// How the switches changed for people: `(widens, narrows)`, each saying
/// where telemetry goes from off to on (or on to off), with an example
/// environment, `None` when nowhere. `default_on` is the schema's default, used on
/// both sides: a change of the default is reported by itself.
pub(super) fn compare(old: &[EnvSwitch], new: &[EnvSwitch], default_on: bool) -> (Option<String>, Option<String>) {
    let mut names: Vec<&str> = Vec::new();
    for s in old.iter().chain(new) {
        if !names.contains(&s.name.as_str()) {
            names.push(&s.name);
        }
    }
    let vals: Vec<Vec<Val>> = names.iter().map(|n| values(n, [old, new])).collect();
    let combos = vals.iter().try_fold(1usize, |acc, v| acc.checked_mul(v.len())).unwrap_or(usize::MAX);
    if combos > MAX_COMBINATIONS {
        let why =
            format!("{combos} combinations of their values are too many to try one by one, so telemetry may go from");
        return (Some(format!("{why} off to on")), Some(format!("{why} on to off")));
    }
    // (widening, narrowing): the example with the fewest variables set, a saved choice counting as one.
    let mut best: [Option<(usize, String)>; 2] = [None, None];
    let mut at = vec![0usize; names.len()];
    loop {
        let env: Vec<&Val> = at.iter().zip(&vals).map(|(i, v)| &v[*i]).collect();
        let (o, n) = (decide(old, &names, &env), decide(new, &names, &env));
        if o != n {
            for (choice, label) in
                [(None, "no saved choice"), (Some(true), "after `enable`"), (Some(false), "after `disable`")]
            {
                let sends = |d: Decides| d == Decides::On || (d == Decides::Nothing && choice.unwrap_or(default_on));
                let slot = match (sends(o), sends(n)) {
                    (false, true) => 0,
                    (true, false) => 1,
                    _ => continue,
                };
                let set: Vec<String> = names.iter().zip(&env).filter_map(|(n, v)| shown(n, v)).collect();
                let score = env.iter().map(|v| odd(v)).sum::<usize>() + usize::from(choice.is_some());
                if best[slot].as_ref().is_none_or(|(s, _)| score < *s) {
                    let vars =
                        if set.is_empty() { "no variable set".to_string() } else { format!("`{}`", set.join(" ")) };
                    let what = ["telemetry was off and is now on", "telemetry was on and is now off"][slot];
                    best[slot] = Some((score, format!("with {vars} and {label}, {what}")));
                }
            }
        }
        // The next combination, odometer-wise; done after the last.
        let Some(i) = (0..at.len()).find(|&i| at[i] + 1 < vals[i].len()) else { break };
        at[i] += 1;
        at[..i].iter_mut().for_each(|a| *a = 0);
    }
    let [w, n] = best;
    (w.map(|(_, s)| s), n.map(|(_, s)| s))
}

#[cfg(test)]
mod tests {
    use super::compare;
    use crate::Loc;
    use crate::model::{EnvSwitch, SwitchAction, SwitchRule, Trigger};

    fn off(name: &str) -> EnvSwitch {
        EnvSwitch { name: name.into(), rule: SwitchRule::DisablesWhen(Trigger::Truthy), loc: Loc::new(1, 1) }
    }

    fn on(name: &str, value: &str) -> EnvSwitch {
        let rule = SwitchRule::Equals { value: value.into(), action: SwitchAction::Enable };
        EnvSwitch { name: name.into(), rule, loc: Loc::new(1, 1) }
    }

    #[test]
    fn order_decides() {
        let (a, b) = (off("A_OFF"), on("B_ON", "force"));
        let (widens, narrows) = compare(&[a.clone(), b.clone()], &[b.clone(), a.clone()], false);
        assert_eq!(
            widens.as_deref(),
            Some("with `A_OFF=1 B_ON=force` and no saved choice, telemetry was off and is now on")
        );
        assert_eq!(narrows, None);
        assert_eq!(compare(&[a.clone(), b.clone()], &[a, b], false), (None, None));
    }

    #[test]
    fn too_many_variables_are_taken_to_change_both_ways() {
        let old: Vec<EnvSwitch> = (0..6).map(|i| off(&format!("V{i}"))).collect();
        let mut new = old.clone();
        new.reverse();
        let (widens, narrows) = compare(&old, &new, true);
        assert!(widens.is_some_and(|w| w.ends_with("too many to try one by one, so telemetry may go from off to on")));
        assert!(narrows.is_some_and(|n| n.ends_with("on to off")));
    }
}
