//! Positions inside string values: where in the file a byte of a template stands
//! (`Checker::within`), and where in a template serde_json found a JSON mistake.

use std::ops::Range;

use super::super::raw::S;
use super::Checker;

impl Checker<'_> {
    /// The file span of byte `offset` inside the string `value`, to the end of the value. The
    /// offset maps exactly when the string is written without escapes (a '...' literal, or
    /// "..." with none); otherwise the text from `offset` is looked for in the file.
    pub(super) fn within(&self, value: &S<String>, offset: usize) -> Range<usize> {
        let span = value.span();
        let Some(written) = self.src.text.get(span.clone()) else {
            return span;
        };
        let delimiter = if written.starts_with("'''") || written.starts_with(r#"""""#) {
            3
        } else {
            usize::from(written.starts_with(['\'', '"']))
        };
        let inner = &written[delimiter..];
        // A multi-line string drops the newline right after its opening delimiter.
        let inner_at = |s: &str| s.starts_with(value.get_ref().as_str());
        let lead = [0, 1, 2]
            .into_iter()
            .find(|n| inner.get(*n..).is_some_and(inner_at));
        let start = match lead {
            Some(n) => span.start + delimiter + n + offset,
            None => {
                let rest = value.get_ref().get(offset..).unwrap_or_default();
                let needle = rest.split_inclusive('}').next().unwrap_or(rest);
                match inner.find(needle).filter(|_| !needle.is_empty()) {
                    Some(i) => span.start + delimiter + i,
                    None => span.start,
                }
            }
        };
        start.min(span.end)..span.end
    }
}

/// The byte offset in `text` of serde_json's line and column (columns count bytes).
pub(super) fn stand_in_offset(text: &str, e: &serde_json::Error) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + e.column().saturating_sub(1)).min(text.len())
}

/// serde_json's message without its position, which counts in the stand-in text.
pub(super) fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
