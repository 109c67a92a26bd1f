//! Markdown building blocks of the "what we collect" page: lines, prose
//! folded to one line, and table cells. Kept apart from the sections so that
//! every section file writes Markdown the same way.

/// Appends `text` as one line.
pub(super) fn line(w: &mut String, text: impl AsRef<str>) {
    w.push_str(text.as_ref());
    w.push('\n');
}

/// Folds whitespace (YAML block scalars) to single spaces.
pub(super) fn prose(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text safe inside a table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    prose(text).replace('|', "\\|")
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
