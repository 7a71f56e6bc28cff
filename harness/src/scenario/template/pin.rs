//! Pinning a template's placeholder to a fixed value (`Template::pin`): how exploration turns a
//! generated value into literal text, so a minimal failing case's file sends that value in
//! every request and replays byte for byte.

use super::{Part, Template};

impl Template {
    /// The template with its `index`-th part, a placeholder, replaced by `literal`: text already
    /// written for that placeholder's context (quoted or escaped as the request needs). The
    /// source gains the literal with each `{` doubled, so the file reads back to the same
    /// template; neighbouring text merges as parsing would merge it. Any other index changes
    /// nothing.
    pub fn pin(&self, index: usize, literal: &str) -> Template {
        if !matches!(self.parts.get(index), Some(Part::Fill(..))) {
            return self.clone();
        }
        let mut out = Template {
            source: String::with_capacity(self.source.len() + literal.len()),
            parts: Vec::with_capacity(self.parts.len()),
            starts: Vec::with_capacity(self.parts.len()),
        };
        for (i, part) in self.parts.iter().enumerate() {
            let written = self.written(i);
            match part {
                _ if i == index => out.push_text(literal, &literal.replace('{', "{{")),
                Part::Text(t) => out.push_text(t, written),
                Part::Fill(..) => {
                    out.starts.push(out.source.len());
                    out.parts.push(part.clone());
                    out.source.push_str(written);
                }
            }
        }
        out
    }

    /// The source text part `i` was parsed from.
    fn written(&self, i: usize) -> &str {
        let end = self.starts.get(i + 1).copied().unwrap_or(self.source.len());
        &self.source[self.starts[i]..end]
    }

    /// Appends text `text`, written in the source as `written`, merged into a text part just
    /// before it.
    fn push_text(&mut self, text: &str, written: &str) {
        if text.is_empty() {
            return;
        }
        match self.parts.last_mut() {
            Some(Part::Text(t)) => t.push_str(text),
            _ => {
                self.starts.push(self.source.len());
                self.parts.push(Part::Text(text.to_string()));
            }
        }
        self.source.push_str(written);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Shape, WITHOUT_KEY};
    use super::*;

    fn pinned(text: &str, shape: Shape, index: usize, literal: &str) -> Template {
        Template::parse(text, shape, WITHOUT_KEY)
            .unwrap()
            .pin(index, literal)
    }

    /// A pinned template is exactly what parsing its new text gives, so the file written from
    /// it loads back equal.
    #[test]
    fn a_pinned_template_reads_back_the_same() {
        let cases = [
            (
                r#"{"a": "acct-{seq}", "n": {int 0..9}, "m": "x"}"#,
                Shape::Json,
                3,
                "0",
            ),
            (r#"{"a": "{text 0..5}-{seq}"}"#, Shape::Json, 1, r#"q\"{b}"#),
            ("/entries/{int 1..3}?limit={int 1..20}", Shape::Path, 3, "5"),
            ("email={email}&n={seq}", Shape::Form, 1, "a%40b"),
            ("{bool}", Shape::Json, 0, "true"),
        ];
        for (text, shape, index, literal) in cases {
            let t = pinned(text, shape, index, literal);
            let again = Template::parse(t.as_str(), shape, WITHOUT_KEY).unwrap();
            assert_eq!(t, again, "{text} pinned at {index}");
        }
    }

    #[test]
    fn the_value_takes_the_placeholders_place_and_braces_are_doubled() {
        let t = pinned(r#"{"n": {int 0..9}, "s": {seq}}"#, Shape::Json, 1, "0");
        assert_eq!(t.as_str(), r#"{"n": 0, "s": {seq}}"#);
        assert_eq!(t.fills().count(), 1);
        let t = pinned(r#"{"m": "{text 3}"}"#, Shape::Json, 1, "{x}");
        assert_eq!(t.as_str(), r#"{"m": "{{x}"}"#);
        assert_eq!(t.fills().count(), 0);
    }

    #[test]
    fn an_index_that_is_not_a_placeholder_changes_nothing() {
        let t = Template::parse(r#"{"n": {int 0..9}}"#, Shape::Json, WITHOUT_KEY).unwrap();
        assert_eq!(t.pin(0, "7"), t);
        assert_eq!(t.pin(9, "7"), t);
    }
}
