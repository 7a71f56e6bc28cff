//! Request templates: rendering a body with `{seq}` / `{run}`, and reading a write's key
//! from a JSON body by pointer.

use serde_json::Value;

use crate::scenario::Body;

/// A rendered request body and its content type.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// `Content-Type` to send; `None` for a request without a body.
    pub content_type: Option<&'static str>,
    /// The body with `{seq}` and `{run}` filled in (empty without a body).
    pub text: String,
}

/// Substitutes `{seq}` and `{run}` in a body template.
pub fn render(body: &Body, seq: u64, run: &str) -> Rendered {
    let fill = |t: &str| t.replace("{seq}", &seq.to_string()).replace("{run}", run);
    match body {
        Body::None => Rendered {
            content_type: None,
            text: String::new(),
        },
        Body::Json(t) => Rendered {
            content_type: Some("application/json"),
            text: fill(t),
        },
        Body::Form(t) => Rendered {
            content_type: Some("application/x-www-form-urlencoded"),
            text: fill(t),
        },
    }
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
mod tests {
    use super::*;

    #[test]
    fn renders_and_extracts_keys() {
        let body = Body::Json(r#"{"account":"a-{seq}","amount":{seq},"run":"{run}"}"#.into());
        let r = render(&body, 7, "rc1");
        assert_eq!(r.text, r#"{"account":"a-7","amount":7,"run":"rc1"}"#);
        let v = as_json(&r);
        assert_eq!(key_at(&v, "/account").as_deref(), Some("a-7"));
        assert_eq!(key_at(&v, "/amount").as_deref(), Some("7"));
        assert_eq!(key_at(&v, "/missing"), None);
        let form = render(&Body::Form("email=u{seq}@x&n=1".into()), 3, "r");
        assert_eq!(key_at(&as_json(&form), "/email").as_deref(), Some("u3@x"));
    }

    #[test]
    fn form_values_are_url_decoded() {
        let body = Body::Form("email=u{seq}%40x.org&memo=two+words%21&a%2Fb=1&n=1&n=2".into());
        let v = as_json(&render(&body, 5, "r"));
        assert_eq!(key_at(&v, "/email").as_deref(), Some("u5@x.org"));
        assert_eq!(key_at(&v, "/memo").as_deref(), Some("two words!"));
        // A decoded name with a slash is spelled `~1` in the pointer, as JSON pointers escape.
        assert_eq!(key_at(&v, "/a~1b").as_deref(), Some("1"));
        assert_eq!(key_at(&v, "/n").as_deref(), Some("2"));
    }
}
