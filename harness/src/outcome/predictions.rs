//! `PredictionTable`: preflight's findings held against what one drill observed — each
//! predicted hazard with its status, each failing oracle or step with the rules that
//! predicted it. Preflight computes it (`preflight::compare`); reports render it.

use serde::Serialize;

use crate::lint::{Rule, Severity};

/// Both directions of the comparison for one drill.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PredictionTable {
    /// Each predicted hazard, with whether the drill confirmed it.
    pub predictions: Vec<Prediction>,
    /// Each failing oracle or failed step, with the rules that predicted it.
    pub observations: Vec<Observation>,
}

/// One predicted hazard (a finding at warning or above) and what the drill made of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// The lint or preflight rule that found the hazard.
    pub rule: Rule,
    /// How serious the finding is (warning or above).
    pub severity: Severity,
    /// `file:line` of the finding.
    pub location: String,
    /// Whether the drill bore the prediction out.
    pub status: PredictionStatus,
    /// The observation that decided the status.
    pub evidence: String,
}

/// What a drill made of one predicted hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PredictionStatus {
    /// The drill failed the way the finding predicted.
    Confirmed,
    /// The drill took the hazard's path and did not fail that way.
    NotConfirmed,
    /// The drill never took the path the hazard is on (e.g. no migrate-down ran).
    NotExercised,
}

impl PredictionStatus {
    /// The status as reports spell it: `confirmed`, `not confirmed` or `not exercised`.
    pub fn as_str(self) -> &'static str {
        match self {
            PredictionStatus::Confirmed => "confirmed",
            PredictionStatus::NotConfirmed => "not confirmed",
            PredictionStatus::NotExercised => "not exercised",
        }
    }
}

/// One failing oracle or failed step, and the rules that predicted it (none: unpredicted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    /// `oracle` or `step`.
    pub kind: &'static str,
    /// The oracle's or step's name.
    pub name: String,
    /// The first line of its message.
    pub detail: String,
    /// Rules whose findings predicted it; empty when none did.
    pub predicted_by: Vec<Rule>,
}

impl PredictionTable {
    /// Observations no finding predicted.
    pub fn unpredicted(&self) -> Vec<&Observation> {
        self.observations
            .iter()
            .filter(|o| o.predicted_by.is_empty())
            .collect()
    }
}
