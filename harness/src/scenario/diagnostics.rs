//! Scenario errors: `ScenarioError` (by operation) and `Diagnostic` (one problem at a
//! file:line:column and key path), plus turning toml/serde errors into diagnostics.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Why a scenario file (or folder of them) could not be turned into a `Scenario`.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file or folder could not be read (or listed).
    #[error("cannot read {}", path.display())]
    Read {
        /// The file or folder that could not be read.
        path: PathBuf,
        #[source]
        /// The I/O error reading it.
        io: io::Error,
    },
    /// The file was read but is not a valid scenario; every problem found is listed.
    #[error("{}", render(diagnostics))]
    Invalid {
        /// Every problem found, in file order.
        diagnostics: Vec<Diagnostic>,
    },
    /// A folder was given where one scenario file was expected.
    #[error("{} is a folder, not a scenario file", path.display())]
    NotAFile {
        /// The folder given.
        path: PathBuf,
    },
    /// A folder was given that holds no scenario files.
    #[error("{}: no scenario files (*.toml) found", path.display())]
    Empty {
        /// The folder given.
        path: PathBuf,
    },
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    lines.join("\n")
}

/// One problem in a scenario file. `line` and `column` are 1-based (column counts characters);
/// `key` is the dotted key path (`rollback.trigger.need`, `smoke[1].path`), empty for syntax
/// errors other than a duplicate key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The scenario file the problem is in.
    pub file: PathBuf,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Dotted key path such as `rollback.trigger.need`; empty for syntax errors (but for a
    /// duplicate key).
    pub key: String,
    /// What is wrong, written for the scenario's author.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file.display(), self.line, self.column)?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// A scenario file's text, for turning byte spans into line:column.
pub(crate) struct Source<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl Source<'_> {
    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    pub fn diagnostic(&self, span: Range<usize>, key: &str, message: String) -> Diagnostic {
        let (line, column) = self.position(span.start);
        Diagnostic {
            file: self.file.to_path_buf(),
            line,
            column,
            key: key.to_string(),
            message,
        }
    }

    /// A toml error, with the key path serde_path_to_error tracked (None for syntax errors).
    pub fn toml_diagnostic(
        &self,
        err: &toml::de::Error,
        path: Option<&serde_path_to_error::Path>,
    ) -> Diagnostic {
        let mut key = path.map(|p| spell(&segments(p))).unwrap_or_default();
        let message = match err.message().strip_prefix("missing field `") {
            // serde names the missing key only in the message; it belongs in the path.
            Some(rest) => {
                let field = rest.trim_end_matches('`');
                key = if key.is_empty() {
                    field.to_string()
                } else {
                    format!("{key}.{field}")
                };
                "missing required key".to_string()
            }
            // A port's range is 1 to 65535: port 0 cannot be connected to.
            None if key.ends_with("port") => {
                let message = humanize(err.message());
                message.replace("an integer from 0 to 65535", "a port from 1 to 65535")
            }
            None => humanize(err.message()),
        };
        self.diagnostic(err.span().unwrap_or(0..0), &key, message)
    }
}

/// One step into a scenario document: a key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// serde's path as document steps, without toml's span-wrapper segments.
pub(crate) fn segments(path: &serde_path_to_error::Path) -> Vec<Seg> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Map { key } if key.starts_with("$__serde_spanned") => None,
            Segment::Map { key } | Segment::Enum { variant: key } => Some(Seg::Key(key.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

/// `rollback.trigger.need`, `smoke[1].path`: the dotted key of document steps.
pub(crate) fn spell(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Index(index) => out.push_str(&format!("[{index}]")),
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&quote_key(key));
            }
        }
    }
    out
}

/// Keys that are not bare TOML keys are shown quoted, as they would be written.
pub(crate) fn quote_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

/// Rewrites serde's wording in the file's terms (keys, tables, integers) for the author.
fn humanize(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        return if expected.is_empty() {
            "unknown key; this table takes no keys".to_string()
        } else if expected.len() == 1 {
            format!("unknown key; expected {}", expected[0])
        } else {
            format!("unknown key; expected one of {}", expected.join(", "))
        };
    }
    for (prefix, range) in [("invalid type: ", false), ("invalid value: ", true)] {
        if let Some((found, expected)) = message
            .strip_prefix(prefix)
            .and_then(|r| r.rsplit_once(", expected "))
        {
            let found = found.replace('`', "");
            let found = match found.as_str() {
                "map" => "a table".to_string(),
                "sequence" => "an array".to_string(),
                _ => found,
            };
            return if range {
                format!(
                    "{found} is out of range; expected {}",
                    expected_words(expected, true)
                )
            } else {
                format!(
                    "expected {}, found {found}",
                    expected_words(expected, false)
                )
            };
        }
    }
    message.to_string()
}

fn expected_words(expected: &str, range: bool) -> String {
    let words = match (expected, range) {
        ("u8", true) => "an integer from 0 to 255",
        ("u16", true) => "an integer from 0 to 65535",
        ("u32", true) => "an integer from 0 to 4294967295",
        ("u8" | "u16" | "u32" | "u64" | "i64" | "usize", _) => "an integer",
        ("f64" | "f32", _) => "a number",
        ("a sequence", _) => "an array",
        ("a map", _) => "a table",
        (other, _) if other.starts_with("struct ") => "a table",
        (other, _) => other,
    };
    words.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = Source {
            file: Path::new("x.toml"),
            text: "a = 1\nbé = 'x'\n",
        };
        assert_eq!(src.position(0), (1, 1));
        assert_eq!(src.position(6), (2, 1));
        assert_eq!(src.position(11), (2, 5)); // after the two-byte é
        assert_eq!(src.position(999), (3, 1));
    }

    #[test]
    fn serde_wording_is_rewritten() {
        assert_eq!(
            humanize("unknown field `stratgy`, expected one of `strategy`, `steps`"),
            "unknown key; expected one of strategy, steps"
        );
        assert_eq!(
            humanize("unknown field `b`, expected `a`"),
            "unknown key; expected a"
        );
        assert_eq!(
            humanize("invalid type: string \"three\", expected u32"),
            "expected an integer, found string \"three\""
        );
        assert_eq!(
            humanize("invalid value: integer `70000`, expected u16"),
            "integer 70000 is out of range; expected an integer from 0 to 65535"
        );
        assert_eq!(quote_key("LEDGER_FLAG"), "LEDGER_FLAG");
        assert_eq!(quote_key("a.b"), "\"a.b\"");
    }
}
