//! The schema oracle's catalog diff of two 200-table schemas (10 columns, 3 constraints, 2
//! indexes and a sequence per table, a few enums): identical, and with the changes a rollback
//! leaves behind (columns added, retyped and made NOT NULL, indexes and a table dropped).

use std::collections::BTreeMap;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rollcage::internals::Catalog;

const TABLES: usize = 200;

fn catalog() -> Catalog {
    let mut c = Catalog::default();
    for t in 0..TABLES {
        let table = format!("table_{t:03}");
        c.columns.insert(
            format!("{table}.id"),
            "bigint NOT NULL DEFAULT nextval('seq')".into(),
        );
        for col in 1..10 {
            let ty = [
                "text",
                "integer",
                "numeric(12,2)",
                "timestamp with time zone",
            ][col % 4];
            c.columns
                .insert(format!("{table}.col_{col}"), ty.to_string());
        }
        c.constraints
            .insert(format!("{table}.{table}_pkey"), "PRIMARY KEY (id)".into());
        c.constraints.insert(
            format!("{table}.{table}_col_2_check"),
            "CHECK ((col_2 >= 0))".into(),
        );
        c.constraints.insert(
            format!("{table}.{table}_col_1_key"),
            "UNIQUE (col_1)".into(),
        );
        c.indexes.insert(
            format!("{table}_pkey"),
            format!("CREATE UNIQUE INDEX {table}_pkey ON public.{table} USING btree (id)"),
        );
        c.indexes.insert(
            format!("{table}_col_3_idx"),
            format!("CREATE INDEX {table}_col_3_idx ON public.{table} USING btree (col_3)"),
        );
        c.sequences
            .insert(format!("{table}_id_seq"), "bigint".into());
    }
    for e in 0..10 {
        c.enums
            .insert(format!("state_{e}"), "new, open, closed".into());
    }
    c
}

/// What a code-only rollback of an expand release leaves: 1 in 10 tables changed.
fn after_rollback(before: &Catalog) -> Catalog {
    let mut c = before.clone();
    for t in (0..TABLES).step_by(10) {
        let table = format!("table_{t:03}");
        c.columns
            .insert(format!("{table}.added"), "text NOT NULL".into());
        c.columns.insert(format!("{table}.col_2"), "bigint".into());
        c.indexes.remove(&format!("{table}_col_3_idx"));
    }
    let dropped = "table_199";
    let keep = |m: &mut BTreeMap<String, String>| m.retain(|k, _| !k.starts_with(dropped));
    keep(&mut c.columns);
    keep(&mut c.constraints);
    keep(&mut c.indexes);
    keep(&mut c.sequences);
    c
}

fn bench(c: &mut Criterion) {
    let before = catalog();
    let changed = after_rollback(&before);
    let lines = before.diff(&changed).lines.len();
    assert!(lines > 50, "{lines} diff lines");
    let mut group = c.benchmark_group("catalog diff, 200 tables");
    group.bench_with_input(
        BenchmarkId::from_parameter("identical"),
        &before,
        |b, same| b.iter(|| before.diff(same).is_empty()),
    );
    group.bench_with_input(
        BenchmarkId::from_parameter(format!("{lines} differences")),
        &changed,
        |b, after| b.iter(|| before.diff(after).lines.len()),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
