//! Prediction against observation (`compare`): for each hazard preflight predicted, whether
//! the drill confirmed it; for each failing oracle or failed step, which rule predicted it.
//!
//! Mapping: code-rollback lint rules ↔ health/smoke/harm/writes failing once the code was
//! switched back; `destructive-up` ↔ writes; `no-down-migration` ↔ a failed migrate-down
//! (and the schema oracle); `down-drops-data` ↔ lost fields (declared or not);
//! `down-before-switch-code` ↔ harm/health/smoke after a migrate-down that ran first;
//! `rollback-target-not-pinned` ↔ digest (and what a different build then fails);
//! `rollback-target-missing` ↔ switch-code failing for a missing artifact. Oracles that
//! fail because a step failed are predicted by whatever predicted that step.

use crate::lint::{Finding, Rule, Severity};
use crate::outcome::{DrillOutcome, Observation, Prediction, PredictionStatus, PredictionTable};

mod mapping;

pub(super) use mapping::CODE_ORACLES;

use mapping::{explains_oracle, explains_step, first_line, judge, Seen};

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
