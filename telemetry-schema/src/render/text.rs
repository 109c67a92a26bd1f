//! Markdown building blocks of the "what we collect" page: lines, prose
//! folded to one line, schema text escaped so that it stays text, code
//! spans, and table cells. Kept apart from the sections so that every
//! section file writes Markdown the same way.
//!
//! The page is a promise, so what a schema says is shown as it was written,
//! never read as markup: a description cannot open an HTML element or a
//! comment, start a heading or a list, link somewhere or break out of a
//! table cell or a code span.

/// Appends `text` as one line.
pub(super) fn line(w: &mut String, text: impl AsRef<str>) {
    w.push_str(text.as_ref());
    w.push('\n');
}

/// `term` with its first letter upper-cased, to start a sentence
/// (`analytics` -> `Analytics`). A term is lowercase ASCII (`app.term`).
pub(super) fn capitalized(term: &str) -> String {
    let mut chars = term.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Folds whitespace (YAML block scalars) to single spaces.
pub(super) fn prose(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Schema text as Markdown that reads as the same text: folded to one
/// line, HTML's `<`, `>`, `&` as entities, Markdown's punctuation escaped
/// with `\`, and what would start a block at the start of a line (`#`,
/// `-`, `+`, `=`, `1.`) escaped too.
pub(super) fn text(raw: &str) -> String {
    let folded = prose(raw);
    let chars: Vec<char> = folded.chars().collect();
    let word = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_alphanumeric());
    // `1. ` or `1) ` at the start would open an ordered list.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut out = String::with_capacity(folded.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Inside a word `_` cannot emphasize; elsewhere it could.
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            '#' | '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if i == digits && digits > 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `raw` as one code span, whatever it holds: fenced with more backticks
/// than any run inside it, and padded when it starts or ends with one.
pub(super) fn code(raw: &str) -> String {
    let folded = prose(raw);
    let longest = folded.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if folded.starts_with('`') || folded.ends_with('`') {
        format!("{fence} {folded} {fence}")
    } else {
        format!("{fence}{folded}{fence}")
    }
}

/// Text safe inside a table cell: one line, every `|` not already escaped
/// escaped (also inside code spans, where GFM tables read `\|` as `|`).
fn cell(raw: &str) -> String {
    let folded = prose(raw);
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '|' => out.push_str("\\|"),
            _ => out.push(c),
        }
    }
    out
}

/// One table row, each cell made safe with [`cell`].
pub(super) fn cell_row(cells: &[&str]) -> String {
    let mut s = String::from("|");
    for c in cells {
        s.push(' ');
        s.push_str(&cell(c));
        s.push_str(" |");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{cell_row, code, text};

    #[test]
    fn schema_text_stays_text() {
        assert_eq!(text("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(text("a <!-- b"), "a &lt;!-- b");
        assert_eq!(text("--> c"), "\\--&gt; c");
        assert_eq!(text("## Heading"), "\\## Heading");
        assert_eq!(text("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
        assert_eq!(text("![i](https://e.org/i.png)"), "!\\[i\\](https://e.org/i.png)");
        assert_eq!(text("`code` & *bold* ~~gone~~ | cell"), "\\`code\\` &amp; \\*bold\\* \\~\\~gone\\~\\~ \\| cell");
        assert_eq!(text("1. first"), "1\\. first");
        assert_eq!(text("- item\n  on two lines"), "\\- item on two lines");
        assert_eq!(text("snake_case and _emphasis_"), "snake_case and \\_emphasis\\_");
        assert_eq!(text("C:\\path"), "C:\\\\path");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("run.a"), "`run.a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn escaped_pipes_are_not_escaped_twice() {
        assert_eq!(cell_row(&[&text("a | b"), "`x|y`"]), "| a \\| b | `x\\|y` |");
    }
}
