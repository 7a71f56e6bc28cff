//! Checks for the workload's request kinds: `[traffic.write]` alone, or `[[traffic.request]]`
//! tables (write, read, plain, each with a weight), and the templates of their paths and bodies.

use std::ops::Range;

use super::super::model::*;
use super::super::raw::*;
use super::super::template::{Generator, Shape, Template, WITHOUT_KEY as NO_KEY};
use super::limits::MOST_WEIGHT;
use super::position::{json_reason, stand_in_offset};
use super::Checker;
use crate::vocab::Vocabulary;

/// A request's keys as written, whichever table they came from.
struct Written<'a> {
    method: Option<&'a S<String>>,
    path: &'a S<String>,
    json: Option<&'a S<String>>,
    form: Option<&'a S<String>>,
    ack_status: Option<&'a S<Vec<S<u16>>>>,
    key: Option<&'a S<String>>,
    expect_status: Option<&'a S<Vec<S<u16>>>>,
}

impl Checker<'_> {
    /// The request kinds, and the key path each was written at.
    pub(super) fn requests(&mut self, raw: &S<RawTraffic>) -> (Vec<WeightedRequest>, Vec<String>) {
        let t = raw.get_ref();
        if let (Some(_), Some(first)) = (&t.write, t.requests.first()) {
            let message = "give either [traffic.write] or [[traffic.request]] tables, not both";
            self.error(first.span(), "traffic.request[0]", message);
        }
        if let (Some(w), true) = (&t.write, t.requests.is_empty()) {
            let w = w.get_ref();
            let written = Written {
                method: w.method.as_ref(),
                path: &w.path,
                json: w.json.as_ref(),
                form: w.form.as_ref(),
                ack_status: w.ack_status.as_ref(),
                key: Some(&w.key),
                expect_status: None,
            };
            let request = TrafficRequest::Write(self.write(&written, "traffic.write"));
            return (
                vec![WeightedRequest { weight: 1, request }],
                vec!["traffic.write".into()],
            );
        }
        if t.requests.is_empty() {
            let message =
                "needs [traffic.write], or [[traffic.request]] tables of which one writes";
            self.error(raw.span(), "traffic", message);
        }
        let mut out = (Vec::new(), Vec::new());
        for (i, r) in t.requests.iter().enumerate() {
            let at = format!("traffic.request[{i}]");
            if let Some(request) = self.request(r.get_ref(), &at) {
                out.0.push(request);
                out.1.push(at);
            }
        }
        let writes = out.0.iter().any(|r| r.request.kind() == RequestKind::Write);
        if !writes && !t.requests.is_empty() {
            let (i, r) = t
                .requests
                .iter()
                .enumerate()
                .find(|(_, r)| r.get_ref().kind.get_ref() == RequestKind::Read.as_str())
                .unwrap_or((0, &t.requests[0]));
            let message = if r.get_ref().kind.get_ref() == RequestKind::Read.as_str() {
                "a read draws keys from acknowledged writes, but no request has kind = \"write\""
            } else {
                "the workload needs a request of kind = \"write\": the audit reads its writes back"
            };
            self.error(
                r.get_ref().kind.span(),
                &format!("traffic.request[{i}].kind"),
                message,
            );
        }
        out
    }

    fn request(&mut self, r: &RawRequest, at: &str) -> Option<WeightedRequest> {
        let kind = self.choose(&r.kind, &format!("{at}.kind"), &RequestKind::table())?;
        let weight = match &r.weight {
            Some(w) if *w.get_ref() == 0 => {
                let message = "must be at least 1; leave the request out to send none of it";
                self.error(w.span(), &format!("{at}.weight"), message);
                1
            }
            Some(w) if !self.at_most(w, &format!("{at}.weight"), (MOST_WEIGHT, "")) => 1,
            Some(w) => *w.get_ref(),
            None => 1,
        };
        let written = Written {
            method: r.method.as_ref(),
            path: &r.path,
            json: r.json.as_ref(),
            form: r.form.as_ref(),
            ack_status: r.ack_status.as_ref(),
            key: r.key.as_ref(),
            expect_status: r.expect_status.as_ref(),
        };
        let request = match kind {
            RequestKind::Write => TrafficRequest::Write(self.write(&written, at)),
            RequestKind::Read => TrafficRequest::Read(self.plain(&written, at, true)),
            RequestKind::Plain => TrafficRequest::Plain(self.plain(&written, at, false)),
        };
        Some(WeightedRequest { weight, request })
    }

    fn write(&mut self, w: &Written, at: &str) -> WriteRequest {
        if let Some(e) = w.expect_status {
            let message = "a write is acknowledged by ack-status, not expect-status";
            self.error(e.span(), &format!("{at}.expect-status"), message);
        }
        let body = self.body(w.json, w.form, at, NO_KEY);
        let key = self.key_source(w.key, &body, at, w.path.span());
        WriteRequest {
            method: self.method(w.method, &format!("{at}.method"), "POST"),
            path: self.template_path(w.path, &format!("{at}.path"), NO_KEY),
            body,
            ack_status: self.statuses(w.ack_status, &format!("{at}.ack-status"), &[200, 201]),
            key,
        }
    }

    fn key_source(
        &mut self,
        given: Option<&S<String>>,
        body: &Body,
        at: &str,
        near: Range<usize>,
    ) -> KeySource {
        let key_at = format!("{at}.key");
        let Some(given) = given else {
            let message =
                "a write needs key = \"response:<json pointer>\" or \"request:<json pointer>\"";
            self.error(near, &key_at, message);
            return KeySource::Response("/id".into());
        };
        let key = match given.get_ref().split_once(':') {
            Some(("response", pointer)) => KeySource::Response(pointer.to_string()),
            Some(("request", pointer)) => KeySource::Request(pointer.to_string()),
            _ => {
                let message = format!(
                    "`{}` is neither \"response:<json pointer>\" nor \"request:<json pointer>\"",
                    given.get_ref()
                );
                self.error(given.span(), &key_at, message);
                return KeySource::Response("/id".into());
            }
        };
        match &key {
            KeySource::Response(p) | KeySource::Request(p) if !p.starts_with('/') => {
                let message = format!("`{p}` is not a JSON pointer; it starts with `/`");
                self.error(given.span(), &key_at, message);
            }
            KeySource::Request(p) => self.in_request((body, at), p, given.span(), &key_at),
            KeySource::Response(_) => {}
        }
        key
    }

    /// A read (`{key}` required in its path or body) or a plain request (no `{key}`).
    fn plain(&mut self, r: &Written, at: &str, read: bool) -> PlainRequest {
        for (name, given) in [
            ("ack-status", r.ack_status.map(|s| s.span())),
            ("key", r.key.map(|k| k.span())),
        ] {
            if let Some(span) = given {
                let message =
                    "only a write takes this key; a read or plain request passes on expect-status";
                self.error(span, &format!("{at}.{name}"), message);
            }
        }
        let allowed = if read { Generator::ALL } else { NO_KEY };
        let path = self.template_path(r.path, &format!("{at}.path"), allowed);
        let body = self.body(r.json, r.form, at, allowed);
        let uses_key = |t: &Template| t.fills().any(|f| f.generator() == Generator::Key);
        let in_body = matches!(&body, Body::Json(t) | Body::Form(t) if uses_key(t));
        if read && !uses_key(&path) && !in_body {
            let message = "a read uses {key} (an acknowledged write's key) in its path or body";
            self.error(r.path.span(), &format!("{at}.path"), message);
        }
        PlainRequest {
            method: self.method(r.method, &format!("{at}.method"), "GET"),
            path,
            body,
            expect_status: self.statuses(r.expect_status, &format!("{at}.expect-status"), &[200]),
        }
    }

    /// A `json`/`form` pair, each a template of the generators in `allowed`.
    pub(super) fn body(
        &mut self,
        json: Option<&S<String>>,
        form: Option<&S<String>>,
        key: &str,
        allowed: &[Generator],
    ) -> Body {
        match (json, form) {
            (Some(_), Some(form)) => {
                let message = "give either json or form, not both";
                self.error(form.span(), &format!("{key}.form"), message);
                Body::None
            }
            (Some(json), None) => {
                let key = format!("{key}.json");
                let Some(t) = self.template(json, &key, Shape::Json, allowed) else {
                    // Its placeholders are reported; the JSON around them is checked once they parse.
                    return Body::Json(Template::literal(json.get_ref()));
                };
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&t.stand_in()) {
                    let offset = t.source_offset(stand_in_offset(&t.stand_in(), &e));
                    let span = self.within(json, offset);
                    let message = format!("not valid JSON: {}", json_reason(&e));
                    self.error(span, &key, message);
                }
                Body::Json(t)
            }
            (None, Some(form)) => {
                let t = self.template(form, &format!("{key}.form"), Shape::Form, allowed);
                Body::Form(t.unwrap_or_else(|| Template::literal(form.get_ref())))
            }
            (None, None) => Body::None,
        }
    }

    pub(super) fn template_path(
        &mut self,
        value: &S<String>,
        key: &str,
        allowed: &[Generator],
    ) -> Template {
        if !value.get_ref().starts_with('/') {
            let message = format!(
                "`{}` is not a request path; it starts with `/`",
                value.get_ref()
            );
            self.error(value.span(), key, message);
        }
        let t = self.template(value, key, Shape::Path, allowed);
        t.unwrap_or_else(|| Template::literal(value.get_ref()))
    }

    /// `value` parsed as a template; each bad placeholder is an error at its own column.
    fn template(
        &mut self,
        value: &S<String>,
        key: &str,
        shape: Shape,
        allowed: &[Generator],
    ) -> Option<Template> {
        match Template::parse(value.get_ref(), shape, allowed) {
            Ok(t) => Some(t),
            Err(errors) => {
                for e in errors {
                    let span = self.within(value, e.offset);
                    self.error(span, key, e.message);
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
