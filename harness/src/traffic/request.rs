//! One request of the workload: choosing its kind by weight and rendering it (`prepare`), then
//! sending it and classifying the answer (`send_prepared`).

use std::net::SocketAddr;
use std::time::Instant;

use super::generate::Draw;
use super::template::{as_json, fill, key_at, render_body, Rendered};
use super::{send, Ack, Client, Outcome, Sample};
use crate::scenario::{KeySource, TrafficRequest, WeightedRequest};

/// A request rendered and ready to send: which kind (an index into the traffic's requests),
/// and its path and body with every placeholder filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// Index of the request kind in `Traffic::requests`.
    pub kind: usize,
    /// The path, placeholders filled and encoded.
    pub path: String,
    /// The body, placeholders filled and encoded.
    pub body: Rendered,
}

/// The sum of the weights, which `prepare` draws below.
pub fn total_weight(requests: &[WeightedRequest]) -> u64 {
    requests.iter().map(|r| u64::from(r.weight)).sum()
}

/// Draws request `draw.seq`'s kind and renders it. A read takes its key from `keys` (the
/// acknowledged writes so far, by index), at random; with none yet it is not sent (`None`).
pub fn prepare(
    requests: &[WeightedRequest],
    total: u64,
    draw: &mut Draw,
    keys: impl FnOnce(&mut Draw) -> Option<String>,
) -> Option<Prepared> {
    let mut at = draw.below(total);
    let kind = requests.iter().position(|r| {
        let inside = at < u64::from(r.weight);
        at = at.saturating_sub(u64::from(r.weight));
        inside
    })?;
    let (path, body) = match &requests[kind].request {
        TrafficRequest::Write(w) => (&w.path, &w.body),
        TrafficRequest::Read(p) => {
            draw.key = Some(keys(draw)?);
            (&p.path, &p.body)
        }
        TrafficRequest::Plain(p) => (&p.path, &p.body),
    };
    let path = fill(path, draw);
    let body = render_body(body, draw);
    Some(Prepared { kind, path, body })
}

/// Sends a prepared request of sequence number `seq` and classifies the answer.
pub async fn send_prepared(
    client: &Client,
    requests: &[WeightedRequest],
    addr: Option<SocketAddr>,
    seq: u64,
    prepared: &Prepared,
) -> (Sample, Option<Ack>) {
    let request = &requests[prepared.kind].request;
    let method = match request {
        TrafficRequest::Write(w) => &w.method,
        TrafficRequest::Read(p) | TrafficRequest::Plain(p) => &p.method,
    };
    let sent = Instant::now();
    let result = match addr {
        Some(addr) => send(client, addr, method, &prepared.path, &prepared.body).await,
        None => Err("no release serving".to_string()),
    };
    let done = Instant::now();
    let (outcome, ack) = match (result, request) {
        (Err(error), _) => (Outcome::Failed { error }, None),
        (Ok(resp), TrafficRequest::Write(w)) if w.ack_status.contains(&resp.status) => {
            let key = match &w.key {
                KeySource::Response(p) => key_at(&resp.json(), p),
                KeySource::Request(p) => key_at(&as_json(&prepared.body), p),
            };
            match key {
                Some(key) => {
                    let ack = Ack { seq, key, at: done };
                    (Outcome::Acked, Some(ack))
                }
                None => {
                    let error = "acknowledged without a key".into();
                    (Outcome::Failed { error }, None)
                }
            }
        }
        (Ok(resp), TrafficRequest::Read(p) | TrafficRequest::Plain(p))
            if p.expect_status.contains(&resp.status) =>
        {
            (
                Outcome::Answered {
                    status: resp.status,
                },
                None,
            )
        }
        (Ok(resp), _) => (
            Outcome::Rejected {
                status: resp.status,
            },
            None,
        ),
    };
    let sample = Sample {
        seq,
        sent,
        done,
        outcome,
    };
    (sample, ack)
}

#[cfg(test)]
mod tests;
