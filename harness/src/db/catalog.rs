//! `Catalog`: a snapshot of a database's schema (tables, columns with type, nullability and
//! default, constraints, indexes, sequences, enum values) and `CatalogDiff`, its readable diff.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sqlx::postgres::PgPool;
use sqlx::Row;

use super::DbError;

/// The schema of the `public` namespace, minus sqlx's bookkeeping table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// `table.column` → `type [NOT NULL] [DEFAULT expr]`.
    pub columns: BTreeMap<String, String>,
    /// `table.constraint` → definition.
    pub constraints: BTreeMap<String, String>,
    /// index name → definition.
    pub indexes: BTreeMap<String, String>,
    /// sequence name → data type.
    pub sequences: BTreeMap<String, String>,
    /// enum type → its labels in order.
    pub enums: BTreeMap<String, String>,
}

const COLUMNS: &str = "
SELECT c.relname || '.' || a.attname AS key,
       format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
         || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS def
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
  AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_sqlx_migrations'";

const CONSTRAINTS: &str = "
SELECT c.relname || '.' || k.conname AS key, pg_get_constraintdef(k.oid) AS def
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relname <> '_sqlx_migrations'";

const INDEXES: &str = "
SELECT indexname AS key, indexdef AS def FROM pg_indexes
WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations'";

const SEQUENCES: &str = "
SELECT sequencename AS key, data_type::text AS def FROM pg_sequences WHERE schemaname = 'public'";

const ENUMS: &str = "
SELECT t.typname AS key, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS def
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'public' GROUP BY t.typname";

impl Catalog {
    /// Reads the current schema.
    pub async fn capture(pool: &PgPool) -> Result<Catalog, DbError> {
        Ok(Catalog {
            columns: pairs(pool, COLUMNS, "reading columns").await?,
            constraints: pairs(pool, CONSTRAINTS, "reading constraints").await?,
            indexes: pairs(pool, INDEXES, "reading indexes").await?,
            sequences: pairs(pool, SEQUENCES, "reading sequences").await?,
            enums: pairs(pool, ENUMS, "reading enum types").await?,
        })
    }

    /// What changed from `self` (expected) to `actual`.
    pub fn diff(&self, actual: &Catalog) -> CatalogDiff {
        let mut lines = Vec::new();
        let sections = [
            ("column", &self.columns, &actual.columns),
            ("constraint", &self.constraints, &actual.constraints),
            ("index", &self.indexes, &actual.indexes),
            ("sequence", &self.sequences, &actual.sequences),
            ("enum", &self.enums, &actual.enums),
        ];
        for (kind, want, got) in sections {
            for (key, def) in want {
                match got.get(key) {
                    None => lines.push(format!("- {kind} {key}: {def}")),
                    Some(g) if g != def => lines.push(format!("~ {kind} {key}: {def} -> {g}")),
                    Some(_) => {}
                }
            }
            for (key, def) in got {
                if !want.contains_key(key) {
                    lines.push(format!("+ {kind} {key}: {def}"));
                }
            }
        }
        CatalogDiff { lines }
    }
}

async fn pairs(pool: &PgPool, sql: &str, what: &str) -> Result<BTreeMap<String, String>, DbError> {
    let rows = sqlx::query(sql)
        .fetch_all(pool)
        .await
        .map_err(DbError::query(what))?;
    Ok(rows
        .iter()
        .map(|r| (r.get::<String, _>("key"), r.get::<String, _>("def")))
        .collect())
}

/// Lines `- missing`, `+ unexpected`, `~ changed: expected -> actual`; empty when equal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CatalogDiff {
    pub lines: Vec<String>,
}

impl CatalogDiff {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

impl fmt::Display for CatalogDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(cols: &[(&str, &str)]) -> Catalog {
        Catalog {
            columns: cols
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn diff_names_missing_added_and_changed_columns() {
        let before = catalog(&[("entries.id", "bigint NOT NULL"), ("entries.memo", "text")]);
        let after = catalog(&[
            ("entries.id", "integer NOT NULL"),
            ("entries.currency", "text NOT NULL"),
        ]);
        let diff = before.diff(&after);
        assert_eq!(
            diff.lines,
            vec![
                "~ column entries.id: bigint NOT NULL -> integer NOT NULL",
                "- column entries.memo: text",
                "+ column entries.currency: text NOT NULL",
            ]
        );
        assert!(before.diff(&before.clone()).is_empty());
    }
}
