//! Prediction against observation (`compare`): for each hazard preflight predicted, whether
//! the drill confirmed it; for each failing oracle or failed step, which rule predicted it.
//!
//! Mapping: code-rollback lint rules ↔ health/smoke/harm/writes failing once the code was
//! switched back; `destructive-up` ↔ writes; `no-down-migration` ↔ a failed migrate-down
//! (and the schema oracle); `down-drops-data` ↔ lost fields (declared or not);
//! `down-before-switch-code` ↔ harm/health/smoke after a migrate-down that ran first;
//! `rollback-target-not-pinned` ↔ digest (and what a different build then fails);
//! `rollback-target-missing` ↔ switch-code failing with "artifact missing". Oracles that
//! fail because a step failed are predicted by whatever predicted that step.

use serde::Serialize;

use crate::lint::{Finding, Rule, Severity};
use crate::rollback::DrillOutcome;

mod mapping;

use mapping::{explains_oracle, explains_step, first_line, judge, Seen};

/// Both directions of the comparison for one drill.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PredictionTable {
    pub predictions: Vec<Prediction>,
    pub observations: Vec<Observation>,
}

/// One predicted hazard (a finding at warning or above) and what the drill made of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    pub rule: Rule,
    pub severity: Severity,
    /// `file:line` of the finding.
    pub location: String,
    pub status: PredictionStatus,
    /// The observation that decided the status.
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PredictionStatus {
    Confirmed,
    NotConfirmed,
    /// The drill never took the path the hazard is on (e.g. no migrate-down ran).
    NotExercised,
}

impl PredictionStatus {
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
/// Holds preflight's findings against the drill's outcome.
pub fn compare(findings: &[Finding], outcome: &DrillOutcome) -> PredictionTable {
    let seen = Seen { o: outcome };
    let predicted: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    let predictions = predicted
        .iter()
        .map(|f| {
            let (status, evidence) = judge(f.rule, &seen);
            Prediction {
                rule: f.rule,
                severity: f.severity,
                location: format!("{}:{}", f.file, f.line),
                status,
                evidence,
            }
        })
        .collect();
    let mut rules: Vec<Rule> = predicted.iter().map(|f| f.rule).collect();
    rules.sort();
    rules.dedup();

    let mut observations = Vec::new();
    let failed_step = seen.failed_step();
    if let Some(step) = failed_step {
        observations.push(Observation {
            kind: "step",
            name: step.step.to_string(),
            detail: first_line(&step.detail),
            predicted_by: rules
                .iter()
                .copied()
                .filter(|r| explains_step(*r, step))
                .collect(),
        });
    }
    for r in outcome.oracles.iter().filter(|r| r.failed()) {
        let by_step = |rule: Rule| failed_step.is_some_and(|s| explains_step(rule, s));
        observations.push(Observation {
            kind: "oracle",
            name: r.oracle.to_string(),
            detail: first_line(&r.message),
            predicted_by: rules
                .iter()
                .copied()
                .filter(|rule| explains_oracle(*rule, r.oracle, &seen) || by_step(*rule))
                .collect(),
        });
    }
    PredictionTable {
        predictions,
        observations,
    }
}

#[cfg(test)]
mod tests;
