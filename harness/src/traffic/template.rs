//! Rendering request templates: filling each placeholder with its drawn value, written for
//! its context (bare or quoted JSON, JSON string text, form and query encoding, path
//! percent-encoding), and reading a write's key from a body by JSON pointer.

use std::fmt::Write;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

use super::generate::{Draw, Drawn};
use crate::scenario::{Body, Context, Part, Template};

/// What a path keeps as is: RFC 3986's unreserved characters; `/` in a value is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A rendered request body and its content type.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// `Content-Type` to send; `None` for a request without a body.
    pub content_type: Option<&'static str>,
    /// The body with its placeholders filled in (empty without a body).
    pub text: String,
}

/// Renders a body with the values of `draw`.
pub fn render_body(body: &Body, draw: &mut Draw) -> Rendered {
    match body {
        Body::None => Rendered {
            content_type: None,
            text: String::new(),
        },
        Body::Json(t) => Rendered {
            content_type: Some("application/json"),
            text: fill(t, draw),
        },
        Body::Form(t) => Rendered {
            content_type: Some("application/x-www-form-urlencoded"),
            text: fill(t, draw),
        },
    }
}

/// A template with its placeholders filled in from `draw`.
pub fn fill(template: &Template, draw: &mut Draw) -> String {
    let mut out = String::with_capacity(template.as_str().len() + 16);
    for part in template.parts() {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Fill(f, context) => write_value(&mut out, &draw.value(f), *context),
        }
    }
    out
}

/// `value` written for `context`, as a request carries it: what pinning a placeholder puts in
/// its place.
pub fn rendered(value: &Drawn, context: Context) -> String {
    let mut out = String::new();
    write_value(&mut out, value, context);
    out
}

fn write_value(out: &mut String, value: &Drawn, context: Context) {
    let text: &str = match value {
        Drawn::Int(n) => {
            let _ = write!(out, "{n}");
            return;
        }
        Drawn::Bool(b) => {
            let _ = write!(out, "{b}");
            return;
        }
        Drawn::Text(t) => t,
        Drawn::Written(t) => t,
    };
    match context {
        Context::JsonValue if matches!(value, Drawn::Written(_)) && json_scalar(text) => {
            out.push_str(text)
        }
        Context::JsonValue => out.push_str(&json_string(text)),
        Context::JsonString => {
            let quoted = json_string(text);
            out.push_str(&quoted[1..quoted.len() - 1]);
        }
        Context::Form | Context::Query => {
            out.extend(form_urlencoded::byte_serialize(text.as_bytes()))
        }
        Context::Path => out.extend(utf8_percent_encode(text, SEGMENT)),
    }
}

/// `text` as a quoted, escaped JSON string.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\""))
}

/// Whether `text` is a JSON number, `true`, `false` or `null`, written bare in a JSON value.
fn json_scalar(text: &str) -> bool {
    matches!(text, "true" | "false" | "null")
        || serde_json::from_str::<serde_json::Number>(text).is_ok()
}

/// The rendered body as JSON. A form body becomes a flat object of strings, names and values
/// URL-decoded (`%40` is `@`, `+` a space) as the app decodes them, so `request:/email` reads
/// the value the app stored; a name given twice keeps its last value.
pub fn as_json(rendered: &Rendered) -> Value {
    match rendered.content_type {
        Some("application/json") => serde_json::from_str(&rendered.text).unwrap_or(Value::Null),
        Some(_) => Value::Object(
            form_urlencoded::parse(rendered.text.as_bytes())
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect(),
        ),
        None => Value::Null,
    }
}

/// The key at `pointer` as text (numbers and strings alike), if present.
pub fn key_at(value: &Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests;
