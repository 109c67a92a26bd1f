//! Located diagnostics: every schema problem names its file, line and column,
//! says what is wrong and how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a schema file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
}

impl Loc {
    /// A location from 1-based line and column.
    pub const fn new(line: u32, col: u32) -> Self {
        Loc { line, col }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Whether a diagnostic stops the schema from loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    /// The schema does not load.
    #[default]
    Error,
    /// The schema loads; the author should still look (`Schema::warnings`).
    Warning,
}

/// One problem found in a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The schema file, as given to the loader.
    pub file: PathBuf,
    /// Where in the file; `None` when the file as a whole is at fault (missing, unreadable).
    pub loc: Option<Loc>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// `file:line:col` (or just `file` when the whole file is at fault).
    pub fn location(&self) -> String {
        match self.loc {
            Some(loc) => format!("{}:{}", self.file.display(), loc),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {level}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in one schema file, in file order.
///
/// ```
/// let err = telemetry_schema::load_str("version: 2\n", "demo.yaml").unwrap_err();
/// // All three problems are reported, sorted by position.
/// assert_eq!(err.diagnostics().len(), 3);
/// assert_eq!(
///     err.diagnostics()[2].to_string(),
///     "demo.yaml:1:10: error: unsupported schema version `2`\n  help: this toolkit reads `version: 1`"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    diagnostics: Vec<Diagnostic>,
}

impl SchemaError {
    pub(crate) fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        debug_assert!(!diagnostics.is_empty());
        diagnostics.sort_by_key(|d| d.loc);
        diagnostics.dedup();
        SchemaError { diagnostics }
    }

    /// A single problem with the file as a whole.
    pub(crate) fn whole_file(file: &Path, message: String, help: Option<String>) -> Self {
        SchemaError::new(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            loc: None,
            message,
            help,
        }])
    }

    /// The problems, sorted by position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaError {}

/// Collects diagnostics for one file, like serde_derive's `Ctxt`: checks keep
/// going after a problem so the user sees all of them at once.
pub(crate) struct Diags {
    file: PathBuf,
    list: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Diags {
    pub(crate) fn new(file: &Path) -> Self {
        Diags { file: file.to_path_buf(), list: Vec::new(), warnings: Vec::new() }
    }

    pub(crate) fn error(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        let d = self.located(Severity::Error, loc, message.into(), help.into());
        self.list.push(d);
    }

    pub(crate) fn warn(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        let d = self.located(Severity::Warning, loc, message.into(), help.into());
        self.warnings.push(d);
    }

    /// The warnings so far, in file order.
    pub(crate) fn take_warnings(&mut self) -> Vec<Diagnostic> {
        let mut w = std::mem::take(&mut self.warnings);
        w.sort_by_key(|d| d.loc);
        w
    }

    fn located(&self, severity: Severity, loc: Loc, message: String, help: String) -> Diagnostic {
        let help = visible(help);
        Diagnostic {
            severity,
            file: self.file.clone(),
            loc: Some(loc),
            message: visible(message),
            help: (!help.is_empty()).then_some(help),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T, SchemaError> {
        if self.list.is_empty() { Ok(value) } else { Err(SchemaError::new(self.list)) }
    }

    pub(crate) fn into_error(self) -> SchemaError {
        SchemaError::new(self.list)
    }
}

/// Messages quote names from the file. Control characters (a terminal
/// escape sequence in a key would rewrite the user's screen) and invisible
/// or direction-changing characters (a name that looks valid but is not) are
/// shown as `\u{..}` escapes.
fn visible(s: String) -> String {
    if !s.chars().any(hidden) {
        return s;
    }
    s.chars().map(|c| if hidden(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// A control character, or one that is invisible or changes the direction
/// of the text around it.
pub(crate) fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// The closest candidate to a misspelt word, if one is close enough to be a
/// plausible typo.
///
/// ```
/// assert_eq!(telemetry_schema::did_you_mean("hashd", ["allowed", "hashed", "forbidden"]), Some("hashed"));
/// assert_eq!(telemetry_schema::did_you_mean("zzz", ["allowed", "hashed"]), None);
/// ```
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `help:` text for an unknown word: a suggestion when one is close, else the list of valid words.
pub(crate) fn unknown_help(word: &str, valid: &[&str]) -> String {
    match did_you_mean(word, valid.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("expected one of: {}", valid.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")),
    }
}
