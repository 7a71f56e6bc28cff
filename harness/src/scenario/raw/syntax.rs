//! Text → TOML document, with every syntax error of the file at once. toml says only
//! "duplicate key" at the repeated key's last part; the full key path is found here, from
//! where that key was first given.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::scenario::diagnostics::{spell, Diagnostic, Seg, Source};

/// The parsed document, or a diagnostic for each syntax error (and for a file with no keys).
pub(crate) fn document<'i>(src: &Source<'i>) -> Result<Spanned<DeTable<'i>>, Vec<Diagnostic>> {
    let (doc, errors) = DeTable::parse_recoverable(src.text);
    if errors.is_empty() && doc.get_ref().is_empty() {
        let message = "the file holds no keys; a scenario needs at least [database], \
                       [releases.*], [deploy], [traffic] and [rollback]";
        return Err(vec![src.diagnostic(0..0, "", message.into())]);
    }
    if errors.is_empty() {
        return Ok(doc);
    }
    let diagnostics = errors
        .iter()
        .map(
            |e| match e.span().filter(|_| e.message() == "duplicate key") {
                Some(span) => duplicate(src, doc.get_ref(), span),
                None => src.toml_diagnostic(e, None),
            },
        )
        .collect();
    Err(diagnostics)
}

/// A repeated key or table, named by the path of its first occurrence.
fn duplicate(src: &Source, doc: &DeTable, span: Range<usize>) -> Diagnostic {
    let written = src.text.get(span.clone()).unwrap_or_default();
    let name = unquote(written);
    let mut keys = Vec::new();
    walk(doc, &mut Vec::new(), &mut keys);
    // The nearest key of that name written before the repeat is its first occurrence; a
    // repeated table keeps the repeat's span, so it is found at the repeat itself.
    let first = keys
        .into_iter()
        .filter(|(path, at)| *at <= span.start && path.last() == Some(&Seg::Key(name.clone())))
        .max_by_key(|(_, at)| *at);
    let before = src.text.get(..span.start).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let header = before[line_start..].trim_start().starts_with('[');
    let what = if header { "table" } else { "key" };
    let first_line = match &first {
        Some((_, at)) if *at < span.start => Some(src.position(*at).0),
        _ if header => header_line(src.text, line_start),
        _ => None,
    };
    let key = spell(&first.map_or_else(|| vec![Seg::Key(name)], |(path, _)| path));
    let message = match first_line {
        Some(line) => format!("duplicate {what}; it is already given at line {line}"),
        None => format!("duplicate {what}"),
    };
    src.diagnostic(span, &key, message)
}

/// The line of the first header written as the one starting at `at`.
fn header_line(text: &str, at: usize) -> Option<usize> {
    let written = text.get(at..)?.lines().next()?.trim();
    text.lines()
        .position(|l| l.trim() == written)
        .map(|i| i + 1)
        .filter(|line| text[..at].lines().count() >= *line)
}

/// Every key of the document with its path and where it was written.
fn walk(table: &DeTable, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, usize)>) {
    for (key, value) in table.iter() {
        path.push(Seg::Key(key.get_ref().to_string()));
        out.push((path.clone(), key.span().start));
        within(value.get_ref(), path, out);
        path.pop();
    }
}

fn within(value: &DeValue, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, usize)>) {
    match value {
        DeValue::Table(t) => walk(t, path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                within(item.get_ref(), path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A key as written (`"a.b"`, `'x'`, `name`) → its name.
fn unquote(written: &str) -> String {
    let w = written.trim();
    for q in ['"', '\''] {
        if let Some(inner) = w.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    w.to_string()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn errors(text: &str) -> Vec<(usize, usize, String, String)> {
        let src = Source {
            file: Path::new("x.toml"),
            text,
        };
        match document(&src) {
            Ok(_) => Vec::new(),
            Err(found) => found
                .into_iter()
                .map(|d| (d.line, d.column, d.key, d.message))
                .collect(),
        }
    }

    #[test]
    fn a_repeated_key_is_named_by_its_full_path() {
        let text = "[database]\nimage = \"a\"\n[releases.one]\nimage = \"b\"\nimage = \"c\"\n";
        assert_eq!(
            errors(text),
            [(
                5,
                1,
                "releases.one.image".to_string(),
                "duplicate key; it is already given at line 4".to_string()
            )]
        );
    }

    #[test]
    fn a_repeated_table_is_named_and_every_syntax_error_is_listed() {
        let text = "[deploy]\nfrom = \"a\"\n[releases.one]\nx = 1\n[releases.one]\ny = 2\n\
                    [deploy]\nto = \"b\"\n";
        let found = errors(text);
        let keys: Vec<(usize, &str, &str)> = found
            .iter()
            .map(|(l, _, k, m)| (*l, k.as_str(), m.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                (
                    5,
                    "releases.one",
                    "duplicate table; it is already given at line 3"
                ),
                (
                    7,
                    "deploy",
                    "duplicate table; it is already given at line 1"
                ),
            ]
        );
        let broken = errors("a = \nb = \"x\nc = 1\n");
        assert!(broken.len() >= 2, "{broken:?}");
        assert!(broken
            .iter()
            .all(|(l, c, _, m)| *l >= 1 && *c >= 1 && !m.is_empty()));
    }

    #[test]
    fn a_file_without_keys_says_what_a_scenario_needs() {
        for text in ["", "\n\n", "# only a comment\n"] {
            let found = errors(text);
            assert_eq!(found.len(), 1, "{text:?}");
            assert_eq!((found[0].0, found[0].1), (1, 1));
            assert!(
                found[0].3.starts_with("the file holds no keys"),
                "{found:?}"
            );
        }
    }

    #[test]
    fn quoted_keys_are_unquoted() {
        assert_eq!(unquote("\"a.b\""), "a.b");
        assert_eq!(unquote("'x'"), "x");
        assert_eq!(unquote(" name "), "name");
    }
}
