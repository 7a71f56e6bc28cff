//! Request templates (`Template`): a path or body as written, parsed once into literal text and
//! the values to fill in (`Fill`), each tagged with the context it is rendered into (`Context`),
//! so the traffic layer renders without re-reading the text and a bad placeholder is an error
//! at its own column.
//!
//! A placeholder is `{` directly followed by a letter, up to the next `}`: `{seq}`,
//! `{int 1..100}`, `{choice a|b|c}`. `{{` is a literal `{`; any other brace is literal text, so
//! JSON objects need no escaping.

use std::fmt;

pub use super::fill::Fill;
use super::fill::{fill, FillError};
pub use crate::vocab::Generator;

/// What a template may use outside a read request: everything but `{key}`.
pub const WITHOUT_KEY: &[Generator] = &[
    Generator::Seq,
    Generator::Run,
    Generator::Int,
    Generator::Choice,
    Generator::Bool,
    Generator::Text,
    Generator::Uuid,
    Generator::Email,
    Generator::Timestamp,
];

/// What a check may use: everything but `{key}`, and values earlier checks saved.
pub const IN_CHECKS: &[Generator] = &[
    Generator::Seq,
    Generator::Run,
    Generator::Int,
    Generator::Choice,
    Generator::Bool,
    Generator::Text,
    Generator::Uuid,
    Generator::Email,
    Generator::Timestamp,
    Generator::Saved,
];

/// A parsed request template: its text as written, and the pieces it renders from.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
    /// Where each part starts in `source`, for positions in errors.
    starts: Vec<usize>,
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Text sent as written.
    Text(String),
    /// A value filled in per request, rendered for its context.
    Fill(Fill, Context),
}

/// Where in the request a value lands, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A JSON value position: numbers and booleans bare, text as a quoted JSON string.
    JsonValue,
    /// Inside a JSON string: the text JSON-escaped, without quotes.
    JsonString,
    /// A form body value: URL-encoded (`form_urlencoded`).
    Form,
    /// A path before `?`: percent-encoded, `/` included.
    Path,
    /// A query string after `?`: URL-encoded as a form value.
    Query,
}

/// What kind of text a template is, which sets the contexts of its placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A JSON body.
    Json,
    /// A form body (`a=1&b=2`).
    Form,
    /// A request path, with an optional query string.
    Path,
}

/// A problem in a template: what, and the byte range of the placeholder within the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Byte offset of the problem within the template text.
    pub offset: usize,
    /// What is wrong, naming the placeholder as written.
    pub message: String,
}

impl Template {
    /// Parses `text` as a template of `shape` whose placeholders must be in `allowed`; every
    /// bad placeholder is reported.
    pub fn parse(
        text: &str,
        shape: Shape,
        allowed: &[Generator],
    ) -> Result<Template, Vec<TemplateError>> {
        let mut scan = Scan::new(shape);
        let (mut parts, mut errors, mut literal) = (Vec::new(), Vec::new(), String::new());
        let (mut starts, mut literal_at) = (Vec::new(), 0);
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let at = text.len() - rest.len();
            let after = &rest[c.len_utf8()..];
            if literal.is_empty() {
                literal_at = at;
            }
            if c == '{' && after.starts_with('{') {
                literal.push('{');
                rest = &after[1..];
                continue;
            }
            if c != '{' || !after.starts_with(|n: char| n.is_ascii_alphabetic()) {
                scan.step(c);
                literal.push(c);
                rest = after;
                continue;
            }
            let Some(close) = after.find('}') else {
                let shown: String = rest.chars().take(24).collect();
                let message = format!("`{shown}` opens a placeholder that is never closed with `}}`; write `{{{{` for a literal `{{`");
                errors.push(TemplateError {
                    offset: at,
                    message,
                });
                break;
            };
            let written = &rest[..close + 2];
            match fill(&after[..close], allowed) {
                Ok(f) => {
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                        starts.push(literal_at);
                    }
                    parts.push(Part::Fill(f, scan.context()));
                    starts.push(at);
                }
                Err(e) => errors.push(TemplateError {
                    offset: at,
                    message: describe(written, e, allowed),
                }),
            }
            rest = &rest[close + 2..];
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
            starts.push(literal_at);
        }
        if errors.is_empty() {
            let source = text.to_string();
            Ok(Template {
                source,
                parts,
                starts,
            })
        } else {
            Err(errors)
        }
    }

    /// A template of plain text, with nothing to fill in.
    pub fn literal(text: &str) -> Template {
        let (parts, starts) = if text.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (vec![Part::Text(text.to_string())], vec![0])
        };
        Template {
            source: text.to_string(),
            parts,
            starts,
        }
    }

    /// The text as written in the scenario.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The pieces, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The fills, in order.
    pub fn fills(&self) -> impl Iterator<Item = &Fill> {
        self.parts.iter().filter_map(|p| match p {
            Part::Fill(f, _) => Some(f),
            Part::Text(_) => None,
        })
    }

    /// The template with stand-in values (`0` as a JSON value, `x` elsewhere), to check that
    /// its literal text is what its shape needs.
    pub fn stand_in(&self) -> String {
        self.stand_in_parts().0
    }

    /// The offset in the text as written of a byte offset in `stand_in()`: a problem the
    /// stand-in shows is reported where the author wrote it.
    pub fn source_offset(&self, stand_in_offset: usize) -> usize {
        let (_, begins) = self.stand_in_parts();
        let Some(i) = begins.iter().rposition(|b| *b <= stand_in_offset) else {
            return 0;
        };
        let inside = match self.parts[i] {
            Part::Text(_) => stand_in_offset - begins[i],
            Part::Fill(..) => 0,
        };
        (self.starts[i] + inside).min(self.source.len())
    }

    fn stand_in_parts(&self) -> (String, Vec<usize>) {
        let mut out = String::with_capacity(self.source.len());
        let mut begins = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            begins.push(out.len());
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Fill(_, Context::JsonValue) => out.push('0'),
                Part::Fill(..) => out.push('x'),
            }
        }
        (out, begins)
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn describe(written: &str, e: FillError, allowed: &[Generator]) -> String {
    match e {
        FillError::Unknown(name) => {
            let names: Vec<String> = allowed.iter().map(|g| format!("{{{g}}}")).collect();
            format!(
                "`{written}`: unknown generator `{name}`; expected one of {}",
                names.join(", ")
            )
        }
        FillError::NotHere(g) => {
            let names: Vec<String> = allowed.iter().map(|g| format!("{{{g}}}")).collect();
            format!(
                "`{written}`: {{{g}}} cannot be used here; this template takes {}",
                names.join(", ")
            )
        }
        FillError::Bad(g, why) => format!("`{written}`: {{{g}}} {why}"),
    }
}

/// Tracks whether the text so far stands inside a JSON string, or past a path's `?`.
struct Scan {
    shape: Shape,
    in_string: bool,
    escaped: bool,
    query: bool,
}

impl Scan {
    fn new(shape: Shape) -> Scan {
        let (in_string, escaped, query) = (false, false, false);
        Scan {
            shape,
            in_string,
            escaped,
            query,
        }
    }

    fn step(&mut self, c: char) {
        match self.shape {
            Shape::Json if self.escaped => self.escaped = false,
            Shape::Json if self.in_string && c == '\\' => self.escaped = true,
            Shape::Json if c == '"' => self.in_string = !self.in_string,
            Shape::Path if c == '?' => self.query = true,
            _ => {}
        }
    }

    fn context(&self) -> Context {
        match self.shape {
            Shape::Json if self.in_string => Context::JsonString,
            Shape::Json => Context::JsonValue,
            Shape::Form => Context::Form,
            Shape::Path if self.query => Context::Query,
            Shape::Path => Context::Path,
        }
    }
}

mod pin;

#[cfg(test)]
mod tests;
