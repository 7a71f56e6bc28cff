//! Loading and validating every bundled scenario (`scenarios/*.toml`, each file read, parsed
//! with spans, validated and cross-checked, its migrations folders looked up) as `rollcage
//! drill scenarios/` does before it contacts Docker; and the exploration space's file alone.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rollcage::scenario::Scenario;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folder = root.join("scenarios");
    let count = Scenario::load_all(&folder).map_or(0, |s| s.len());
    assert!(count > 20, "the bundled scenarios load: {count}");
    let mut group = c.benchmark_group("load scenarios");
    group.throughput(Throughput::Elements(count as u64));
    group.bench_function(format!("every bundled scenario ({count} files)"), |b| {
        b.iter(|| Scenario::load_all(&folder).map(|s| s.len()))
    });
    group.throughput(Throughput::Elements(1));
    let space = root.join("scenarios/explore/ledger.toml");
    group.bench_function("explore/ledger.toml", |b| {
        b.iter(|| Scenario::load(&space).map(|s| s.releases.len()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
