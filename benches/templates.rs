//! What preparing one workload request costs: choosing its kind, drawing its values and
//! rendering its path and body. `cargo bench --bench templates`; the README quotes the figures.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use rollcage::internals::traffic::{prepare, total_weight, Draw};
use rollcage::scenario::Scenario;

/// A scenario around `traffic`, which replaces the write and read-back of a minimal file.
fn scenario(traffic: &str) -> Scenario {
    let text = format!(
        r#"[database]
image = "rollcage/postgres:15"
[releases.baseline]
image = "rollcage/ledger:baseline"
[releases.expand]
image = "rollcage/ledger:expand"
[deploy]
from = "baseline"
to = "expand"
{traffic}
[traffic.read-back]
path = "/entries/{{key}}"
[rollback]
strategy = "code-only"
budget = "30s"
[rollback.trigger]
kind = "manual"
"#
    );
    Scenario::from_toml_str(&text, Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{e}"))
}

const TODAY: &str = r#"[traffic.write]
path = "/entries"
json = '{"account": "acct-{run}-{seq}", "amount": {seq}, "memo": "write {seq}"}'
key = "response:/id"
"#;

const GENERATED: &str = r#"[traffic.write]
path = "/entries"
json = '{"account": "acct-{uuid}", "amount": {int -1000..1000}, "memo": "{text 0..40}", "email": {email}, "at": {timestamp}, "channel": {choice web|api|batch}, "flag": {bool}}'
key = "response:/id"
"#;

const MIX: &str = r#"[[traffic.request]]
kind = "write"
weight = 3
path = "/entries"
json = '{"account": "acct-{uuid}", "amount": {int -1000..1000}, "memo": "{text 0..40}"}'
key = "response:/id"
[[traffic.request]]
kind = "read"
path = "/entries/{key}"
[[traffic.request]]
kind = "plain"
path = "/entries?limit={int 1..50}&channel={choice web|api|batch}"
"#;

fn bench(c: &mut Criterion) {
    for (name, traffic) in [
        ("single write, {seq} and {run}", TODAY),
        ("single write, seven generators", GENERATED),
        ("mix of write, read and plain", MIX),
    ] {
        let s = scenario(traffic);
        let requests = s.traffic.requests;
        let total = total_weight(&requests);
        let mut seq = 0u64;
        c.bench_function(name, |b| {
            b.iter(|| {
                seq += 1;
                let mut draw = Draw::new(42, seq, "rc-bench");
                let key = |d: &mut Draw| Some(format!("{}", d.below(10_000)));
                std::hint::black_box(prepare(&requests, total, &mut draw, key))
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
