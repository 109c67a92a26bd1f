//! Reading the shapes every section is made of: mappings with a known set of
//! keys, strings, booleans and keywords, each problem reported where it is.

use crate::error::{Diags, Loc, unknown_help};
use crate::yaml::{Key, Node, NodeKind};

/// A mapping whose keys have been checked against the known set.
pub(crate) struct Map<'n> {
    pub(crate) loc: Loc,
    pub(crate) entries: &'n [(Key, Node)],
}

impl<'n> Map<'n> {
    /// Checks `node` is a mapping and reports keys outside `known`.
    pub(crate) fn new(node: &'n Node, what: &str, known: &[&str], d: &mut Diags) -> Option<Self> {
        Map::governed(node, what, known, &[], d)
    }

    /// [`Map::new`] for a mapping that also accepts the governance keys
    /// `governed` (`owner`, `expires`, `data_review`, ...). Help texts list
    /// the keys that describe the thing; the governance keys are accepted and
    /// offered as did-you-mean suggestions, but not listed, so the list stays
    /// short for someone writing a first schema.
    pub(crate) fn governed(
        node: &'n Node,
        what: &str,
        known: &[&str],
        governed: &[&str],
        d: &mut Diags,
    ) -> Option<Self> {
        let NodeKind::Map(entries) = &node.kind else {
            d.error(
                node.loc,
                format!("{what} must be a mapping, found {}", node.describe()),
                format!("write it as `key: value` lines; expected keys: {}", known.join(", ")),
            );
            return None;
        };
        for (k, _) in entries {
            if !known.contains(&k.text.as_str()) && !governed.contains(&k.text.as_str()) {
                // `{ description: A, B. }` ends the value at the comma and reads ` B.` as a key.
                let help = if k.text.contains(' ') || k.text.ends_with('.') {
                    "this looks like the end of a value cut at a comma: inside `{ ... }` a `,` ends the value, so quote a value that contains one".to_string()
                } else {
                    let all = known.iter().chain(governed).copied();
                    match crate::error::did_you_mean(&k.text, all) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => unknown_help(&k.text, known),
                    }
                };
                d.error(k.loc, format!("unknown key `{}` in {what}", k.text), help);
            }
        }
        Some(Map { loc: node.loc, entries })
    }

    pub(crate) fn get(&self, key: &str) -> Option<(&'n Key, &'n Node)> {
        self.entries.iter().find(|(k, _)| k.text == key).map(|(k, v)| (k, v))
    }

    pub(crate) fn value(&self, key: &str) -> Option<&'n Node> {
        self.get(key).map(|(_, v)| v)
    }

    pub(crate) fn required(&self, key: &str, what: &str, example: &str, d: &mut Diags) -> Option<&'n Node> {
        let v = self.value(key);
        if v.is_none() {
            d.error(self.loc, format!("{what} is missing the required key `{key}`"), format!("add `{key}: {example}`"));
        }
        v
    }
}

pub(crate) fn string(node: &Node, what: &str, d: &mut Diags) -> Option<String> {
    match &node.kind {
        NodeKind::Scalar { text, .. } if !node.is_null() => Some(text.clone()),
        _ => {
            d.error(
                node.loc,
                format!("{what} must be a string, found {}", node.describe()),
                "write the text after the colon, quoted if it contains `: ` or `#`",
            );
            None
        }
    }
}

pub(crate) fn non_empty(node: &Node, what: &str, d: &mut Diags) -> Option<String> {
    let s = string(node, what, d)?;
    if s.trim().is_empty() {
        d.error(node.loc, format!("{what} is empty"), "say it in a sentence: it is published on the generated page");
        return None;
    }
    Some(s)
}

pub(crate) fn boolean(node: &Node, what: &str, d: &mut Diags) -> Option<bool> {
    let b = node.as_bool();
    if b.is_none() {
        d.error(node.loc, format!("{what} must be `true` or `false`"), "write `true` or `false`, unquoted");
    }
    b
}

pub(crate) fn keyword<T: Copy>(node: &Node, what: &str, choices: &[(&str, T)], d: &mut Diags) -> Option<T> {
    let text = string(node, what, d)?;
    if let Some((_, v)) = choices.iter().find(|(k, _)| *k == text) {
        return Some(*v);
    }
    let names: Vec<&str> = choices.iter().map(|(k, _)| *k).collect();
    d.error(node.loc, format!("unknown {what} `{text}`"), unknown_help(&text, &names));
    None
}
