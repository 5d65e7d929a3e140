//! Content problems as data: every stage pushes [`Diagnostic`]s into a
//! [`Diagnostics`] list instead of stopping at the first bad file, and the
//! command line prints them all as `path:line:column: severity: message`
//! followed by a hint.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a content file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}: {}",
            self.path.display().to_string().replace('\\', "/"),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Maps byte offsets of a text to 1-based line and column (in characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: std::borrow::Cow<'a, [usize]>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            starts: line_starts(text).into(),
        }
    }

    /// An index over `text` from its [`line_starts`], made before.
    pub fn with_starts(text: &'a str, starts: &'a [usize]) -> Self {
        LineIndex {
            text,
            starts: starts.into(),
        }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        (line + 1, column)
    }
}

/// The byte offset where each line of `text` starts.
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

/// Everything found so far, in the order found; sorted for printing.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub fn error(&mut self, at: &Location, message: impl Into<String>, hint: Option<String>) {
        self.add(Severity::Error, at, message, hint);
    }

    pub fn warning(&mut self, at: &Location, message: impl Into<String>, hint: Option<String>) {
        self.add(Severity::Warning, at, message, hint);
    }

    fn add(
        &mut self,
        severity: Severity,
        at: &Location,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.list.push(Diagnostic {
            path: at.path.clone(),
            line: at.line,
            column: at.column,
            severity,
            message: message.into(),
            hint,
        });
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// The number of errors found so far in the file `path`.
    pub fn errors_in(&self, path: &Path) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Error && d.path == path)
            .count()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.list.iter().filter(|d| d.severity == severity).count()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// Sorted by file and position, errors and warnings together.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.list.iter().collect();
        v.sort();
        v.dedup();
        v
    }
}

/// A place in a content file, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn file(path: &Path) -> Self {
        Location {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
        }
    }
}

/// "did you mean …?" for a mistyped name: the closest candidate, if close.
pub fn did_you_mean<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let typed_chars = typed.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(typed, c), c))
        .filter(|(d, c)| {
            let len = typed_chars.max(c.chars().count());
            // Close, and sharing at least one character: any one character
            // is one edit from any other (〇 is as far from × as from ○).
            *d > 0 && *d < len && *d * 3 <= len.max(2) + 1
                || (c.contains(typed) && !typed.is_empty())
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// A text cut to `max` characters with `…`, for quoting what staff typed in
/// a message without printing a whole pasted file.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let idx = LineIndex::new("ab\n日本語x\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(3 + 9), (2, 4));
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("実施", ["実施中", "完了"]), Some("実施中"));
        assert_eq!(did_you_mean("titel", ["title", "code"]), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", ["title", "code"]), None);
        // One character is not close to another one.
        assert_eq!(did_you_mean("〇", ["×", "○", "◎"]), None);
        assert_eq!(did_you_mean("完", ["完了", "×"]), Some("完了"));
    }
}
