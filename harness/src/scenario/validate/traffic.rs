//! Checks for `[traffic]` (its rate and timing, the read-back) and `[[smoke]]` requests; the
//! request kinds themselves are checked in `requests.rs`.

use std::ops::Range;
use std::time::Duration;

use super::super::model::*;
use super::super::raw::*;
use super::super::template::{Template, WITHOUT_KEY as NO_KEY};
use super::limits::{LONGEST_REQUEST, MOST_CONCURRENCY, MOST_RATE};
use super::Checker;

const RATE: (u32, &str) = (MOST_RATE, " requests per second");
const IN_FLIGHT: (u32, &str) = (MOST_CONCURRENCY, " requests in flight");

const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

impl Checker<'_> {
    pub(super) fn traffic(&mut self, raw: &S<RawTraffic>) -> Traffic {
        let t = raw.get_ref();
        let (requests, writes) = self.requests(raw);
        let bodies: Vec<(&Body, String)> = requests
            .iter()
            .zip(&writes)
            .filter_map(|(r, at)| match &r.request {
                TrafficRequest::Write(w) => Some((&w.body, at.clone())),
                _ => None,
            })
            .collect();
        let read_back = self.read_back(&t.read_back, &bodies);
        Traffic {
            rate: self.bounded(t.rate.as_ref(), "traffic.rate", 50, RATE),
            concurrency: self.bounded(t.concurrency.as_ref(), "traffic.concurrency", 8, IN_FLIGHT),
            request_timeout: self.short_duration(
                t.request_timeout.as_ref(),
                "traffic.request-timeout",
                Duration::from_secs(2),
                LONGEST_REQUEST,
            ),
            observe_after: self.duration(
                t.observe_after.as_ref(),
                "traffic.observe-after",
                Duration::from_millis(500),
                true,
            ),
            seed: t.seed.as_ref().map(|s| *s.get_ref()),
            requests,
            read_back,
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

    pub(super) fn method(&mut self, value: Option<&S<String>>, key: &str, default: &str) -> String {
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

    pub(super) fn statuses(
        &mut self,
        value: Option<&S<Vec<S<u16>>>>,
        key: &str,
        default: &[u16],
    ) -> Vec<u16> {
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

    /// `pointer` must name a value in the body of the write written at `body_key`
    /// (`traffic.write`, `traffic.request[2]`).
    pub(super) fn in_request(
        &mut self,
        at: (&Body, &str),
        pointer: &str,
        span: Range<usize>,
        key: &str,
    ) {
        let (body, body_key) = at;
        match has_field(body, pointer) {
            Some(true) => {}
            Some(false) => {
                let what = if matches!(body, Body::Form(_)) {
                    "form"
                } else {
                    "json"
                };
                let message = format!("`{pointer}` is not in the {body_key}.{what} body");
                self.error(span, key, message);
            }
            None => {
                let message = format!("points into the request body, but {body_key} has no body");
                self.error(span, key, message);
            }
        }
    }

    fn read_back(&mut self, raw: &S<RawReadBack>, writes: &[(&Body, String)]) -> ReadBack {
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
                    let anywhere = writes
                        .iter()
                        .any(|(b, _)| has_field(b, &pointer) == Some(true));
                    if let (false, [(body, body_key)]) = (anywhere, writes) {
                        self.in_request((body, body_key), &pointer, f.span(), &key);
                    } else if !anywhere && pointer.starts_with('/') && !writes.is_empty() {
                        let message = format!("`{pointer}` is in no write's body");
                        self.error(f.span(), &key, message);
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

    /// A `[[smoke]]` request: a check after the rollback named `smoke[i]`, its path sent as
    /// written.
    pub(super) fn smoke(&mut self, index: usize, raw: &S<RawCheck>) -> Check {
        let (s, key) = (raw.get_ref(), format!("smoke[{index}]"));
        Check {
            name: key.clone(),
            at: Phase::DuringVerification,
            save: None,
            method: self.method(s.method.as_ref(), &format!("{key}.method"), "GET"),
            path: Template::literal(&self.http_path(&s.path, &format!("{key}.path"), &[])),
            body: self.body(s.json.as_ref(), s.form.as_ref(), &key, NO_KEY),
            expect_status: self.statuses(
                s.expect_status.as_ref(),
                &format!("{key}.expect-status"),
                &[200],
            ),
        }
    }
}

/// Whether `pointer` names a value in a request body: a JSON body rendered with stand-in
/// values, or a form body, which the engine reads as an object of its fields. `None`: no body.
/// A JSON body that is not valid is reported on its own, and counts as holding it.
pub(super) fn has_field(body: &Body, pointer: &str) -> Option<bool> {
    match body {
        Body::Json(t) => {
            let value = serde_json::from_str::<serde_json::Value>(&t.stand_in());
            Some(value.map_or(true, |v| v.pointer(pointer).is_some()))
        }
        Body::Form(t) => {
            let mut fields = t.as_str().split('&').filter_map(|kv| kv.split_once('='));
            Some(fields.any(|(k, _)| Some(k) == pointer.strip_prefix('/')))
        }
        Body::None => None,
    }
}
