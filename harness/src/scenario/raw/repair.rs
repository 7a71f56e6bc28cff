//! Reading past structural errors: each serde error (wrong type, unknown key, missing key) is
//! recorded, the parsed document is repaired at its key path (the value removed, or a stand-in
//! put where a required key is missing) and read again, so one pass reports every such error.
//!
//! Stand-ins are never judged: errors at or under a repaired key are consequences of the
//! repair, not of the file, and are dropped.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

use crate::scenario::diagnostics::{segments, spell, Diagnostic, Seg, Source};

/// At most this many repairs per file: each removes a value or fills a missing key, so a
/// file needs about one per error; the bound only stops a repair that would not converge.
const MOST_REPAIRS: usize = 256;

/// What reading a document past its errors gave.
pub(crate) struct Repaired<T> {
    /// The value read from the repaired document; None when it could not be repaired.
    pub value: Option<T>,
    /// Every structural error, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// Key paths removed or stood in for (as `Diagnostic::key` spells them).
    pub repaired: Vec<String>,
}

/// Reads `doc` as a `T`, repairing it after each error until it reads (or cannot be repaired).
pub(crate) fn read<'i, T: Deserialize<'i>>(src: &Source, doc: Spanned<DeTable<'i>>) -> Repaired<T> {
    let mut doc = doc;
    let mut out = Repaired {
        value: None,
        diagnostics: Vec::new(),
        repaired: Vec::new(),
    };
    let mut stand_ins: Vec<(Vec<Seg>, usize)> = Vec::new();
    let mut unknown: Vec<Vec<Seg>> = Vec::new();
    for _ in 0..MOST_REPAIRS {
        let de = toml::de::Deserializer::from(doc.clone());
        let err = match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(value) => {
                out.value = Some(value);
                return out;
            }
            Err(err) => err,
        };
        let mut path = segments(err.path());
        let diagnostic = src.toml_diagnostic(err.inner(), Some(err.path()));
        let missing = err.inner().message().strip_prefix("missing field `");
        if let Some(field) = missing.map(|rest| rest.trim_end_matches('`')) {
            path.push(Seg::Key(field.to_string()));
        }
        let caused_by_repair = out.repaired.iter().any(|r| under(&diagnostic.key, r));
        if missing.is_some() && misspelt(&unknown, &path) {
            // Reported already as the unknown key it was written as.
        } else if !caused_by_repair {
            out.diagnostics.push(diagnostic.clone());
        }
        let span = err.inner().span().unwrap_or(0..0);
        let fixed = if missing.is_some() {
            stand_in(doc.get_mut(), &path, 0, span)
        } else if let Some(n) = stand_ins.iter_mut().find(|(p, _)| *p == path) {
            // A stand-in of the wrong type: try the next kind of value.
            n.1 += 1;
            stand_in(doc.get_mut(), &path, n.1, span)
        } else {
            if matches!(path.last(), Some(Seg::Index(_))) {
                // Removing one element would renumber the rest; the array goes whole.
                path.pop();
            }
            remove(doc.get_mut(), &path)
        };
        if !fixed {
            return out;
        }
        if err.inner().message().starts_with("unknown field `") {
            unknown.push(path.clone());
        }
        if missing.is_some() {
            stand_ins.push((path.clone(), 0));
        }
        out.repaired.push(if missing.is_some() {
            diagnostic.key
        } else {
            spell(&path)
        });
    }
    out
}

/// Whether the missing key at `path` was written, misspelt, as one of the `unknown` keys
/// removed from the same table.
fn misspelt(unknown: &[Vec<Seg>], path: &[Seg]) -> bool {
    let Some((Seg::Key(name), table)) = path.split_last() else {
        return false;
    };
    unknown.iter().any(|u| match u.split_last() {
        Some((Seg::Key(written), t)) => t == table && strsim::levenshtein(written, name) <= 2,
        _ => false,
    })
}

/// Whether a validation finding at `key` may be an echo of the repair at `repaired`: it lies
/// where the repaired value is read (a deploy names releases; a read-back points into the write
/// bodies). Elsewhere, what did parse is judged as usual.
pub(crate) fn echoes(key: &str, repaired: &str) -> bool {
    let section = repaired.split(['.', '[']).next().unwrap_or_default();
    let bodies = ["traffic.write", "traffic.request", "traffic.read-back"];
    let reach: Vec<&str> = match section {
        "traffic" if bodies.iter().any(|b| under(repaired, b)) => bodies.to_vec(),
        "traffic" => vec![repaired],
        // One smoke request's keys are read together; the others are on their own.
        "smoke" => vec![repaired.split_inclusive(']').next().unwrap_or(repaired)],
        "releases" => vec!["releases", "deploy", "rollback", "fault"],
        "deploy" => vec!["deploy", "rollback", "fault"],
        "rollback" => vec!["rollback", "fault", "expect", "expect-failing"],
        "expect" => vec!["expect", "expect-failing"],
        other => vec![other],
    };
    reach.iter().any(|r| under(key, r))
}

/// Whether `key` is `repaired` or inside it.
fn under(key: &str, repaired: &str) -> bool {
    key.strip_prefix(repaired)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// The value at `path` (None when the document has no such place).
fn get_mut<'a, 'i>(table: &'a mut DeTable<'i>, path: &[Seg]) -> Option<&'a mut DeValue<'i>> {
    let (Seg::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let mut value = table.get_mut(first.as_str())?.get_mut();
    for seg in rest {
        value = match (seg, value) {
            (Seg::Key(k), DeValue::Table(t)) => t.get_mut(k.as_str())?.get_mut(),
            (Seg::Index(i), DeValue::Array(a)) => a.get_mut(*i)?.get_mut(),
            _ => return None,
        };
    }
    Some(value)
}

/// The table holding the last step of `path`, and that step's key.
fn parent<'a, 'i>(
    root: &'a mut DeTable<'i>,
    path: &[Seg],
) -> Option<(&'a mut DeTable<'i>, String)> {
    let (Seg::Key(last), init) = path.split_last()? else {
        return None;
    };
    let table = if init.is_empty() {
        root
    } else {
        match get_mut(root, init)? {
            DeValue::Table(t) => t,
            _ => return None,
        }
    };
    Some((table, last.clone()))
}

fn remove(root: &mut DeTable, path: &[Seg]) -> bool {
    parent(root, path).is_some_and(|(table, key)| table.remove(key.as_str()).is_some())
}

/// Puts the `nth` kind of stand-in value at `path` (false when every kind has been tried).
fn stand_in(root: &mut DeTable, path: &[Seg], nth: usize, span: Range<usize>) -> bool {
    let value = match nth {
        0 => DeValue::String(Cow::Borrowed("")),
        1 => DeValue::Table(DeTable::new()),
        2 => DeValue::Array(DeArray::new()),
        3 => DeValue::Boolean(false),
        _ => return false,
    };
    let Some((table, key)) = parent(root, path) else {
        return false;
    };
    let key = Spanned::new(span.clone(), Cow::Owned(key));
    table.insert(key, Spanned::new(span, value));
    true
}

#[cfg(test)]
#[path = "repair/tests.rs"]
mod tests;
