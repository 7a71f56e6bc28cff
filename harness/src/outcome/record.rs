//! The runner's records: one `Run` of a scenario, every run of it (`DrillRecord`) with the
//! percentiles of its figures (`RepeatFigures`), and how many scenarios ended each way
//! (`Summary`).

use std::time::Duration;

use serde::Serialize;

use super::{Deployed, DrillOutcome};
use crate::exit_codes;
use crate::timeline::{Figures, Percentiles};
use crate::vocab::{Status, Strategy};

/// One run of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// 1-based.
    pub repetition: usize,
    /// Wall time of the whole drill, setup and teardown included.
    pub wall: Duration,
    /// The outcome, or the `DrillError` chain when the drill could not run.
    pub result: Result<DrillOutcome, String>,
}

impl Run {
    /// `matched`, `mismatched`, or `error` when the drill could not run.
    pub fn status(&self) -> Status {
        match &self.result {
            Ok(o) if o.matched => Status::Matched,
            Ok(_) => Status::Mismatched,
            Err(_) => Status::Error,
        }
    }

    /// Why this run is not a match, for people; None when it matched.
    pub fn problem(&self) -> Option<String> {
        match &self.result {
            Ok(o) => o.mismatch(),
            Err(e) => Some(format!("could not run: {e}")),
        }
    }
}

/// Every run of one scenario, and its figures over the runs.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillRecord {
    /// Scenario name, as reports show it.
    pub scenario: String,
    /// Path of the scenario file, as given.
    pub file: String,
    /// The deploy the scenario rolls back, `from -> to`.
    pub deploy: Deployed,
    /// None for a generated case that could not run (its choices were never reported).
    pub strategy: Option<Strategy>,
    /// PostgreSQL image the scenario runs against.
    pub database_image: String,
    /// Every run, in repetition order.
    pub runs: Vec<Run>,
    /// Percentiles of the recovery figures over the runs.
    pub percentiles: RepeatFigures,
}

impl DrillRecord {
    /// Mismatched if any run mismatched; otherwise an error if any run could not run.
    pub fn status(&self) -> Status {
        let statuses: Vec<Status> = self.runs.iter().map(Run::status).collect();
        if statuses.contains(&Status::Mismatched) {
            Status::Mismatched
        } else if statuses.contains(&Status::Error) || statuses.is_empty() {
            Status::Error
        } else {
            Status::Matched
        }
    }

    /// Whether the scenario ran more than once (`--repeat`).
    pub fn repeated(&self) -> bool {
        self.runs.len() > 1
    }

    /// `scenario`, or `scenario#2` for the second of several runs.
    pub fn run_name(&self, run: &Run) -> String {
        if self.repeated() {
            format!("{}#{}", self.scenario, run.repetition)
        } else {
            self.scenario.clone()
        }
    }
}

/// How many scenarios ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Scenarios whose every run matched its expectation.
    pub matched: usize,
    /// Scenarios with at least one mismatched run.
    pub mismatched: usize,
    /// Scenarios with no mismatch but a run that could not run.
    pub errors: usize,
}

impl Summary {
    /// Counts `records` by their status.
    pub fn of(records: &[DrillRecord]) -> Summary {
        let mut s = Summary::default();
        for r in records {
            match r.status() {
                Status::Matched => s.matched += 1,
                Status::Mismatched => s.mismatched += 1,
                Status::Error => s.errors += 1,
            }
        }
        s
    }

    /// True when every scenario matched.
    pub fn all_matched(&self) -> bool {
        self.mismatched == 0 && self.errors == 0
    }

    /// The process exit code for these results: mismatch beats harness error beats success.
    pub fn exit_code(&self) -> i32 {
        exit_codes::for_drills(self.mismatched > 0, self.errors > 0)
    }
}

/// Percentiles of each recovery figure over the runs that reached it; None when none did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RepeatFigures {
    /// Rollback decision → verified.
    pub recovery_time: Option<Percentiles>,
    /// Degradation onset → rollback decision.
    pub time_to_detect: Option<Percentiles>,
    /// Previous release's container start → first healthy probe, during the rollback.
    pub time_to_healthy: Option<Percentiles>,
    /// First → last failed request the workload saw after the deploy started.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::{outcome, record};

    #[test]
    fn status_of_a_record_is_its_worst_run() {
        let ok = outcome(true);
        let bad = outcome(false);
        let r = record(vec![Ok(ok.clone()), Ok(ok.clone())]);
        assert_eq!(r.status(), Status::Matched);
        let r = record(vec![Ok(ok.clone()), Err("engine gone".into())]);
        assert_eq!(r.status(), Status::Error);
        let r = record(vec![Err("engine gone".into()), Ok(bad)]);
        assert_eq!(r.status(), Status::Mismatched);
        assert_eq!(r.run_name(&r.runs[1]), "notnull-code-only#2");
        let single = record(vec![Ok(ok)]);
        assert_eq!(single.run_name(&single.runs[0]), "notnull-code-only");
    }

    #[test]
    fn summary_counts_scenarios_and_picks_the_exit_code() {
        let records = [
            record(vec![Ok(outcome(true))]),
            record(vec![Err("x".into())]),
        ];
        let s = Summary::of(&records);
        assert_eq!((s.matched, s.mismatched, s.errors), (1, 0, 1));
        assert_eq!(s.exit_code(), exit_codes::HARNESS_FAILURE);
        let s = Summary::of(&[
            record(vec![Ok(outcome(false))]),
            record(vec![Err("x".into())]),
        ]);
        assert_eq!(s.exit_code(), exit_codes::MISMATCH);
    }

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
