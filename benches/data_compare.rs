//! The data oracle's comparison, in process: two snapshots of one table (five columns) where
//! the rollback dropped a column, compared row by row. Prints rows per second.

use std::collections::HashMap;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rollcage::internals::{compare_data, DataSnapshot, RowHashes, TableData};
use rollcage::scenario::AllowedLoss;

fn snapshot(rows: u64, columns: &[&str]) -> DataSnapshot {
    let mut table = TableData {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        types: columns.iter().map(|_| "text".to_string()).collect(),
        key: vec![columns[0].to_string()],
        rows: HashMap::with_capacity(rows as usize),
    };
    for r in 0..rows {
        let values = (0..columns.len() as u64)
            .map(|c| Some(r * 31 + c))
            .collect();
        table
            .rows
            .insert(u128::from(r), RowHashes { values, count: 1 });
    }
    DataSnapshot {
        tables: [("entries".to_string(), table)].into_iter().collect(),
        rows,
        over_limit: false,
    }
}

fn compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("data-compare");
    for rows in [10_000u64, 100_000] {
        let before = snapshot(rows, &["id", "account", "amount", "memo", "tags"]);
        let after = snapshot(rows, &["id", "account", "amount", "memo"]);
        group.throughput(Throughput::Elements(rows));
        group.bench_with_input(BenchmarkId::from_parameter(rows), &rows, |b, _| {
            b.iter(|| compare_data(&before, &after, None, &AllowedLoss::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
