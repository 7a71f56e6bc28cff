//! `Accuracy`: how well preflight's predictions held over a run of drills — how many of its
//! warnings and errors the drills confirmed (precision) and how many of the drills' failures
//! it had predicted (recall). Budget overruns are left out: no migration predicts a slow
//! machine.

use serde::Serialize;

use super::record::DrillRecord;
use super::PredictionStatus;

/// Predictions and failures counted over every run of every drill.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Accuracy {
    /// Predictions a drill confirmed.
    pub confirmed: usize,
    /// Predictions a drill exercised without the failure they foretold.
    pub not_confirmed: usize,
    /// Predictions no drill exercised (the path they foretold was not taken).
    pub not_exercised: usize,
    /// Failures the drills observed (failing oracles and failed steps).
    pub failures: usize,
    /// Of those, the ones a prediction explained.
    pub predicted: usize,
    /// `scenario: what` of each failure nothing predicted.
    pub unpredicted: Vec<String>,
}

impl Accuracy {
    /// Counts every run's prediction table.
    pub fn of(records: &[DrillRecord]) -> Accuracy {
        let mut a = Accuracy::default();
        for record in records {
            for o in record.runs.iter().filter_map(|r| r.result.as_ref().ok()) {
                for p in &o.predictions.predictions {
                    match p.status {
                        PredictionStatus::Confirmed => a.confirmed += 1,
                        PredictionStatus::NotConfirmed => a.not_confirmed += 1,
                        PredictionStatus::NotExercised => a.not_exercised += 1,
                    }
                }
                for seen in o
                    .predictions
                    .observations
                    .iter()
                    .filter(|x| x.name != "budget")
                {
                    a.failures += 1;
                    match seen.predicted_by.is_empty() {
                        true => a.unpredicted.push(format!("{}: {}", o.scenario, seen.name)),
                        false => a.predicted += 1,
                    }
                }
            }
        }
        a
    }

    /// Confirmed among the predictions a drill exercised; `None` when none was.
    pub fn precision(&self) -> Option<f64> {
        let judged = self.confirmed + self.not_confirmed;
        (judged > 0).then(|| self.confirmed as f64 / judged as f64)
    }

    /// Predicted among the failures; `None` when nothing failed.
    pub fn recall(&self) -> Option<f64> {
        (self.failures > 0).then(|| self.predicted as f64 / self.failures as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::outcome;
    use crate::outcome::Observation;

    #[test]
    fn precision_and_recall_over_every_run() {
        // The fixture's one prediction is confirmed and its one failure predicted.
        let mut unexplained = outcome(false);
        unexplained.predictions.observations.push(Observation {
            kind: "oracle",
            name: "harm".into(),
            detail: "the rollback caused errors".into(),
            predicted_by: vec![],
        });
        unexplained.predictions.observations.push(Observation {
            kind: "oracle",
            name: "budget".into(),
            detail: "slow".into(),
            predicted_by: vec![],
        });
        let record = crate::outcome::fixture::record(vec![Ok(outcome(false)), Ok(unexplained)]);
        let a = Accuracy::of(&[record]);
        assert_eq!((a.confirmed, a.not_confirmed), (2, 0));
        assert_eq!((a.failures, a.predicted), (3, 2));
        assert_eq!(a.unpredicted, ["notnull-code-only: harm"]);
        assert_eq!(a.precision(), Some(1.0));
        assert!((a.recall().unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(Accuracy::default().recall(), None);
    }
}
