//! The workload's part of the validated scenario: `Traffic`, its request kinds
//! (`WeightedRequest`, `TrafficRequest`), bodies, keys and the read-back.

use std::time::Duration;

use crate::scenario::template::Template;
pub use crate::vocab::RequestKind;

/// The workload that runs for the whole drill.
#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    /// Requests per second, all kinds together.
    pub rate: u32,
    /// Concurrent in-flight requests at most.
    pub concurrency: u32,
    /// How long one request may take before it counts as failed (default 2 s).
    pub request_timeout: Duration,
    /// How long traffic keeps running after the rollback is verified, to see whether the
    /// previous release fails where the new one did not.
    pub observe_after: Duration,
    /// Seed of the generated values and of the mix of kinds; `None` when the file gives
    /// none, and the drill is then run with a seed drawn for it.
    pub seed: Option<u64>,
    /// The kinds of request sent, each with its weight: at least one write. A file with a
    /// single `[traffic.write]` has that write alone, with weight 1.
    pub requests: Vec<WeightedRequest>,
    /// How each acknowledged write is looked up again after the rollback.
    pub read_back: ReadBack,
}

impl Traffic {
    /// The write kinds, in file order (never empty once validated).
    pub fn writes(&self) -> impl Iterator<Item = &WriteRequest> {
        self.requests.iter().filter_map(|r| match &r.request {
            TrafficRequest::Write(w) => Some(w),
            _ => None,
        })
    }
}

/// One kind of request in the workload and how often it is sent relative to the others
/// (`[[traffic.request]]`, or `[traffic.write]` alone).
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedRequest {
    /// Relative weight, at least 1: a kind of weight 3 is sent three times as often as one
    /// of weight 1.
    pub weight: u32,
    /// What is sent.
    pub request: TrafficRequest,
}

/// What one kind of request sends, and what an answer means.
#[derive(Debug, Clone, PartialEq)]
pub enum TrafficRequest {
    /// A write: acknowledged by its status, its key kept.
    Write(WriteRequest),
    /// A read of an earlier acknowledged write's key (`{key}` in its path or body).
    Read(PlainRequest),
    /// A request with no key, such as a list.
    Plain(PlainRequest),
}

impl TrafficRequest {
    /// The kind's name.
    pub fn kind(&self) -> RequestKind {
        match self {
            TrafficRequest::Write(_) => RequestKind::Write,
            TrafficRequest::Read(_) => RequestKind::Read,
            TrafficRequest::Plain(_) => RequestKind::Plain,
        }
    }
}

/// A read or keyless request of the workload: it succeeds when it answers an expected status.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainRequest {
    /// HTTP method, upper case (default `GET`).
    pub method: String,
    /// Request path template, starting with `/`.
    pub path: Template,
    /// Request body template.
    pub body: Body,
    /// Status codes that count as a success (default `[200]`).
    pub expect_status: Vec<u16>,
}

/// A write request of the workload (`[traffic.write]`, or a `kind = "write"` request).
#[derive(Debug, Clone, PartialEq)]
pub struct WriteRequest {
    /// HTTP method, upper case (default `POST`).
    pub method: String,
    /// Request path template, starting with `/`.
    pub path: Template,
    /// Request body template.
    pub body: Body,
    /// Status codes that mean "acknowledged".
    pub ack_status: Vec<u16>,
    /// Where the acknowledged write's key is read from, for the read-back.
    pub key: KeySource,
}

/// A request body template, its placeholders parsed (`{seq}`, `{run}`, generators).
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body.
    None,
    /// A JSON body template, sent as `application/json`.
    Json(Template),
    /// A form body template (`a=1&b=2`), sent as `application/x-www-form-urlencoded`.
    Form(Template),
}

/// Where the key of an acknowledged write comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum KeySource {
    /// A JSON pointer into the response body (e.g. `/id`).
    Response(String),
    /// A JSON pointer into the rendered request body (e.g. `/email`).
    Request(String),
}

/// How to check that an acknowledged write is still there.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadBack {
    /// `{key}` is substituted in the path; 2xx means present. `fields` are JSON pointers
    /// whose values in the response must equal those in the written request body.
    Http {
        /// HTTP method, upper case (default `GET`).
        method: String,
        /// Request path, starting with `/`, with `{key}` standing for the write's key.
        path: String,
        /// JSON pointers (e.g. `/amount`) compared between written and read-back bodies.
        fields: Vec<String>,
    },
    /// A query with `$1` bound to the key (as text); one row means present.
    Sql {
        /// SQL text run against the drill's database; it uses `$1`.
        query: String,
    },
}
