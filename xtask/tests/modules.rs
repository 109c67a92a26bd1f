//! "Modules never import each other" (GUIDE): in the three library crates,
//! no two modules of one parent each name something of the other, so each
//! folder reads as layers, the lower ones knowing nothing of the upper ones.
//!
//! Paths are read from the text: every `crate::` and `super::` path (use
//! trees included) is followed through the module files, and through a
//! parent's `pub use child::Item` to the child that defines the item. A
//! module naming its own parent or child is not counted (a folder's
//! `mod.rs` declares its children, which use what it shares), nor are
//! `#[cfg(test)]` items: a test may render a whole page to check one part.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod sources;

use sources::{CRATES, rs_files};

/// A module, as the segments of its path below the crate root.
type Module = Vec<String>;

/// The file of `module` under `src`, if it is one.
fn module_file(src: &Path, module: &[String]) -> Option<PathBuf> {
    if module.is_empty() {
        return Some(src.join("lib.rs"));
    }
    let base = src.join(module.join("/"));
    [base.with_extension("rs"), base.join("mod.rs")].into_iter().find(|p| p.is_file())
}

/// The module a file under `src` is.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut module: Module = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
        module.pop();
    }
    module
}

/// The paths of a use tree or path expression after its `crate::` or
/// `super::`: `a::{b, c::d}` gives `[a, b]` and `[a, c, d]`.
fn tree(s: &str, prefix: Module, out: &mut Vec<Module>) {
    let s = s.trim_start();
    if let Some(group) = s.strip_prefix('{') {
        let (mut depth, mut start) = (0, 0);
        for (k, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth > 0 => depth -= 1,
                ',' | '}' if depth == 0 => {
                    tree(&group[start..k], prefix.clone(), out);
                    if c == '}' {
                        return;
                    }
                    start = k + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    let ident = &s[..end];
    let mut prefix = prefix;
    if !ident.is_empty() && ident != "self" {
        prefix.push(ident.to_string());
    }
    match s[end..].strip_prefix("::") {
        Some(rest) if !ident.is_empty() => tree(rest, prefix, out),
        _ => out.push(prefix),
    }
}

/// Every `crate::` / `super::` path of `text` (comments left out): how many
/// levels up it starts (`None`: at the crate root) and its segments.
fn paths(text: &str) -> Vec<(Option<usize>, Module)> {
    let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let mut out = Vec::new();
    for (i, _) in code.match_indices("::") {
        let before = &code[..i];
        let word_start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |k| k + 1);
        let word = &before[word_start..];
        // Only the first segment of a path: not preceded by another `::`.
        if before[..word_start].ends_with("::") {
            continue;
        }
        let mut rest = &code[i + 2..];
        let up = match word {
            "crate" => None,
            "super" => {
                let mut n = 1;
                while let Some(r) = rest.strip_prefix("super::") {
                    n += 1;
                    rest = r;
                }
                Some(n)
            }
            _ => continue,
        };
        let mut found = Vec::new();
        tree(rest, Vec::new(), &mut found);
        out.extend(found.into_iter().map(|p| (up, p)));
    }
    out
}

/// `text` without its `#[cfg(test)]` items.
fn without_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[cfg(test)]" {
            out.push(lines[i]);
            i += 1;
            continue;
        }
        let indent = &lines[i][..lines[i].len() - lines[i].trim_start().len()];
        let Some(open) = (i + 1..lines.len()).find(|&j| lines[j].trim_end().ends_with(['{', ';'])) else { break };
        i = if lines[open].trim_end().ends_with(';') {
            open + 1
        } else {
            (open + 1..lines.len())
                .find(|&k| lines[k].trim_end() == format!("{indent}}}"))
                .map_or(lines.len(), |k| k + 1)
        };
    }
    out.join("\n")
}

/// The items `module` re-exports from its children (`pub use child::Item`): item to child.
fn reexports(src: &Path, module: &[String]) -> BTreeMap<String, String> {
    let text = module_file(src, module).map(|f| std::fs::read_to_string(f).unwrap()).unwrap_or_default();
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("pub") else { continue };
        let rest = if rest.starts_with('(') { rest.split_once(')').map_or("", |(_, r)| r) } else { rest };
        let Some(used) = rest.trim_start().strip_prefix("use ") else { continue };
        let mut found = Vec::new();
        tree(used.strip_prefix("self::").unwrap_or(used), Vec::new(), &mut found);
        for path in found.into_iter().filter(|p| p.len() > 1 && p[0] != "crate" && p[0] != "super") {
            out.insert(path.last().unwrap().clone(), path[0].clone());
        }
    }
    out
}

/// The module a path from `start` names: as far as its segments are
/// modules, then one step through a re-export.
fn resolve(src: &Path, start: Module, segments: &[String]) -> Module {
    let mut module = start;
    for s in segments {
        let child = [module.clone(), vec![s.clone()]].concat();
        if module_file(src, &child).is_some() {
            module = child;
            continue;
        }
        if let Some(defined_in) = reexports(src, &module).get(s) {
            let child = [module.clone(), vec![defined_in.clone()]].concat();
            if module_file(src, &child).is_some() {
                module = child;
            }
        }
        break;
    }
    module
}

/// Pairs of sibling modules of `src` that import each other, with a file of each side.
fn cycles(src: &Path) -> Vec<String> {
    // (from, to) sibling modules -> a file of `from` that names `to`.
    let mut edges: BTreeMap<(Module, Module), String> = BTreeMap::new();
    for file in rs_files(src) {
        let me = module_of(src, &file);
        let text = without_tests(&std::fs::read_to_string(&file).unwrap());
        for (up, segments) in paths(&text) {
            let start = match up {
                None => Vec::new(),
                Some(n) => me[..me.len().saturating_sub(n)].to_vec(),
            };
            let to = resolve(src, start, &segments);
            let shared = me.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if shared == me.len() || shared == to.len() {
                continue; // the same module, a parent or a child
            }
            let shown = file.strip_prefix(src.parent().unwrap().parent().unwrap()).unwrap().display().to_string();
            edges.entry((me[..=shared].to_vec(), to[..=shared].to_vec())).or_insert(shown);
        }
    }
    let mut out = BTreeSet::new();
    for ((a, b), file) in &edges {
        if let Some(back) = edges.get(&(b.clone(), a.clone()))
            && a < b
        {
            out.insert(format!("`{}` and `{}` import each other ({file}, {back})", a.join("::"), b.join("::")));
        }
    }
    out.into_iter().collect()
}

#[test]
fn no_two_modules_import_each_other() {
    let root = xtask::workspace_root();
    let found: Vec<String> = CRATES.iter().flat_map(|k| cycles(&root.join(k).join("src"))).collect();
    assert!(
        found.is_empty(),
        "modules that import each other (move what both need to a third module, or to the lower one):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_reads_use_trees_paths_and_skips_tests() {
    let text = "use super::{a::B, c, d::{e, f::G}};\nuse crate::h;\nlet x = crate::i::j(); // crate::k\nsuper::super::l::m();\n\
                #[cfg(test)]\nmod tests {\n    use crate::n;\n}\n";
    let got = paths(&without_tests(text));
    let v = |s: &str| s.split('/').map(str::to_string).collect::<Module>();
    assert_eq!(
        got,
        vec![
            (Some(1), v("a/B")),
            (Some(1), v("c")),
            (Some(1), v("d/e")),
            (Some(1), v("d/f/G")),
            (None, v("h")),
            (None, v("i/j")),
            (Some(2), v("l/m")),
        ]
    );
}
