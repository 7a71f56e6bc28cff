//! Running one scenario `--repeat` times into a `DrillRecord` (`run_scenario`).

use std::time::Instant;

use super::run_drill;
use crate::outcome::{Deployed, DrillRecord, RepeatFigures, Run};
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

/// The record of `scenario`'s runs, with their figures' distribution.
pub(super) fn record_of(scenario: &Scenario, runs: Vec<Run>) -> DrillRecord {
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
