//! Property tests of the loader on hostile input: random bytes, random
//! YAML-ish documents built from schema-like keys, and mutations of
//! `schemas/example-cli.yaml`. The loader must never panic; every error it
//! reports has a non-empty message (and help, when present), a location
//! inside the file (or none, for whole-file errors), and comes sorted.

use proptest::prelude::*;
use telemetry_schema::{MAX_SCHEMA_BYTES, load_bytes};

const EXAMPLE: &str = include_str!("../../schemas/example-cli.yaml");

/// Loads `bytes` (a panic fails the property) and checks the shape of any error.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Err(err) = load_bytes(bytes, "p.yaml") else { return Ok(()) };
    let rendered = err.to_string();
    prop_assert!(rendered.starts_with("p.yaml"), "{rendered}");
    let diags = err.diagnostics();
    prop_assert!(!diags.is_empty());
    let text = String::from_utf8_lossy(bytes);
    // Lines as YAML counts them: `\r\n`, `\r` and `\n` each end one.
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = normalized.split('\n').collect();
    for d in diags {
        prop_assert!(!d.message.trim().is_empty(), "empty message in {rendered}");
        prop_assert!(!d.message.contains('\n'), "multi-line message: {:?}", d.message);
        if let Some(help) = &d.help {
            prop_assert!(!help.trim().is_empty(), "empty help in {rendered}");
        }
        match d.loc {
            // Only the size limit (and unreadable files) name no position.
            None => prop_assert!(bytes.len() > MAX_SCHEMA_BYTES, "no location: {d}"),
            Some(loc) => {
                prop_assert!(
                    loc.line >= 1 && loc.line as usize <= lines.len(),
                    "line out of range ({} lines): {d}",
                    lines.len()
                );
                let line_chars = lines[loc.line as usize - 1].chars().count();
                prop_assert!(
                    loc.col >= 1 && loc.col as usize <= line_chars + 1,
                    "column out of range ({line_chars} chars): {d}"
                );
            }
        }
    }
    prop_assert!(diags.windows(2).all(|w| w[0].loc <= w[1].loc), "not sorted: {rendered}");
    Ok(())
}

/// A YAML-ish tree; rendered in block or flow style.
#[derive(Debug, Clone)]
enum Y {
    Scalar(String),
    List(Vec<Y>, bool),
    Map(Vec<(String, Y)>, bool),
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "version", "app", "name", "title", "description", "docs_url", "privacy_url", "consent", "default",
            "do_not_track", "env", "disables_when", "equals", "action", "context", "fields", "events",
            "never_collected", "what", "reason", "collect", "type", "values", "items", "max_length", "example",
            "required", "reviewed", "when", "user_email", "api_key", "CommandRun", "e",
        ])
        .prop_map(String::from),
        1 => "[a-z_]{1,6}",
        1 => prop::sample::select(vec!["\"quoted key\"", "é", "1", "? x", "- x", "&a k", "*a", "'k'", "\"\""]).prop_map(String::from),
    ]
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "1", "2", "0", "-1", "1.0", "true", "false", "yes", "~", "null", "", "allowed", "hashed", "forbidden",
            "string", "enum", "object", "list", "bool", "u8", "u64", "i32", "f64", "truthy", "falsy", "set",
            "log_only", "enabled", "disabled", "demo", "https://example.org", "EXAMPLE_OFF", "x", "A sentence.",
            "[a, b]", "{ a: b }", "\"quoted\"", "'single'", "\"unterminated", "a: b", "# comment", "&anchor x",
            "*alias", "!!str 1", "!tag x", "|", ">-", "99999999999999999999999", "é", "名前", "\u{200b}", "---",
            "...", "%YAML 1.2", "@", "`", "\\t",
        ])
        .prop_map(String::from),
        1 => "[ -~]{0,12}",
    ]
}

fn tree() -> impl Strategy<Value = Y> {
    scalar().prop_map(Y::Scalar).prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..5), any::<bool>()).prop_map(|(v, f)| Y::List(v, f)),
            (prop::collection::vec((key(), inner), 0..6), any::<bool>()).prop_map(|(v, f)| Y::Map(v, f)),
        ]
    })
}

fn flow(y: &Y) -> String {
    match y {
        Y::Scalar(s) => s.clone(),
        Y::List(items, _) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Y::Map(entries, _) => {
            format!("{{ {} }}", entries.iter().map(|(k, v)| format!("{k}: {}", flow(v))).collect::<Vec<_>>().join(", "))
        }
    }
}

fn block(y: &Y, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match y {
        Y::Map(entries, false) if !entries.is_empty() => {
            for (k, v) in entries {
                match v {
                    Y::Map(e, false) if !e.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        block(v, indent + 2, out);
                    }
                    Y::List(e, false) if !e.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        block(v, indent + 2, out);
                    }
                    _ => out.push_str(&format!("{pad}{k}: {}\n", flow(v))),
                }
            }
        }
        Y::List(items, false) if !items.is_empty() => {
            for v in items {
                match v {
                    Y::Map(_, false) | Y::List(_, false) => {
                        out.push_str(&format!("{pad}-\n"));
                        block(v, indent + 2, out);
                    }
                    _ => out.push_str(&format!("{pad}- {}\n", flow(v))),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", flow(other))),
    }
}

/// One edit to a text: positions and lengths are reduced modulo the text's size.
#[derive(Debug, Clone)]
enum Edit {
    DeleteChars(usize, usize),
    DuplicateChars(usize, usize),
    InsertChar(usize, char),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    IndentLine(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop::sample::select(vec![
        ' ', '\t', '\n', '\r', ':', '-', '#', '&', '*', '!', '[', ']', '{', '}', ',', '"', '\'', '|', '>', '?', '%',
        '@', '`', '\\', '\0', 'é', '\u{200b}', '\u{feff}', 'x', '1',
    ]);
    prop_oneof![
        (any::<usize>(), 1usize..8).prop_map(|(p, n)| Edit::DeleteChars(p, n)),
        (any::<usize>(), 1usize..40).prop_map(|(p, n)| Edit::DuplicateChars(p, n)),
        (any::<usize>(), interesting).prop_map(|(p, c)| Edit::InsertChar(p, c)),
        any::<usize>().prop_map(Edit::DeleteLine),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (any::<usize>(), 1usize..6).prop_map(|(l, n)| Edit::IndentLine(l, n)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    let at = |p: usize| if chars.is_empty() { 0 } else { p % (chars.len() + 1) };
    let line = |l: usize| l % lines.len();
    match *edit {
        Edit::DeleteChars(p, n) => {
            let p = at(p);
            let end = (p + n).min(chars.len());
            chars[..p].iter().chain(&chars[end..]).collect()
        }
        Edit::DuplicateChars(p, n) => {
            let p = at(p);
            let end = (p + n).min(chars.len());
            chars[..end].iter().chain(&chars[p..]).collect()
        }
        Edit::InsertChar(p, c) => {
            let p = at(p);
            chars[..p].iter().chain(std::iter::once(&c)).chain(&chars[p..]).collect()
        }
        Edit::DeleteLine(l) => {
            let l = line(l);
            lines.remove(l);
            lines.join("\n")
        }
        Edit::DuplicateLine(l) => {
            let l = line(l);
            lines.insert(l, lines[l].clone());
            lines.join("\n")
        }
        Edit::SwapLines(a, b) => {
            let (a, b) = (line(a), line(b));
            lines.swap(a, b);
            lines.join("\n")
        }
        Edit::IndentLine(l, n) => {
            let l = line(l);
            lines[l] = format!("{}{}", " ".repeat(n), lines[l]);
            lines.join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes)?;
    }

    #[test]
    fn random_printable_text_never_panics(text in "[ -~\n\t]{0,300}") {
        check(text.as_bytes())?;
    }

    #[test]
    fn random_yaml_documents_never_panic(root in prop::collection::vec((key(), tree()), 0..7), flow_root in any::<bool>()) {
        let doc = Y::Map(root, flow_root);
        let mut text = String::new();
        block(&doc, 0, &mut text);
        check(text.as_bytes())?;
    }

    #[test]
    fn mutated_example_schema_never_panics(edits in prop::collection::vec(edit(), 1..6)) {
        let mut text = EXAMPLE.to_string();
        for e in &edits {
            text = apply(&text, e);
        }
        check(text.as_bytes())?;
    }
}

/// The unmutated example loads, so the mutations start from a valid schema.
#[test]
fn example_schema_is_the_valid_starting_point() {
    load_bytes(EXAMPLE.as_bytes(), "example-cli.yaml").unwrap();
}
