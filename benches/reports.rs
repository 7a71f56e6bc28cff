//! Rendering the reports of a run of 24 drills (the fixture outcomes the report snapshots
//! use: two scenarios' worth of matched, mismatched and could-not-run runs, repeated) in every
//! format: the terminal's line per drill with the full report of those that did not match,
//! JSON, JUnit XML, HTML and Markdown.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rollcage::events::{Event, Reporter};
use rollcage::internals::fixture::{outcome, record};
use rollcage::outcome::{DrillRecord, Summary};
use rollcage::report::terminal::Palette;
use rollcage::report::{html, json, junit, markdown, LinesReporter};

const DRILLS: usize = 24;

fn records() -> Vec<DrillRecord> {
    (0..DRILLS)
        .map(|i| {
            let result = match i % 6 {
                5 => Err("creating container db: no such image".to_string()),
                4 => Ok(outcome(false)),
                _ => Ok(outcome(true)),
            };
            let mut r = record(vec![result]);
            r.scenario = format!("drill-{i:02}");
            r.file = format!("scenarios/drill-{i:02}.toml");
            r
        })
        .collect()
}

fn terminal(records: &[DrillRecord]) -> usize {
    let mut r = LinesReporter::new(Vec::new(), Palette::PLAIN, false);
    for (i, record) in records.iter().enumerate() {
        for run in &record.runs {
            r.report(&Event::DrillFinished {
                index: i + 1,
                scenario: record.scenario.clone(),
                repetition: run.repetition,
                wall: run.wall,
                result: run.result.clone().map(Box::new),
            });
        }
        r.report(&Event::ScenarioFinished(Box::new(record.clone())));
    }
    r.report(&Event::RunFinished(Summary::of(records)));
    r.into_inner().len()
}

fn bench(c: &mut Criterion) {
    let records = records();
    let mut group = c.benchmark_group(format!("render {DRILLS} drills"));
    group.throughput(Throughput::Elements(DRILLS as u64));
    group.bench_function("terminal", |b| b.iter(|| terminal(&records)));
    group.bench_function("json", |b| {
        b.iter(|| {
            json::to_value(&records, &[])
                .and_then(|v| serde_json::to_string_pretty(&v))
                .map(|t| t.len())
        })
    });
    group.bench_function("junit", |b| {
        b.iter(|| junit::to_string(&records).map(|t| t.len()))
    });
    group.bench_function("html", |b| b.iter(|| html::render(&records, &[]).len()));
    group.bench_function("markdown", |b| b.iter(|| markdown::render(&records).len()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
