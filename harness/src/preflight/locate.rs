//! Where a scenario key is written (`Place`): file, line, column and the line's text, so a
//! preflight finding points at the key that causes it.

use std::fs;

use toml::de::{DeTable, DeValue};

use crate::lint::{display_path, Finding, Rule};
use crate::scenario::Scenario;

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    /// A table key as written in the file, e.g. `image-ref`.
    Name(&'a str),
    /// A 0-based index into an array of tables, e.g. the 2nd `[[fault]]` is 1.
    Index(usize),
}

/// A position in a scenario file and the text of its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The scenario file, as findings display it.
    pub file: String,
    /// 1-based line of the key (1 when the key is not written).
    pub line: usize,
    /// 1-based column of the key; None when it is not written.
    pub column: Option<usize>,
    /// That line's text, trimmed, which the finding quotes.
    pub text: String,
}

impl Place {
    /// The place of `path` in the scenario's file; line 1 when the key is implicit (a
    /// default) or the file cannot be read again.
    pub fn of(s: &Scenario, path: &[Key]) -> Place {
        let text = fs::read_to_string(&s.source).unwrap_or_default();
        let (line, column) = span_of(&text, path)
            .map(|start| crate::lint::position(&text, start))
            .map_or((1, None), |(l, c)| (l, Some(c)));
        Place {
            file: display_path(&s.source),
            line,
            column,
            text: text.lines().nth(line - 1).unwrap_or("").trim().to_string(),
        }
    }

    /// A finding of `rule` (its default severity) at this place.
    pub fn finding(&self, rule: Rule, message: String, remedy: &str) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            category: rule.category(),
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            statement: self.text.clone(),
            message,
            remedy: remedy.to_string(),
            columns: Vec::new(),
            disposition: None,
        }
    }
}

/// Byte offset of the value at `path`, or of the deepest part of it that is written.
fn span_of(text: &str, path: &[Key]) -> Option<usize> {
    let doc = DeTable::parse(text).ok()?;
    let mut best = None;
    let mut table = Some(doc.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue>]> = None;
    for key in path {
        let value = match (key, table, array) {
            (Key::Name(name), Some(t), _) => {
                t.iter().find(|(k, _)| k.get_ref() == name).map(|(_, v)| v)
            }
            (Key::Index(i), _, Some(a)) => a.get(*i),
            _ => None,
        };
        let Some(value) = value else { break };
        best = Some(value.span().start);
        (table, array) = match value.get_ref() {
            DeValue::Table(t) => (Some(t), None),
            DeValue::Array(a) => (None, Some(&a[..])),
            _ => (None, None),
        };
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_array_items() {
        let text = "name = \"x\"\n[rollback]\nstrategy = \"code-only\"\nimage-ref = \"tag\"\n\n[[fault]]\nkind = \"move-tag\"\n\n[[fault]]\nkind = \"remove-image\"\n";
        let line = |path: &[Key]| span_of(text, path).map(|s| crate::lint::position(text, s).0);
        assert_eq!(
            line(&[Key::Name("rollback"), Key::Name("image-ref")]),
            Some(4)
        );
        assert_eq!(
            line(&[Key::Name("fault"), Key::Index(1), Key::Name("kind")]),
            Some(10)
        );
        // A key left to its default points at the nearest written parent.
        assert_eq!(
            line(&[Key::Name("rollback"), Key::Name("steps")]),
            line(&[Key::Name("rollback")])
        );
        assert_eq!(line(&[Key::Name("deploy")]), None);
    }
}
