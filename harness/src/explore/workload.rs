//! The workload's part of the exploration space (`Workload`): which of the scenario's request
//! kinds a case sends, and for each generated value in their templates whether it is drawn
//! per request or pinned to an edge of its domain. Cases shrink toward a single write kind and
//! the simplest edges, so a minimal case's file shows the one request and the value that
//! reach the hazard, written as literal text.

use proptest::prelude::*;

use crate::scenario::{Body, Part, Template, Traffic, TrafficRequest};
use crate::traffic::{edges, rendered};

/// Placeholders a case may pin at most (the first ones, in file order).
pub const MAX_PINS: usize = 16;

/// A generated value is left free in 3 cases out of `FREE_OUT_OF`, and pinned to one of its
/// edges in the others: free values find what no edge reaches, pinned ones make every request
/// of the case carry that edge.
const FREE_OUT_OF: u32 = 4;

/// A kind is sent in a generated case with this probability.
const KIND_KEPT: f64 = 0.8;

/// One placeholder that can be pinned: where it is, and the literal text of each edge, written
/// for its context.
#[derive(Debug, Clone)]
struct Site {
    /// Index of the request kind in the scenario's traffic.
    kind: usize,
    /// In the path (false) or the body (true).
    body: bool,
    /// Index of the placeholder's part in that template.
    part: usize,
    /// Each edge as the request would carry it, simplest first.
    literals: Vec<String>,
}

/// What a case may vary in the scenario's workload.
#[derive(Debug, Clone)]
pub struct Workload {
    kinds: usize,
    sites: Vec<Site>,
}

impl Workload {
    /// The request kinds and pinnable placeholders of `traffic`.
    pub fn of(traffic: &Traffic) -> Workload {
        let mut sites = Vec::new();
        for (kind, r) in traffic.requests.iter().enumerate() {
            let (path, body) = templates(&r.request);
            for (in_body, t) in [(false, Some(path)), (true, body)] {
                let Some(t) = t else { continue };
                for (part, p) in t.parts().iter().enumerate() {
                    let Part::Fill(fill, context) = p else {
                        continue;
                    };
                    let literals: Vec<String> =
                        edges(fill).iter().map(|e| rendered(e, *context)).collect();
                    if !literals.is_empty() {
                        sites.push(Site {
                            kind,
                            body: in_body,
                            part,
                            literals,
                        });
                    }
                }
            }
        }
        sites.truncate(MAX_PINS);
        Workload {
            kinds: traffic.requests.len(),
            sites,
        }
    }

    /// Which kinds are kept, and a choice per pinnable placeholder (below its number of edges:
    /// pinned to that edge; otherwise free). Shrinks toward no kind kept (one write stays) and
    /// every placeholder pinned to its simplest edge.
    pub fn strategy(&self) -> BoxedStrategy<(Vec<bool>, Vec<u32>)> {
        let keep = prop::collection::vec(prop::bool::weighted(KIND_KEPT), self.kinds);
        let values: Vec<_> = self
            .sites
            .iter()
            .map(|s| 0..(s.literals.len() as u32 * FREE_OUT_OF))
            .collect();
        (keep, values).boxed()
    }

    /// The workloads one step simpler than (`kinds`, `values`), simplest step first: each
    /// kept kind dropped, then each placeholder pinned to an edge simpler than its own (a free
    /// one to any edge).
    pub fn simpler(&self, kinds: &[bool], values: &[u32]) -> Vec<(Vec<bool>, Vec<u32>)> {
        let mut out = Vec::new();
        for (i, kept) in kinds.iter().enumerate() {
            if *kept {
                let mut k = kinds.to_vec();
                k[i] = false;
                out.push((k, values.to_vec()));
            }
        }
        for (i, (site, value)) in self.sites.iter().zip(values).enumerate() {
            let edges = site.literals.len() as u32;
            for edge in 0..(*value).min(edges) {
                let mut v = values.to_vec();
                v[i] = edge;
                out.push((kinds.to_vec(), v));
            }
        }
        out
    }

    /// `traffic` with the case's choices applied: pinned values written in as literal text,
    /// and only the kept kinds sent (the first write is kept when the case keeps none).
    pub fn apply(&self, traffic: &mut Traffic, keep: &[bool], values: &[u32]) {
        // Later parts first, so pinning one leaves the indices of the others in place.
        for (site, value) in self.sites.iter().zip(values).rev() {
            let Some(literal) = site.literals.get(*value as usize) else {
                continue;
            };
            let Some(r) = traffic.requests.get_mut(site.kind) else {
                continue;
            };
            let (path, body) = templates_mut(&mut r.request);
            let t = if site.body { body } else { Some(path) };
            if let Some(t) = t {
                *t = t.pin(site.part, literal);
            }
        }
        let is_write: Vec<bool> = traffic
            .requests
            .iter()
            .map(|r| matches!(r.request, TrafficRequest::Write(_)))
            .collect();
        let mut kept: Vec<bool> = (0..is_write.len())
            .map(|i| keep.get(i).copied().unwrap_or(true))
            .collect();
        if !kept.iter().zip(&is_write).any(|(k, w)| *k && *w) {
            if let Some(first) = is_write.iter().position(|w| *w) {
                kept[first] = true;
            }
        }
        let mut kept = kept.into_iter();
        traffic.requests.retain(|_| kept.next().unwrap_or(true));
        // A kind sent alone needs no weight; weight 1 writes it back as `[traffic.write]`.
        if let [only] = traffic.requests.as_mut_slice() {
            only.weight = 1;
        }
    }
}

fn templates(r: &TrafficRequest) -> (&Template, Option<&Template>) {
    let (path, body) = match r {
        TrafficRequest::Write(w) => (&w.path, &w.body),
        TrafficRequest::Read(p) | TrafficRequest::Plain(p) => (&p.path, &p.body),
    };
    (path, body_template(body))
}

fn templates_mut(r: &mut TrafficRequest) -> (&mut Template, Option<&mut Template>) {
    let (path, body) = match r {
        TrafficRequest::Write(w) => (&mut w.path, &mut w.body),
        TrafficRequest::Read(p) | TrafficRequest::Plain(p) => (&mut p.path, &mut p.body),
    };
    let body = match body {
        Body::Json(t) | Body::Form(t) => Some(t),
        Body::None => None,
    };
    (path, body)
}

fn body_template(body: &Body) -> Option<&Template> {
    match body {
        Body::Json(t) | Body::Form(t) => Some(t),
        Body::None => None,
    }
}

#[cfg(test)]
mod tests;
