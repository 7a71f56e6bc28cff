//! Checks for `[traffic]` (the write, its key, the read-back) and `[[smoke]]` requests.

use std::ops::Range;
use std::time::Duration;

use super::super::model::*;
use super::super::raw::*;
use super::{placeholders, Checker};

/// Placeholders a write's path and body may use.
const WRITE_PLACEHOLDERS: [&str; 2] = ["seq", "run"];
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

impl Checker<'_> {
    pub(super) fn traffic(&mut self, raw: &S<RawTraffic>) -> Traffic {
        let t = raw.get_ref();
        let write = self.write(&t.write);
        let read_back = self.read_back(&t.read_back, &write);
        Traffic {
            rate: self.at_least_one(t.rate.as_ref(), "traffic.rate", 50),
            concurrency: self.at_least_one(t.concurrency.as_ref(), "traffic.concurrency", 8),
            request_timeout: self.duration(
                t.request_timeout.as_ref(),
                "traffic.request-timeout",
                Duration::from_secs(2),
                false,
            ),
            observe_after: self.duration(
                t.observe_after.as_ref(),
                "traffic.observe-after",
                Duration::from_millis(500),
                true,
            ),
            write,
            read_back,
        }
    }

    fn at_least_one(&mut self, value: Option<&S<u32>>, key: &str, default: u32) -> u32 {
        match value {
            Some(v) if *v.get_ref() == 0 => {
                self.error(v.span(), key, "must be at least 1");
                default
            }
            Some(v) => *v.get_ref(),
            None => default,
        }
    }

    pub(super) fn http_path(&mut self, value: &S<String>, key: &str, allowed: &[&str]) -> String {
        if !value.get_ref().starts_with('/') {
            self.error(
                value.span(),
                key,
                format!(
                    "`{}` is not a request path; it starts with `/`",
                    value.get_ref()
                ),
            );
        }
        self.placeholders(value, key, allowed);
        value.get_ref().clone()
    }

    fn method(&mut self, value: Option<&S<String>>, key: &str, default: &str) -> String {
        let Some(value) = value else {
            return default.to_string();
        };
        if !METHODS.contains(&value.get_ref().as_str()) {
            self.error(
                value.span(),
                key,
                format!(
                    "unknown HTTP method `{}`; expected one of {}",
                    value.get_ref(),
                    METHODS.join(", ")
                ),
            );
        }
        value.get_ref().clone()
    }

    fn statuses(&mut self, value: Option<&S<Vec<S<u16>>>>, key: &str, default: &[u16]) -> Vec<u16> {
        let Some(list) = value else {
            return default.to_vec();
        };
        if list.get_ref().is_empty() {
            self.error(list.span(), key, "list at least one status code");
        }
        for (i, s) in list.get_ref().iter().enumerate() {
            if !(100..=599).contains(s.get_ref()) {
                self.error(
                    s.span(),
                    &format!("{key}[{i}]"),
                    format!("{} is not an HTTP status (100-599)", s.get_ref()),
                );
            }
        }
        list.get_ref().iter().map(|s| *s.get_ref()).collect()
    }

    /// A `json`/`form` pair. Both are templates: the engine fills {seq} and {run} in write
    /// and smoke bodies alike.
    fn body(&mut self, json: Option<&S<String>>, form: Option<&S<String>>, key: &str) -> Body {
        match (json, form) {
            (Some(_), Some(form)) => {
                let message = "give either json or form, not both";
                self.error(form.span(), &format!("{key}.form"), message);
                Body::None
            }
            (Some(json), None) => {
                let key = format!("{key}.json");
                self.placeholders(json, &key, &WRITE_PLACEHOLDERS);
                let text = sample(json.get_ref());
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    let message = format!(
                        "not valid JSON once {{seq}} and {{run}} are filled in \
                         ({{run}} is text: quote it): {e}"
                    );
                    self.error(json.span(), &key, message);
                }
                Body::Json(json.get_ref().clone())
            }
            (None, Some(form)) => {
                self.placeholders(form, &format!("{key}.form"), &WRITE_PLACEHOLDERS);
                Body::Form(form.get_ref().clone())
            }
            (None, None) => Body::None,
        }
    }

    fn write(&mut self, raw: &S<RawWrite>) -> WriteRequest {
        let w = raw.get_ref();
        let body = self.body(w.json.as_ref(), w.form.as_ref(), "traffic.write");
        let key = match w.key.get_ref().split_once(':') {
            Some(("response", pointer)) => KeySource::Response(pointer.to_string()),
            Some(("request", pointer)) => KeySource::Request(pointer.to_string()),
            _ => {
                let message = format!(
                    "`{}` is neither \"response:<json pointer>\" nor \"request:<json pointer>\"",
                    w.key.get_ref()
                );
                self.error(w.key.span(), "traffic.write.key", message);
                KeySource::Response("/id".into())
            }
        };
        match &key {
            KeySource::Response(p) | KeySource::Request(p) if !p.starts_with('/') => {
                self.error(
                    w.key.span(),
                    "traffic.write.key",
                    format!("`{p}` is not a JSON pointer; it starts with `/`"),
                );
            }
            KeySource::Request(p) => self.in_request(&body, p, w.key.span(), "traffic.write.key"),
            KeySource::Response(_) => {}
        }
        WriteRequest {
            method: self.method(w.method.as_ref(), "traffic.write.method", "POST"),
            path: self.http_path(&w.path, "traffic.write.path", &WRITE_PLACEHOLDERS),
            body,
            ack_status: self.statuses(
                w.ack_status.as_ref(),
                "traffic.write.ack-status",
                &[200, 201],
            ),
            key,
        }
    }

    /// `pointer` must name a value in the (sample-rendered) JSON request body.
    /// `pointer` must name a value in the request body: a JSON body rendered with stand-in
    /// values, or a form body, which the engine reads as an object of its fields.
    fn in_request(&mut self, body: &Body, pointer: &str, span: Range<usize>, key: &str) {
        let (found, what) = match body {
            Body::Json(t) => {
                let value = serde_json::from_str::<serde_json::Value>(&sample(t));
                // An invalid body is reported on its own; no second error here.
                (value.map_or(true, |v| v.pointer(pointer).is_some()), "json")
            }
            Body::Form(t) => {
                let mut fields = t.split('&').filter_map(|kv| kv.split_once('='));
                (
                    fields.any(|(k, _)| Some(k) == pointer.strip_prefix('/')),
                    "form",
                )
            }
            Body::None => {
                let message = "points into the request body, but traffic.write has no body";
                self.error(span, key, message);
                return;
            }
        };
        if !found {
            let message = format!("`{pointer}` is not in the traffic.write.{what} body");
            self.error(span, key, message);
        }
    }

    fn read_back(&mut self, raw: &S<RawReadBack>, write: &WriteRequest) -> ReadBack {
        let r = raw.get_ref();
        match (&r.path, &r.sql) {
            (Some(_), Some(sql)) => {
                self.error(
                    sql.span(),
                    "traffic.read-back.sql",
                    "give either path (HTTP) or sql, not both",
                );
                ReadBack::Sql {
                    query: sql.get_ref().clone(),
                }
            }
            (None, Some(sql)) => {
                for (name, given) in [
                    ("method", r.method.as_ref().map(|m| m.span())),
                    ("fields", r.fields.as_ref().map(|f| f.span())),
                ] {
                    if let Some(span) = given {
                        self.error(
                            span,
                            &format!("traffic.read-back.{name}"),
                            "only an HTTP read-back (path) takes this key",
                        );
                    }
                }
                if !sql.get_ref().contains("$1") {
                    self.error(
                        sql.span(),
                        "traffic.read-back.sql",
                        "the query must use $1 (bound to the write's key)",
                    );
                }
                ReadBack::Sql {
                    query: sql.get_ref().clone(),
                }
            }
            (Some(path), None) => {
                if !path.get_ref().contains("{key}") {
                    self.error(
                        path.span(),
                        "traffic.read-back.path",
                        "the path must use {key} (the write's key)",
                    );
                }
                let mut fields = Vec::new();
                for (i, f) in r.fields.iter().flat_map(|f| f.get_ref()).enumerate() {
                    let key = format!("traffic.read-back.fields[{i}]");
                    let pointer = self.pointer(f, &key);
                    if pointer.starts_with('/') {
                        self.in_request(&write.body, &pointer, f.span(), &key);
                    }
                    fields.push(pointer);
                }
                ReadBack::Http {
                    method: self.method(r.method.as_ref(), "traffic.read-back.method", "GET"),
                    path: self.http_path(path, "traffic.read-back.path", &["key"]),
                    fields,
                }
            }
            (None, None) => {
                self.error(
                    raw.span(),
                    "traffic.read-back",
                    "needs either path (an HTTP read-back) or sql",
                );
                ReadBack::Sql {
                    query: String::new(),
                }
            }
        }
    }

    pub(super) fn smoke(&mut self, index: usize, raw: &S<RawCheck>) -> HttpCheck {
        let (s, key) = (raw.get_ref(), format!("smoke[{index}]"));
        HttpCheck {
            method: self.method(s.method.as_ref(), &format!("{key}.method"), "GET"),
            path: self.http_path(&s.path, &format!("{key}.path"), &[]),
            body: self.body(s.json.as_ref(), s.form.as_ref(), &key),
            expect_status: self.statuses(
                s.expect_status.as_ref(),
                &format!("{key}.expect-status"),
                &[200],
            ),
        }
    }
}

/// A template rendered with stand-in values, to check it yields valid JSON.
fn sample(template: &str) -> String {
    let mut out = template.to_string();
    for name in placeholders(template) {
        let value = if name == "seq" { "1" } else { "run" };
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}
