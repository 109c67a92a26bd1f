//! The one module that touches a YAML parser: text in, a tree of located
//! nodes out. Swapping parsers means rewriting this file only.
//!
//! The tree is deliberately small: schema files need mappings, sequences
//! and scalars. Anchors and aliases are refused (a schema has no use for
//! them, and refusing them rules out "billion laughs" expansion), so are
//! tags (they were silently ignored, so `!!str 1` read as the number 1), nesting
//! is bounded, and duplicate keys are errors rather than silent overwrites.

use crate::error::{Diags, Loc};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

/// Deeper than any real schema; bounds recursion on hostile input.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub loc: Loc,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    /// `plain` is false for quoted and block scalars, which are always strings.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub text: String,
    pub loc: Loc,
}

fn loc(span: &Span) -> Loc {
    Loc::new(
        u32::try_from(span.start.line()).unwrap_or(u32::MAX),
        u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX),
    )
}

/// Parses one YAML document. Syntax errors stop parsing (the parser cannot
/// resynchronise); structural problems are collected and parsing goes on.
pub(crate) fn parse(text: &str, diags: &mut Diags) -> Option<Node> {
    let mut p = Reader { events: Parser::new_from_str(text), diags, failed: false, end: end_of(text) };
    let root = p.document();
    if p.failed { None } else { root }
}

/// The position just past the last character, counting lines as YAML does
/// (`\r\n`, `\r` and `\n` each end one).
pub(crate) fn end_of(text: &str) -> Loc {
    let (mut line, mut col) = (1u32, 1u32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => (line, col) = (line.saturating_add(1), 1),
            _ => col = col.saturating_add(1),
        }
    }
    Loc::new(line, col)
}

struct Reader<'a, 'd> {
    events: Parser<'a, saphyr_parser::StrInput<'a>>,
    diags: &'d mut Diags,
    failed: bool,
    end: Loc,
}

impl<'a> Reader<'a, '_> {
    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        if self.failed {
            return None;
        }
        match self.events.next() {
            Some(Ok(ev)) => Some(ev),
            Some(Err(e)) => {
                let m = e.marker();
                // At the end of a file without a final newline, saphyr
                // reports the line after the last one; point at the end.
                let at = Loc::new(
                    u32::try_from(m.line()).unwrap_or(u32::MAX),
                    u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
                )
                .min(self.end);
                if e.info() == "recursion limit exceeded" {
                    // saphyr's own bound, met while it scans ahead of our
                    // depth check on very deep flow collections.
                    self.diags.error(
                        at,
                        "the YAML is nested too deeply",
                        "a schema never needs this depth; flatten the structure",
                    );
                } else {
                    self.diags.error(
                        at,
                        format!("YAML syntax error: {}", e.info()),
                        "fix the YAML syntax here (indent with spaces, not tabs; quote values that contain `: ` or start with a special character)",
                    );
                }
                self.failed = true;
                None
            }
            None => None,
        }
    }

    fn document(&mut self) -> Option<Node> {
        let mut root = None;
        let mut docs = 0;
        while let Some((ev, span)) = self.next() {
            match ev {
                Event::DocumentStart(_) => {
                    docs += 1;
                    if docs > 1 {
                        self.diags.error(
                            loc(&span),
                            "a schema file holds one YAML document, this is a second one",
                            "remove the `---` separator, or move the second document to its own file",
                        );
                        return None;
                    }
                }
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => break,
                other => root = self.node(other, span, 0),
            }
        }
        root
    }

    fn anchor_error(&mut self, span: &Span) {
        self.diags.error(
            loc(span),
            "YAML anchors and aliases (`&name`, `*name`) are not supported in schema files",
            "write the value out in full; each field should be readable where it stands",
        );
    }

    fn tag_error(&mut self, span: &Span) {
        self.diags.error(
            loc(span),
            "YAML tags (`!!str`, `!name`) are not supported in schema files",
            "remove the tag; quote a value to make it a string",
        );
    }

    fn node(&mut self, ev: Event<'a>, span: Span, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            self.diags.error(
                loc(&span),
                format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
                "a schema never needs this depth; flatten the structure",
            );
            self.failed = true;
            return None;
        }
        let at = loc(&span);
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 {
                    self.anchor_error(&span);
                }
                if tag.is_some() {
                    self.tag_error(&span);
                }
                Some(Node {
                    loc: at,
                    kind: NodeKind::Scalar { text: text.into_owned(), plain: style == ScalarStyle::Plain },
                })
            }
            Event::Alias(_) => {
                self.anchor_error(&span);
                None
            }
            Event::SequenceStart(anchor, tag) => {
                if anchor != 0 {
                    self.anchor_error(&span);
                }
                if tag.is_some() {
                    self.tag_error(&span);
                }
                let mut items = Vec::new();
                loop {
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    if let Some(n) = self.node(ev, span, depth + 1) {
                        items.push(n);
                    }
                }
                Some(Node { loc: at, kind: NodeKind::Seq(items) })
            }
            Event::MappingStart(anchor, tag) => {
                if anchor != 0 {
                    self.anchor_error(&span);
                }
                if tag.is_some() {
                    self.tag_error(&span);
                }
                self.mapping(at, depth)
            }
            Event::SequenceEnd
            | Event::MappingEnd
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => None,
        }
    }

    /// The entries of a mapping whose start was read at `at`, through its end;
    /// keys that are not names and repeated keys are reported and left out.
    fn mapping(&mut self, at: Loc, depth: usize) -> Option<Node> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        // Key text -> line of its first definition. A map, not a scan of
        // `entries`: a hostile file with 100k keys must stay linear.
        let mut seen: HashMap<String, u32> = HashMap::new();
        loop {
            let (ev, kspan) = self.next()?;
            if matches!(ev, Event::MappingEnd) {
                break;
            }
            let key_node = self.node(ev, kspan, depth + 1);
            let (vev, vspan) = self.next()?;
            let value = self.node(vev, vspan, depth + 1);
            let Some(key_node) = key_node else { continue };
            let key = match key_node.kind {
                NodeKind::Scalar { text, .. } => Key { text, loc: key_node.loc },
                _ => {
                    self.diags.error(
                        key_node.loc,
                        "mapping keys must be plain names",
                        "use a name such as `description:` as the key",
                    );
                    continue;
                }
            };
            if let Some(first_line) = seen.get(&key.text) {
                self.diags.error(
                    key.loc,
                    format!("duplicate key `{}` (first defined at line {first_line})", key.text),
                    "each name may appear once in a mapping; remove or rename one of them",
                );
                continue;
            }
            if let Some(value) = value {
                seen.insert(key.text.clone(), key.loc.line);
                entries.push((key, value));
            }
        }
        Some(Node { loc: at, kind: NodeKind::Map(entries) })
    }
}

impl Node {
    /// The scalar text, if this is a scalar.
    pub(crate) fn scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A YAML null: `~`, `null` or nothing.
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub(crate) fn as_i128(&self) -> Option<i128> {
        match &self.kind {
            NodeKind::Scalar { text, plain: true } => text.replace('_', "").parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            NodeKind::Scalar { text, plain: true } => text.parse().ok(),
            _ => None,
        }
    }

    /// What kind of YAML value this is, for error messages.
    pub(crate) fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { .. } if self.is_null() => "nothing (null)",
            NodeKind::Scalar { .. } => "a scalar",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}
