//! Drawing the values a request's placeholders fill in (`Draw`): one small generator per
//! request, seeded from the run's seed and the request's sequence number, so request n has the
//! same values in every run with that seed, whatever order requests finish in.
//!
//! Boundary bias: one draw in `EDGE_SHARE_OF` of every generator is an edge of its domain
//! (both ends of a range, 0 when a range holds it, the empty text when lengths start at 0,
//! the first and last choice, the nil and max UUID, the shortest and longest email), because
//! new code paths hide at the edges.

use std::borrow::Cow;

use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;

use crate::scenario::{rfc3339, Fill};

/// One draw in this many is an edge of the generator's domain (25%).
pub const EDGE_SHARE_OF: u32 = 4;

/// What `{text}` draws its characters from: mostly letters and digits, with a space,
/// punctuation, quotes, a backslash and non-ASCII letters mixed in, each once.
const ALPHABET: &[char] = &[
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's',
    't', 'u', 'v', 'w', 'x', 'y', 'z', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L',
    'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', '0', '1', '2', '3', '4',
    '5', '6', '7', '8', '9', ' ', '-', '.', ',', '\'', '"', '\\', '/', '&', 'é', 'ß', '日', '😀',
];

/// `{email}`'s local part: 1 to 20 of these, or at an edge 1 or 64 (the longest RFC 5321 allows).
const EMAIL_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const EMAIL_LONGEST: usize = 64;

/// A value drawn for one placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Drawn<'a> {
    /// A number, written bare in JSON.
    Int(i64),
    /// `true` or `false`, written bare in JSON.
    Bool(bool),
    /// Text, quoted in JSON.
    Text(Cow<'a, str>),
    /// Text as written by the author or the app (a choice, a key): bare in JSON when it is a
    /// JSON number, `true`, `false` or `null`, quoted otherwise.
    Written(Cow<'a, str>),
}

/// The source of one request's values.
pub struct Draw<'a> {
    rng: XorShiftRng,
    /// The request's sequence number.
    pub seq: u64,
    /// The run id.
    pub run: &'a str,
    /// The key a read request uses (`None` for other requests).
    pub key: Option<String>,
    /// Values earlier checks saved, by check name (checks only).
    pub saved: Vec<(String, String)>,
}

impl<'a> Draw<'a> {
    /// The values of request `seq` in a run seeded with `seed`.
    pub fn new(seed: u64, seq: u64, run: &'a str) -> Draw<'a> {
        // seed_from_u64 scrambles its input, so neighbouring requests draw unrelated values.
        let state = seed ^ seq.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Draw {
            rng: XorShiftRng::seed_from_u64(state),
            seq,
            run,
            key: None,
            saved: Vec::new(),
        }
    }

    /// An index below `n` (at least 1), for choosing a request kind or a key.
    pub fn below(&mut self, n: u64) -> u64 {
        self.rng.random_range(0..n.max(1))
    }

    /// The value of `fill` for this request.
    pub fn value<'f>(&mut self, fill: &'f Fill) -> Drawn<'f>
    where
        'a: 'f,
    {
        let edge = self.rng.random_ratio(1, EDGE_SHARE_OF);
        match fill {
            Fill::Seq => Drawn::Int(i64::try_from(self.seq).unwrap_or(i64::MAX)),
            Fill::Run => Drawn::Text(Cow::Borrowed(self.run)),
            Fill::Key => Drawn::Written(Cow::Owned(self.key.clone().unwrap_or_default())),
            Fill::Saved(name) => {
                let value = self.saved.iter().find(|(n, _)| n == name);
                Drawn::Written(Cow::Owned(
                    value.map(|(_, v)| v.clone()).unwrap_or_default(),
                ))
            }
            Fill::Bool => Drawn::Bool(self.rng.random_bool(0.5)),
            Fill::Int { lo, hi } => Drawn::Int(if edge {
                let zero = (*lo < 0 && *hi > 0).then_some(0);
                self.edge(&[Some(*lo), Some(*hi), zero])
            } else {
                self.rng.random_range(*lo..=*hi)
            }),
            Fill::Choice(values) => {
                let last = values.len().saturating_sub(1);
                let i = match edge {
                    true => self.edge(&[Some(0), Some(last)]),
                    false => self.rng.random_range(0..=last),
                };
                Drawn::Written(Cow::Borrowed(values.get(i).map_or("", String::as_str)))
            }
            Fill::Text { min, max } => {
                let len = match edge {
                    true => self.edge(&[Some(*min), Some(*max)]),
                    false => self.rng.random_range(*min..=*max),
                };
                let text = (0..len)
                    .map(|_| ALPHABET[self.rng.random_range(0..ALPHABET.len())])
                    .collect();
                Drawn::Text(Cow::Owned(text))
            }
            Fill::Uuid => {
                let id = match edge {
                    true if self.rng.random_bool(0.5) => uuid::Uuid::nil(),
                    true => uuid::Uuid::max(),
                    false => uuid::Builder::from_random_bytes(self.rng.random()).into_uuid(),
                };
                Drawn::Text(Cow::Owned(id.hyphenated().to_string()))
            }
            Fill::Email => {
                let len = match edge {
                    true => self.edge(&[Some(1), Some(EMAIL_LONGEST)]),
                    false => self.rng.random_range(1..=20),
                };
                let local: String = (0..len)
                    .map(|_| char::from(EMAIL_CHARS[self.rng.random_range(0..EMAIL_CHARS.len())]))
                    .collect();
                Drawn::Text(Cow::Owned(format!("{local}@example.com")))
            }
            Fill::Timestamp { lo, hi } => {
                let at = match edge {
                    true => self.edge(&[Some(*lo), Some(*hi)]),
                    false => self.rng.random_range(*lo..=*hi),
                };
                Drawn::Text(Cow::Owned(rfc3339(at)))
            }
        }
    }

    /// One of the edges that exist, uniformly.
    fn edge<T: Copy + Default>(&mut self, edges: &[Option<T>]) -> T {
        let present: usize = edges.iter().flatten().count();
        let i = self.rng.random_range(0..present.max(1));
        edges.iter().flatten().nth(i).copied().unwrap_or_default()
    }
}

/// The edges of a generator's domain as fixed values, simplest first (0 when a range holds it, then
/// the lower bound; the shortest text; the first choice), for pinning a placeholder to one; empty for placeholders
/// whose value is not drawn (`{seq}`, `{run}`, `{key}`, `{saved}`). Text edges are `x`
/// repeated, so a pinned value reads plainly in a file.
pub fn edges(fill: &Fill) -> Vec<Drawn<'_>> {
    let text = |n: usize| Drawn::Text(Cow::Owned("x".repeat(n)));
    let mut out = match fill {
        Fill::Seq | Fill::Run | Fill::Key | Fill::Saved(_) => Vec::new(),
        Fill::Bool => vec![Drawn::Bool(false), Drawn::Bool(true)],
        Fill::Int { lo, hi } => {
            let zero = (*lo < 0 && *hi > 0).then_some(Drawn::Int(0));
            [zero, Some(Drawn::Int(*lo)), Some(Drawn::Int(*hi))]
                .into_iter()
                .flatten()
                .collect()
        }
        Fill::Choice(values) => [values.first(), values.last()]
            .into_iter()
            .flatten()
            .map(|v| Drawn::Written(Cow::Borrowed(v.as_str())))
            .collect(),
        Fill::Text { min, max } => vec![text(*min as usize), text(*max as usize)],
        Fill::Uuid => [uuid::Uuid::nil(), uuid::Uuid::max()]
            .iter()
            .map(|u| Drawn::Text(Cow::Owned(u.hyphenated().to_string())))
            .collect(),
        Fill::Email => [1, EMAIL_LONGEST]
            .iter()
            .map(|n| Drawn::Text(Cow::Owned(format!("{}@example.com", "a".repeat(*n)))))
            .collect(),
        Fill::Timestamp { lo, hi } => vec![
            Drawn::Text(Cow::Owned(rfc3339(*lo))),
            Drawn::Text(Cow::Owned(rfc3339(*hi))),
        ],
    };
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
