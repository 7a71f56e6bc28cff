//! The plan's warmup step: the workload's requests, its rate and how writes are read back.

use super::super::model::*;
use super::d;

/// The warmup step's text: what the workload sends and how its writes are read back.
pub(super) fn warmup(s: &Scenario) -> String {
    let t = &s.traffic;
    let keyed = |w: &WriteRequest| {
        let key = match &w.key {
            KeySource::Response(p) => format!("response {p}"),
            KeySource::Request(p) => format!("request {p}"),
        };
        format!("acknowledged on {:?}, keyed by {key}", w.ack_status)
    };
    let read_back = match &t.read_back {
        ReadBack::Http {
            method,
            path,
            fields,
        } if fields.is_empty() => format!("{method} {path}"),
        ReadBack::Http {
            method,
            path,
            fields,
        } => {
            format!("{method} {path} comparing {}", fields.join(", "))
        }
        ReadBack::Sql { query } => format!("SQL `{query}`"),
    };
    let sent = match t.requests.as_slice() {
        [WeightedRequest {
            request: TrafficRequest::Write(w),
            ..
        }] => format!("{} {} at {} req/s", w.method, w.path, t.rate),
        mix => {
            let kinds: Vec<String> = mix
                .iter()
                .map(|r| match &r.request {
                    TrafficRequest::Write(w) => {
                        format!(
                            "{} {} (write, weight {}, {})",
                            w.method,
                            w.path,
                            r.weight,
                            keyed(w)
                        )
                    }
                    TrafficRequest::Read(p) | TrafficRequest::Plain(p) => format!(
                        "{} {} ({}, weight {}, expecting {:?})",
                        p.method,
                        p.path,
                        r.request.kind(),
                        r.weight,
                        p.expect_status
                    ),
                })
                .collect();
            format!("{} req/s of {}", t.rate, kinds.join(", "))
        }
    };
    let acknowledged = match t.requests.as_slice() {
        [WeightedRequest {
            request: TrafficRequest::Write(w),
            ..
        }] => format!(", {}", keyed(w)),
        _ => String::new(),
    };
    format!(
        "Warm up for {}: {sent} ({} in flight at most, {} timeout){acknowledged}; read back via \
         {read_back} (traffic keeps running until the oracles)",
        d(s.deploy.warmup),
        t.concurrency,
        d(t.request_timeout),
    )
}
