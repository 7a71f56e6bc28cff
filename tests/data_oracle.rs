//! The data oracle's capture against real PostgreSQL 15 and 17: tables keyed by a composite,
//! a text and a uuid key, a table with no key at all (duplicate rows included), awkward names
//! and types — each loss a rollback can cause is counted exactly, and nothing else is.

mod support;

use rollcage::internals::{check_data, compare_data, DataSnapshot, LossKind};
use rollcage::scenario::AllowedLoss;
use support::{World, PG15, PG17};

const SCHEMA: &str = r#"
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE TABLE pairs (region int, code text, label text, PRIMARY KEY (region, code));
CREATE TABLE by_name (name text PRIMARY KEY, payload jsonb, tags text[]);
CREATE TABLE by_uuid (id uuid PRIMARY KEY, amount numeric(12, 2), at timestamptz, m mood);
CREATE TABLE keyless (a int, b text);
CREATE TABLE "Odd ""Name""" ("Key" int PRIMARY KEY, "v a l" bytea);
INSERT INTO pairs SELECT r, 'c' || r, 'l' || r FROM generate_series(1, 50) r;
INSERT INTO pairs VALUES (1, 'c2', NULL);
INSERT INTO by_name VALUES ('a', '{"x": 1}', '{p,q}'), ('b', '[]', '{}'), ('c', NULL, NULL);
INSERT INTO by_uuid VALUES
  ('00000000-0000-0000-0000-000000000001', 10.25, '2026-01-01 00:00:00+00', 'calm'),
  ('00000000-0000-0000-0000-000000000002', 3.50, NULL, 'busy');
INSERT INTO keyless VALUES (1, 'x'), (1, 'x'), (2, NULL);
INSERT INTO "Odd ""Name""" VALUES (1, '\x00ff'), (2, NULL);
CREATE TABLE _sqlx_migrations (version bigint PRIMARY KEY);
INSERT INTO _sqlx_migrations VALUES (1);
"#;

/// What a bad rollback does to that content: one of each kind of loss, plus changes that are
/// not losses (a new row, the bookkeeping table rewritten).
const ROLLBACK: &str = r#"
ALTER TABLE pairs DROP COLUMN label;
DELETE FROM by_name WHERE name = 'b';
UPDATE by_name SET payload = NULL WHERE name = 'a';
ALTER TABLE by_uuid ALTER COLUMN amount TYPE numeric(12, 0);
DELETE FROM keyless WHERE ctid = (SELECT min(ctid) FROM keyless WHERE a = 1);
INSERT INTO "Odd ""Name""" VALUES (3, '\x01');
DELETE FROM _sqlx_migrations;
"#;

async fn drill(image: &str) {
    let w = World::new(image).await;
    for statement in SCHEMA.split(";\n").filter(|s| !s.trim().is_empty()) {
        w.sql(statement).await;
    }
    let before = DataSnapshot::capture(&w.db.pool).await.expect("capture");
    assert_eq!(
        before.rows,
        51 + 3 + 2 + 3 + 2,
        "{image}: bookkeeping is not data"
    );
    assert!(!before.tables.contains_key("_sqlx_migrations"));
    assert_eq!(before.tables["pairs"].key, ["region", "code"]);
    assert!(before.tables["keyless"].key.is_empty());

    let same = DataSnapshot::capture(&w.db.pool).await.expect("capture");
    let audit = compare_data(&before, &same, None, &AllowedLoss::default());
    assert!(
        audit.losses.is_empty() && audit.changed_values == 0,
        "{image}: {audit:?}"
    );

    for statement in ROLLBACK.split(";\n").filter(|s| !s.trim().is_empty()) {
        w.sql(statement).await;
    }
    let after = DataSnapshot::capture(&w.db.pool).await.expect("capture");
    let audit = compare_data(&before, &after, None, &AllowedLoss::default());
    let found: Vec<(&str, LossKind, u64)> = audit
        .losses
        .iter()
        .map(|l| (l.place.as_str(), l.kind, l.count))
        .collect();
    assert_eq!(
        found,
        vec![
            ("by_name", LossKind::RowsGone, 1),
            ("by_name.payload", LossKind::ValuesNulled, 1),
            ("by_uuid.amount", LossKind::ValuesConverted, 2),
            ("keyless", LossKind::RowsGone, 1),
            // 50 labels; the row whose label was NULL lost nothing.
            ("pairs.label", LossKind::ColumnDropped, 50),
        ],
        "{image}"
    );
    assert_eq!(audit.rows_added, 1, "{image}");
    let r = check_data(&before, &after, &audit);
    assert!(r.failed(), "{image}: {}", r.message);
    assert!(
        r.message.contains("pairs.label: column dropped, 50 lost"),
        "{}",
        r.message
    );

    let declared = AllowedLoss {
        tables: vec!["by_name".into(), "keyless".into()],
        columns: vec!["pairs.label".into(), "by_uuid.amount".into()],
        ..Default::default()
    };
    let audit = compare_data(&before, &after, None, &declared);
    assert_eq!(audit.undeclared().count(), 0, "{image}: {audit:?}");
    assert!(!check_data(&before, &after, &audit).failed());
    w.teardown().await;
}

#[tokio::test]
async fn every_kind_of_loss_is_counted_on_postgres_15() {
    drill(PG15).await;
}

#[tokio::test]
async fn every_kind_of_loss_is_counted_on_postgres_17() {
    drill(PG17).await;
}

/// Capture throughput and memory on a larger table, for `benches/data_capture.sh`: prints rows
/// per second and how much the process's peak resident memory grew. Ignored in the suite.
#[tokio::test]
#[ignore]
async fn capture_rate() {
    let rows: u64 = std::env::var("ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200_000);
    let w = World::new(PG15).await;
    w.sql(
        "CREATE TABLE entries (id bigint PRIMARY KEY, account text, amount bigint, \
         memo text, created_at timestamptz)",
    )
    .await;
    w.sql(&format!(
        "INSERT INTO entries SELECT i, 'acct-' || i, i * 7, repeat('m', 40), now() \
         FROM generate_series(1, {rows}) i"
    ))
    .await;
    let peak_before = peak_rss_kib();
    let started = std::time::Instant::now();
    let snap = DataSnapshot::capture(&w.db.pool).await.expect("capture");
    let took = started.elapsed();
    assert_eq!(snap.rows, rows);
    let started = std::time::Instant::now();
    let audit = compare_data(&snap, &snap, None, &AllowedLoss::default());
    let compared = started.elapsed();
    assert!(audit.losses.is_empty());
    println!(
        "capture: {rows} rows x 5 columns in {:.0} ms = {:.0} rows/s; compare {:.0} ms = {:.0} rows/s; peak RSS +{} KiB",
        took.as_secs_f64() * 1000.0,
        rows as f64 / took.as_secs_f64(),
        compared.as_secs_f64() * 1000.0,
        rows as f64 / compared.as_secs_f64(),
        peak_rss_kib().saturating_sub(peak_before)
    );
    w.teardown().await;
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
