//! The `writes` oracle: every write the app acknowledged is still served after the rollback —
//! the app's view, beside the `data` oracle's view of the database. A write the restored
//! release answers "not found" for is lost to it; one whose read-back errors is unreadable.
//!
//! The `Observer` (observer.rs) reads each acknowledged write back shortly after it was
//! acknowledged, so the audit knows which fields a write really had before the rollback; a
//! field that was there then and is gone after is a lost field (e.g. a column the down
//! migration dropped).

use crate::vocab::Oracle;
use std::net::SocketAddr;
use std::time::Instant;

use futures_util::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::postgres::PgPool;

use super::Observer;
use super::OracleResult;
use crate::scenario::{AllowedLoss, ReadBack};
use crate::traffic::{send, Ack, Client, Rendered};

/// What the audit found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WriteAudit {
    pub acknowledged: usize,
    pub readable: usize,
    /// Writes the restored release answers "not found" for (or a reused key names another
    /// record), not allowed to go.
    pub lost_writes: Vec<String>,
    /// Writes whose read-back errored (e.g. a 5xx): the restored release cannot serve them.
    pub unreadable_writes: Vec<String>,
    /// Writes lost that the scenario allows (acknowledged after the restored snapshot).
    pub lost_since_snapshot: usize,
    /// `key field` pairs whose value was there before the rollback and is not now.
    pub lost_fields: Vec<String>,
    /// Lost fields the scenario declared allowed.
    pub allowed_lost_fields: usize,
    /// Fields the restored release no longer returns while the database still holds every
    /// value (the data oracle found nothing lost): an older release not knowing a field.
    pub fields_not_returned: usize,
    /// Keys that now name a different record than the one acknowledged.
    pub reused_keys: usize,
    /// Readable writes whose fields were not compared: the observer had not read them back
    /// before the rollback (acknowledged just before it, or more than it could keep up with).
    /// The data oracle still compares their rows.
    #[serde(default)]
    pub unobserved: usize,
}

/// Where and how acknowledged writes are read back.
pub struct Reader<'a> {
    pub client: &'a Client,
    /// The release serving now (for HTTP read-backs).
    pub addr: Option<SocketAddr>,
    pub pool: &'a PgPool,
    pub read_back: &'a ReadBack,
}

/// Reads back every acknowledged write at the end of the drill: after the rollback, or from
/// the release that kept serving when none happened.
pub async fn check_writes(
    reader: &Reader<'_>,
    acks: &[Ack],
    observer: &Observer,
    allowed: &AllowedLoss,
    snapshot_at: Option<Instant>,
    data_intact: bool,
) -> (OracleResult, WriteAudit) {
    let Reader {
        client,
        addr,
        pool,
        read_back,
    } = *reader;
    let mut audit = WriteAudit {
        acknowledged: acks.len(),
        ..Default::default()
    };
    // Each answer is judged as it arrives: holding every record at once would cost memory
    // by the number of writes, not by the rate.
    let mut results = stream::iter(acks)
        .map(|ack| async move {
            let r = match (read_back, addr) {
                (ReadBack::Http { method, path, .. }, Some(addr)) => {
                    fetch(client, addr, method, path, &ack.key).await
                }
                (ReadBack::Http { .. }, None) => Err("no release serving".to_string()),
                (ReadBack::Sql { query }, _) => sqlx::query(query)
                    .bind(&ack.key)
                    .fetch_optional(pool)
                    .await
                    .map(|row| row.map(|_| Value::Null))
                    .map_err(|e| e.to_string()),
            };
            (ack, r)
        })
        .buffer_unordered(16);
    let mut first_error = None;
    while let Some((ack, r)) = results.next().await {
        let value = match r {
            Ok(Some(v)) => v,
            Err(e) => {
                first_error.get_or_insert(e);
                audit.unreadable_writes.push(ack.key.clone());
                continue;
            }
            Ok(None) => {
                let after_snapshot = snapshot_at.is_some_and(|s| ack.at > s);
                if allowed.writes_since_snapshot && after_snapshot {
                    audit.lost_since_snapshot += 1;
                } else {
                    audit.lost_writes.push(ack.key.clone());
                }
                continue;
            }
        };
        let Some((changed, observed)) = observer.changed(ack.seq, &value) else {
            audit.readable += 1;
            audit.unobserved += usize::from(observer.compares_fields());
            continue;
        };
        if observed > 1 && changed.len() == observed {
            // Every field differs: the key now names another record (an id handed out again
            // after a restore rewound its sequence), so this write is gone.
            audit.reused_keys += 1;
            if allowed.writes_since_snapshot && snapshot_at.is_some_and(|s| ack.at > s) {
                audit.lost_since_snapshot += 1;
            } else {
                audit.lost_writes.push(ack.key.clone());
            }
            continue;
        }
        audit.readable += 1;
        for field in changed {
            if data_intact {
                audit.fields_not_returned += 1;
            } else if allowed.fields.iter().any(|f| f == field) {
                audit.allowed_lost_fields += 1;
            } else {
                audit.lost_fields.push(format!("{} {field}", ack.key));
            }
        }
    }
    audit.lost_writes.sort();
    audit.unreadable_writes.sort();
    audit.lost_fields.sort();
    (verdict_of(&audit, first_error.as_ref()), audit)
}

fn verdict_of(a: &WriteAudit, first_error: Option<&String>) -> OracleResult {
    let mut notes = vec![format!(
        "{} of {} acknowledged writes readable",
        a.readable, a.acknowledged
    )];
    if a.lost_since_snapshot > 0 {
        notes.push(format!(
            "{} written after the snapshot lost (recovery point, allowed)",
            a.lost_since_snapshot
        ));
    }
    if a.reused_keys > 0 {
        notes.push(format!(
            "{} key(s) now name a different record (handed out again after a restore)",
            a.reused_keys
        ));
    }
    if a.allowed_lost_fields > 0 {
        notes.push(format!(
            "{} field value(s) lost as declared",
            a.allowed_lost_fields
        ));
    }
    if a.fields_not_returned > 0 {
        notes.push(format!(
            "{} field value(s) not returned by the restored release; the database still holds them",
            a.fields_not_returned
        ));
    }
    if a.unobserved > 0 {
        notes.push(format!(
            "{} readable write(s) not read back before the rollback, their fields not compared",
            a.unobserved
        ));
    }
    if !a.unreadable_writes.is_empty() {
        let sample: Vec<_> = a.unreadable_writes.iter().take(5).cloned().collect();
        let cause = first_error.map(|e| format!(" ({e})")).unwrap_or_default();
        notes.push(format!(
            "{} acknowledged write(s) unreadable by the restored release, e.g. {}{cause}",
            a.unreadable_writes.len(),
            sample.join(", ")
        ));
    }
    if !a.lost_writes.is_empty() {
        let sample: Vec<_> = a.lost_writes.iter().take(5).cloned().collect();
        notes.push(format!(
            "{} acknowledged write(s) lost (not found), e.g. {}",
            a.lost_writes.len(),
            sample.join(", ")
        ));
    }
    if !a.lost_fields.is_empty() {
        let sample: Vec<_> = a.lost_fields.iter().take(3).cloned().collect();
        notes.push(format!(
            "{} field value(s) LOST, e.g. {}",
            a.lost_fields.len(),
            sample.join(", ")
        ));
    }
    if a.lost_writes.is_empty() && a.unreadable_writes.is_empty() && a.lost_fields.is_empty() {
        OracleResult::pass(Oracle::Writes, notes.join("; "))
    } else {
        OracleResult::fail(Oracle::Writes, notes.join("; "))
    }
}

/// GETs one written record: Ok(Some(json)) when present, Ok(None) when 404, Err otherwise.
pub(super) async fn fetch(
    client: &Client,
    addr: SocketAddr,
    method: &str,
    path: &str,
    key: &str,
) -> Result<Option<Value>, String> {
    let none = Rendered {
        content_type: None,
        text: String::new(),
    };
    let r = send(client, addr, method, &path.replace("{key}", key), &none).await?;
    match r.status {
        200..=299 => Ok(Some(r.json())),
        404 | 410 => Ok(None),
        s => Err(format!(
            "read-back answered {s}: {}",
            r.body.chars().take(160).collect::<String>()
        )),
    }
}
