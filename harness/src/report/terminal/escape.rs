//! `escape`: text from a scenario or a drill made safe to print on a terminal. A scenario
//! name is input: an ANSI escape in it could recolour, move the cursor or rewrite earlier
//! lines, and a bidi override could make it read as another name.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character (ESC, CR, LF and tab included) and every invisible
/// direction or width mark written out as `\u{..}`; other text unchanged.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            // `\u{1b}`: the Rust spelling, so the name can be found again in its file.
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Control characters, and the format characters that reorder or hide text (bidi embeddings,
/// overrides and isolates, zero-width marks, the BOM).
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let name = "notnull-code-only «ünïcode» \"quoted\" back\\slash";
        assert!(matches!(escape(name), Cow::Borrowed(n) if n == name));
    }

    #[test]
    fn ansi_escapes_and_line_breaks_are_written_out() {
        assert_eq!(
            escape("evil\u{1b}[2J\u{1b}[31mname\r\nnext\tx"),
            "evil\\u{1b}[2J\\u{1b}[31mname\\u{d}\\u{a}next\\u{9}x"
        );
        assert_eq!(escape("\u{7f}\u{9b}"), "\\u{7f}\\u{9b}");
    }

    #[test]
    fn direction_overrides_and_invisible_marks_are_written_out() {
        assert_eq!(
            escape("pass\u{202e}liaf\u{2066}\u{200b}\u{feff}"),
            "pass\\u{202e}liaf\\u{2066}\\u{200b}\\u{feff}"
        );
    }
}
