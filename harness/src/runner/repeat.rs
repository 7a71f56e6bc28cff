//! Running scenarios: each `--repeat` times into a `DrillRecord` (`run_scenario`), and a
//! whole list of them with every event reported as it happens (`run_all`).

use std::time::Instant;

use super::{run_drill, run_drill_with};
use crate::events::{Event, Reporter};
use crate::outcome::{Deployed, DrillRecord, RepeatFigures, Run, Summary};
use crate::runtime::Engine;
use crate::scenario::Scenario;
use crate::vocab::chain;

/// Runs `scenario` `repeat` times in a row (at least once). `before_each` is called with the
/// 1-based repetition before it starts, for progress display.
pub async fn run_scenario(
    engine: &Engine,
    scenario: &Scenario,
    repeat: usize,
    mut before_each: impl FnMut(usize),
) -> DrillRecord {
    let mut runs = Vec::new();
    for repetition in 1..=repeat.max(1) {
        before_each(repetition);
        let started = Instant::now();
        // A DrillError is the harness's failure, not the rollback's: kept as text so the
        // other repetitions and scenarios still run and get reported.
        let result = run_drill(engine, scenario).await.map_err(|e| chain(&e));
        runs.push(Run {
            repetition,
            wall: started.elapsed(),
            result,
        });
    }
    record_of(scenario, runs)
}

/// Runs every scenario `repeat` times in order, reporting each step to `reporter` (and each
/// drill's own events, as `Event::Drill`, while it runs), and returns the records. A drill
/// that cannot run is reported and the run goes on.
pub async fn run_all(
    engine: &Engine,
    scenarios: &[Scenario],
    repeat: usize,
    reporter: &mut dyn Reporter,
) -> Vec<DrillRecord> {
    let repeat = repeat.max(1);
    reporter.report(&Event::RunStarted {
        scenarios: scenarios.len(),
        repeat,
    });
    let mut records = Vec::new();
    for (i, s) in scenarios.iter().enumerate() {
        let mut runs = Vec::new();
        for repetition in 1..=repeat {
            reporter.report(&Event::DrillStarted {
                index: i + 1,
                total: scenarios.len(),
                scenario: s.name.clone(),
                repetition,
                repeat,
            });
            let started = Instant::now();
            let forward = |e| reporter.report(&Event::Drill(e));
            let result = run_drill_with(engine, s, forward)
                .await
                .map_err(|e| chain(&e));
            let run = Run {
                repetition,
                wall: started.elapsed(),
                result,
            };
            reporter.report(&Event::DrillFinished {
                scenario: s.name.clone(),
                repetition,
                wall: run.wall,
                result: run.result.clone().map(Box::new),
            });
            runs.push(run);
        }
        let record = record_of(s, runs);
        reporter.report(&Event::ScenarioFinished(Box::new(record.clone())));
        records.push(record);
    }
    reporter.report(&Event::RunFinished(Summary::of(&records)));
    records
}

fn record_of(scenario: &Scenario, runs: Vec<Run>) -> DrillRecord {
    DrillRecord {
        scenario: scenario.name.clone(),
        file: scenario.source.display().to_string(),
        deploy: Deployed {
            from: scenario.deploy.from.clone(),
            to: scenario.deploy.to.clone(),
        },
        strategy: Some(scenario.rollback.strategy),
        database_image: scenario.database.image.clone(),
        percentiles: RepeatFigures::of(&runs),
        runs,
    }
}
