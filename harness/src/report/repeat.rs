//! Running one scenario `--repeat` times into a `DrillRecord`, and the p50/p95/max of its
//! recovery figures over those runs (`RepeatFigures`).

use std::time::{Duration, Instant};

use serde::Serialize;

use super::{DrillRecord, Run};
use crate::rollback::{run_drill, Deployed, DrillOutcome};
use crate::runtime::Engine;
use crate::scenario::Scenario;
use crate::timeline::{Figures, Percentiles};
use crate::vocab::chain;

/// Percentiles of each recovery figure over the runs that reached it; None when none did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RepeatFigures {
    pub recovery_time: Option<Percentiles>,
    pub time_to_detect: Option<Percentiles>,
    pub time_to_healthy: Option<Percentiles>,
    pub outage: Option<Percentiles>,
}

impl RepeatFigures {
    /// Over the runs that produced an outcome; a run that could not run has no figures.
    pub fn of(runs: &[Run]) -> RepeatFigures {
        let outcomes: Vec<&DrillOutcome> =
            runs.iter().filter_map(|r| r.result.as_ref().ok()).collect();
        let over = |figure: fn(&Figures) -> Option<Duration>| {
            let samples: Vec<Duration> =
                outcomes.iter().filter_map(|o| figure(&o.figures)).collect();
            Percentiles::of(&samples)
        };
        RepeatFigures {
            recovery_time: over(|f| f.recovery_time),
            time_to_detect: over(|f| f.time_to_detect),
            time_to_healthy: over(|f| f.time_to_healthy),
            outage: over(|f| f.outage),
        }
    }

    /// Label and value of each figure, in report order.
    pub fn rows(&self) -> [(&'static str, Option<&Percentiles>); 4] {
        [
            ("recovery time", self.recovery_time.as_ref()),
            ("time to detect", self.time_to_detect.as_ref()),
            ("time to healthy", self.time_to_healthy.as_ref()),
            ("outage", self.outage.as_ref()),
        ]
    }
}

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

#[cfg(test)]
mod tests {
    use super::super::fixture::{outcome, record};
    use super::*;

    #[test]
    fn percentiles_over_runs_that_reached_the_figure() {
        let mut slow = outcome(true);
        slow.figures.recovery_time = Some(Duration::from_millis(4000));
        slow.figures.time_to_detect = Some(Duration::from_millis(300));
        let r = record(vec![Ok(outcome(true)), Ok(slow), Err("engine gone".into())]);
        let rt = r.percentiles.recovery_time.as_ref().unwrap();
        assert_eq!(
            (rt.samples, rt.p50, rt.max),
            (2, Duration::from_millis(1234), Duration::from_millis(4000))
        );
        // Only one run detected anything: one sample, not three.
        assert_eq!(r.percentiles.time_to_detect.as_ref().unwrap().samples, 1);
        assert_eq!(r.percentiles.rows()[0].0, "recovery time");
    }

    #[test]
    fn no_outcomes_no_percentiles() {
        let r = record(vec![Err("engine gone".into())]);
        assert_eq!(r.percentiles, RepeatFigures::default());
    }
}
