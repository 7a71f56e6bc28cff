//! `DataSnapshot`: the content of every user table, streamed row by row and kept as hashes —
//! one per row key and one per column value — so the data oracle can say which rows and which
//! values a rollback destroyed without holding the data itself.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use futures_util::TryStreamExt;
use serde::Serialize;
use sqlx::postgres::PgPool;
use sqlx::Row;

use super::DbError;

/// Rows captured per snapshot at most (about 160 bytes each held, so ~160 MB); past it the
/// snapshot says so instead of judging a part.
pub const MAX_ROWS: u64 = 1_000_000;

/// Migration tools' own bookkeeping, which a rollback rewrites by design.
pub const BOOKKEEPING: &[&str] = &[
    "_sqlx_migrations",
    "alembic_version",
    "django_migrations",
    "schema_migrations",
    "ar_internal_metadata",
    "flyway_schema_history",
];

/// The user tables of the `public` schema (partitions through their parent), with their
/// columns in order and their primary key columns.
const TABLES: &str = "
SELECT c.relname AS name,
       array_agg(a.attname::text ORDER BY a.attnum) AS columns,
       array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum) AS types,
       COALESCE((SELECT array_agg(k.attname::text ORDER BY array_position(i.indkey, k.attnum))
                 FROM pg_index i JOIN pg_attribute k
                   ON k.attrelid = i.indrelid AND k.attnum = ANY (i.indkey)
                 WHERE i.indrelid = c.oid AND i.indisprimary), '{}') AS key
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
GROUP BY c.oid, c.relname
ORDER BY c.relname";

/// One row: its values' hashes in column order (`None` for NULL) and, for a table without a
/// key, how many identical rows there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowHashes {
    /// One hash per column, `None` where the value is NULL.
    pub values: Box<[Option<u64>]>,
    /// Identical rows (1 in a keyed table).
    pub count: u32,
}

/// One table's rows by key: the primary key's values, or the whole row without one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TableData {
    /// Column names in order.
    pub columns: Vec<String>,
    /// Each column's declared type, in the same order.
    pub types: Vec<String>,
    /// The primary key's columns; empty when the table has none.
    pub key: Vec<String>,
    /// Rows by the hash of their key.
    #[serde(skip)]
    pub rows: HashMap<u128, RowHashes>,
}

impl TableData {
    /// Where `column` is in this table's rows.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }
}

/// Every user table's rows at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DataSnapshot {
    /// Tables by name.
    pub tables: BTreeMap<String, TableData>,
    /// Rows read in all.
    pub rows: u64,
    /// The snapshot stopped at `MAX_ROWS`; it cannot be judged.
    pub over_limit: bool,
}

impl DataSnapshot {
    /// Reads every user table, streaming its rows.
    pub async fn capture(pool: &PgPool) -> Result<DataSnapshot, DbError> {
        let listed = sqlx::query(TABLES)
            .fetch_all(pool)
            .await
            .map_err(DbError::query("listing tables"))?;
        let mut snap = DataSnapshot::default();
        for t in listed {
            let name: String = t.get("name");
            if BOOKKEEPING.contains(&name.as_str()) {
                continue;
            }
            let table = TableData {
                columns: t.get("columns"),
                types: t.get("types"),
                key: t.get("key"),
                rows: HashMap::new(),
            };
            let table = read_table(pool, &name, table, &mut snap).await?;
            snap.tables.insert(name, table);
            if snap.over_limit {
                break;
            }
        }
        Ok(snap)
    }
}

async fn read_table(
    pool: &PgPool,
    name: &str,
    mut table: TableData,
    snap: &mut DataSnapshot,
) -> Result<TableData, DbError> {
    let cols: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{}::text", quote(c)))
        .collect();
    let sql = format!("SELECT {} FROM {}", cols.join(", "), quote(name));
    let key_at: Vec<usize> = table.key.iter().filter_map(|k| table.position(k)).collect();
    let mut rows = sqlx::query(&sql).fetch(pool);
    let what = || format!("reading table {name}");
    while let Some(row) = rows.try_next().await.map_err(DbError::query(what()))? {
        let mut texts = Vec::with_capacity(table.columns.len());
        for i in 0..table.columns.len() {
            let v: Option<String> = row.try_get(i).map_err(DbError::query(what()))?;
            texts.push(v);
        }
        let key = match key_at.is_empty() {
            true => hash128(texts.iter()),
            false => hash128(key_at.iter().map(|&i| &texts[i])),
        };
        let values = texts.iter().map(|v| v.as_ref().map(hash64)).collect();
        table
            .rows
            .entry(key)
            .and_modify(|r| r.count += 1)
            .or_insert(RowHashes { values, count: 1 });
        snap.rows += 1;
        if snap.rows >= MAX_ROWS {
            snap.over_limit = true;
            break;
        }
    }
    Ok(table)
}

/// An identifier as PostgreSQL reads it back exactly.
fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn hash64(text: &String) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Two independent 64-bit hashes, so keys of millions of rows do not collide in practice.
fn hash128<'a>(parts: impl Iterator<Item = &'a Option<String>> + Clone) -> u128 {
    let mut a = std::hash::DefaultHasher::new();
    let mut b = std::hash::DefaultHasher::new();
    0xa5u8.hash(&mut b);
    for p in parts {
        p.hash(&mut a);
        p.hash(&mut b);
    }
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_exactly() {
        assert_eq!(quote("entries"), "\"entries\"");
        assert_eq!(quote("we\"ird"), "\"we\"\"ird\"");
    }

    #[test]
    fn keys_tell_null_from_empty_and_order_matters() {
        let k = |v: &[Option<&str>]| {
            let v: Vec<Option<String>> = v.iter().map(|x| x.map(String::from)).collect();
            hash128(v.iter())
        };
        assert_ne!(k(&[None]), k(&[Some("")]));
        assert_ne!(k(&[Some("a"), Some("b")]), k(&[Some("b"), Some("a")]));
        assert_ne!(k(&[Some("ab"), Some("")]), k(&[Some("a"), Some("b")]));
        assert_eq!(k(&[Some("1")]), k(&[Some("1")]));
    }
}
