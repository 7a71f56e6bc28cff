//! `Observer`: what each acknowledged write looked like shortly after it was acknowledged, read
//! back in the background before the rollback, for the `writes` oracle to compare with what
//! the restored release serves. A field is kept as a digest of its value, and only writes
//! acknowledged since the last look are read, so memory and work stay small per write
//! however long the drill runs.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use futures_util::stream::{self, StreamExt};
use serde_json::Value;

use super::writes::fetch;
use crate::scenario::ReadBack;
use crate::traffic::{Ack, Client};

/// Field digests seen per write, and which writes are still to be read.
#[derive(Clone)]
pub struct Observer {
    /// The read-back request and the fields compared; None when the scenario has no HTTP
    /// read-back with fields, and nothing is observed.
    read: Option<Arc<HttpRead>>,
    state: Arc<Mutex<State>>,
}

struct HttpRead {
    method: String,
    path: String,
    fields: Vec<String>,
}

/// The most writes waiting to be read: past it the oldest are dropped (the audit counts them
/// as not observed), so memory follows the rate, not the drill's length.
const MOST_UNREAD: usize = 20_000;
/// The most reads in one look, so stopping the observer never waits on a long backlog.
const MOST_PER_LOOK: usize = 1_024;

#[derive(Default)]
struct State {
    /// Per write (by sequence number): (index into `fields`, digest of the value) of each
    /// field that was there and not null.
    seen: HashMap<u64, Box<[(u16, u64)]>>,
    /// How many of the log's acknowledgements have been taken.
    taken: usize,
    /// Taken but not read yet: the read failed or found nothing; tried again next time.
    unread: Vec<(u64, String)>,
}

impl Observer {
    /// An observer of the fields `read_back` names.
    pub fn new(read_back: &ReadBack) -> Observer {
        let read = match read_back {
            ReadBack::Http {
                method,
                path,
                fields,
            } if !fields.is_empty() => Some(Arc::new(HttpRead {
                method: method.clone(),
                path: path.clone(),
                // More fields than a u16 indexes are never compared (validation bounds them).
                fields: fields.iter().take(u16::MAX as usize).cloned().collect(),
            })),
            _ => None,
        };
        Observer {
            read,
            state: Arc::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the writes acknowledged since the last call (`acks` is the whole log, in order)
    /// into the list to read. Cheap: it copies only the new tail.
    pub fn take(&self, acks: &[Ack]) {
        if self.read.is_none() {
            return;
        }
        let mut st = self.state();
        let from = st.taken.min(acks.len());
        let new: Vec<_> = acks[from..]
            .iter()
            .map(|a| (a.seq, a.key.clone()))
            .collect();
        st.unread.extend(new);
        st.taken = acks.len();
        let excess = st.unread.len().saturating_sub(MOST_UNREAD);
        st.unread.drain(..excess);
    }

    /// Whether fields are compared at all (an HTTP read-back with fields).
    pub fn compares_fields(&self) -> bool {
        self.read.is_some()
    }

    /// Reads back every write taken and not yet read, from the release at `addr`.
    pub async fn observe(&self, client: &Client, addr: SocketAddr) {
        let Some(read) = self.read.clone() else {
            return;
        };
        let due: Vec<_> = {
            let mut st = self.state();
            let n = st.unread.len().min(MOST_PER_LOOK);
            st.unread.drain(..n).collect()
        };
        let reads = due.into_iter().map(|(seq, key)| {
            let (client, read) = (client.clone(), read.clone());
            async move {
                let r = fetch(&client, addr, &read.method, &read.path, &key).await;
                (seq, key, r)
            }
        });
        let results: Vec<_> = stream::iter(reads).buffer_unordered(8).collect().await;
        let mut st = self.state();
        for (seq, key, r) in results {
            match r {
                Ok(Some(v)) => {
                    let present = read
                        .fields
                        .iter()
                        .enumerate()
                        .filter_map(|(i, f)| {
                            let x = v.pointer(f).filter(|x| !x.is_null())?;
                            Some((i as u16, digest(x)))
                        })
                        .collect();
                    st.seen.insert(seq, present);
                }
                // Tried again at the next look, behind what is newer.
                _ => st.unread.push((seq, key)),
            }
        }
    }

    /// The fields of write `seq` that were there before the rollback and are not in `now`
    /// with the same value; None when the write was never observed. The second value is how
    /// many fields were observed.
    pub fn changed<'a>(&'a self, seq: u64, now: &Value) -> Option<(Vec<&'a str>, usize)> {
        let read = self.read.as_ref()?;
        let st = self.state();
        let seen = st.seen.get(&seq)?;
        let changed = seen
            .iter()
            .filter(|(i, d)| {
                let f = &read.fields[*i as usize];
                now.pointer(f).map(digest) != Some(*d)
            })
            .map(|(i, _)| read.fields[*i as usize].as_str())
            .collect();
        Some((changed, seen.len()))
    }
}

/// A digest of a JSON value's text: equal values give equal digests within one process.
fn digest(v: &Value) -> u64 {
    let mut h = DefaultHasher::new();
    v.to_string().hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn observer(fields: &[&str]) -> Observer {
        Observer::new(&ReadBack::Http {
            method: "GET".into(),
            path: "/entries/{key}".into(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
        })
    }

    fn seen(o: &Observer, seq: u64, v: Value) {
        let read = o.read.clone().unwrap();
        let present = read
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i as u16, digest(v.pointer(f).filter(|x| !x.is_null())?))))
            .collect();
        o.state().seen.insert(seq, present);
    }

    #[test]
    fn a_field_gone_or_changed_is_named_an_unchanged_one_is_not() {
        let o = observer(&["/amount", "/memo", "/tag"]);
        seen(&o, 1, json!({"amount": 5, "memo": "m", "tag": null}));
        let (changed, observed) = o.changed(1, &json!({"amount": 5})).unwrap();
        assert_eq!((changed, observed), (vec!["/memo"], 2));
        let (changed, _) = o.changed(1, &json!({"amount": 6, "memo": "m"})).unwrap();
        assert_eq!(changed, ["/amount"]);
        assert!(o.changed(2, &json!({})).is_none(), "never observed");
    }

    #[test]
    fn only_new_acknowledgements_are_taken() {
        let o = observer(&["/amount"]);
        let ack = |seq: u64| Ack {
            seq,
            key: format!("k{seq}"),
            at: std::time::Instant::now(),
        };
        let mut log = vec![ack(1), ack(2)];
        o.take(&log);
        log.push(ack(3));
        o.take(&log);
        let keys: Vec<u64> = o.state().unread.iter().map(|(s, _)| *s).collect();
        assert_eq!(keys, [1, 2, 3]);
    }

    #[test]
    fn the_backlog_keeps_the_newest_and_stays_bounded() {
        let o = observer(&["/amount"]);
        let acks: Vec<Ack> = (0..MOST_UNREAD as u64 + 5)
            .map(|seq| Ack {
                seq,
                key: format!("k{seq}"),
                at: std::time::Instant::now(),
            })
            .collect();
        o.take(&acks);
        let st = o.state();
        assert_eq!(st.unread.len(), MOST_UNREAD);
        assert_eq!(st.unread[0].0, 5, "the oldest went first");
    }

    #[test]
    fn without_fields_nothing_is_kept() {
        let o = observer(&[]);
        o.take(&[Ack {
            seq: 1,
            key: "k".into(),
            at: std::time::Instant::now(),
        }]);
        assert!(o.state().unread.is_empty());
    }
}
