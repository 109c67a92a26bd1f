//! The size limits of the three library crates (GUIDE: one concern per file,
//! a file past ~400 lines usually holds two; functions at most 80 lines):
//! every `.rs` file under their `src/` is at most 400 lines, and every
//! function, from its `fn` line to its closing brace, at most 80.
//! Functions are found on rustfmt's layout: the closing `}` alone on a line
//! at the indentation of the `fn`.

mod sources;

use sources::{CRATES, rs_files};

const MAX_FILE_LINES: usize = 400;
const MAX_FN_LINES: usize = 80;

/// The name of the function a line starts (`fn`, `pub fn`, `pub(crate) const fn`, ...).
fn fn_name(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    loop {
        match words.next()? {
            "fn" => return words.next()?.split(['<', '(']).next(),
            w if w.starts_with("pub") || ["const", "async", "unsafe", "extern"].contains(&w) => {}
            _ => return None,
        }
    }
}

/// Each function of `text` longer than the limit: (name, first line, length).
fn long_functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let indent = &line[..line.len() - line.trim_start().len()];
        // The signature ends at the first line ending in `{` (a body) or `;` (none).
        let Some(open) = (i..lines.len()).find(|&j| lines[j].trim_end().ends_with(['{', ';'])) else { continue };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = (open + 1..lines.len()).find(|&k| lines[k].trim_end() == format!("{indent}}}"));
        if let Some(close) = close
            && close - i + 1 > MAX_FN_LINES
        {
            out.push((name.to_string(), i + 1, close - i + 1));
        }
    }
    out
}

#[test]
fn library_files_and_functions_fit_the_limits() {
    let root = xtask::workspace_root();
    let mut too_long = Vec::new();
    for krate in CRATES {
        for path in rs_files(&root.join(krate).join("src")) {
            let text = std::fs::read_to_string(&path).unwrap();
            let shown = path.strip_prefix(&root).unwrap().display().to_string();
            let n = text.lines().count();
            if n > MAX_FILE_LINES {
                too_long.push(format!("{shown}: {n} lines (at most {MAX_FILE_LINES}: split it by concern)"));
            }
            for (name, at, len) in long_functions(&text) {
                too_long.push(format!(
                    "{shown}:{at}: fn {name} is {len} lines (at most {MAX_FN_LINES}: split it by concern)"
                ));
            }
        }
    }
    assert!(too_long.is_empty(), "over the size limits:\n{}", too_long.join("\n"));
}

#[test]
fn the_scan_finds_long_functions_and_only_them() {
    // A signature over several lines, then a body: 1 + 78 + 1 + 1 lines.
    let params = "    a: u8,\n".repeat(MAX_FN_LINES - 2);
    let text = format!("pub(crate) fn long<'a>(\n{params}) {{\n}}\nfn short() {{\n    y();\n}}\nfn decl();\n");
    assert_eq!(long_functions(&text), vec![("long".to_string(), 1, MAX_FN_LINES + 1)]);
    let body = "    x();\n".repeat(MAX_FN_LINES - 2);
    let fits = format!("fn fits() {{\n{body}}}\n");
    assert_eq!(long_functions(&fits), vec![]);
}
