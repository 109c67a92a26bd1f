//! ARCHITECTURE.md names every file of the three library crates' `src/`,
//! or its folder: a file added without a line there fails this test, so the
//! map a newcomer starts from stays whole.
//!
//! A name is a path in backticks, from `src/` (`delivery/queue.rs`) or from
//! the workspace (`telemetry-core/src/delivery/queue.rs`); a folder is named
//! with its slash (`metrics/`). A file is covered when its path is named, or
//! one of its folders and its file name are (`render/` (`markdown.rs`, ...));
//! a folder, when it, a folder it is in, or one of its files is named.

use std::collections::BTreeSet;
use std::path::Path;

mod sources;

use sources::CRATES;

/// Every path in backticks in `doc`, relative to a crate's `src/` (the
/// crate prefix dropped): several in one span (`` `a.rs`, `b.rs` ``) count.
fn named(doc: &str) -> BTreeSet<String> {
    // Fenced blocks left out: their ``` would pair the wrong backticks.
    let mut fenced = false;
    let text: Vec<&str> = doc
        .lines()
        .filter(|l| {
            fenced ^= l.trim_start().starts_with("```");
            !fenced && !l.trim_start().starts_with("```")
        })
        .collect();
    let mut out = BTreeSet::new();
    for span in text.join("\n").split('`').skip(1).step_by(2) {
        for token in span.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')') {
            let token = CRATES.iter().find_map(|k| token.strip_prefix(&format!("{k}/src/"))).unwrap_or(token);
            if !token.is_empty() {
                out.insert(token.to_string());
            }
        }
    }
    out
}

/// Each file and folder under `src`, relative to it, folders ending in `/`.
fn entries(src: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut children: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    children.sort();
    for path in children {
        let rel = path.strip_prefix(src).unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            out.push(format!("{rel}/"));
            entries(src, &path, out);
        } else {
            out.push(rel);
        }
    }
}

/// The entries of `all` that `names` does not cover.
fn unnamed(all: &[String], names: &BTreeSet<String>) -> Vec<String> {
    all.iter()
        .filter(|entry| {
            let folders = entry.trim_end_matches('/').match_indices('/').map(|(i, _)| &entry[..=i]);
            let own = names.contains(*entry);
            let in_named_folder = folders.into_iter().any(|f| names.contains(f));
            let covered = if let Some(folder) = entry.strip_suffix('/') {
                // A folder: one of its files named, or a folder it is in.
                in_named_folder || names.iter().any(|n| n.starts_with(&format!("{folder}/")))
            } else {
                // A file in a named folder: its name given too, as in `render/` (`markdown.rs`, ...).
                in_named_folder && names.contains(entry.rsplit('/').next().unwrap_or(entry))
            };
            !(own || covered)
        })
        .cloned()
        .collect()
}

#[test]
fn architecture_names_every_source_file_or_its_folder() {
    let root = xtask::workspace_root();
    let names = named(&std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap());
    let mut missing = Vec::new();
    for krate in CRATES {
        let src = root.join(krate).join("src");
        let mut all = Vec::new();
        entries(&src, &src, &mut all);
        missing.extend(unnamed(&all, &names).into_iter().map(|e| format!("{krate}/src/{e}")));
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name these (add each, or its folder, where its concern is described):\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_file_is_covered_by_its_path_or_a_folder_and_a_folder_by_a_file() {
    let names = named("see `telemetry-core/src/a/b.rs` and `c/` (`z.rs`), (`d.rs`, `e/f/`)\n```\n`g.rs`\n```\n");
    assert_eq!(names, ["a/b.rs", "c/", "d.rs", "e/f/", "z.rs"].map(String::from).into());
    let all = ["a/", "a/b.rs", "a/x.rs", "c/", "c/w.rs", "c/y/", "c/y/z.rs", "d.rs", "g.rs", "h/", "h/i.rs"]
        .map(String::from);
    assert_eq!(unnamed(&all, &names), ["a/x.rs", "c/w.rs", "g.rs", "h/", "h/i.rs"]);
}
