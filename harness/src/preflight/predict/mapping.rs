//! How each rule's hazard shows in a drill: `Seen` reads the outcome once; `explains_*`
//! say whether a rule predicts a failed step or oracle; `judge` whether the drill took the
//! hazard's path and whether it bit.

use super::PredictionStatus;
use crate::lint::{Category, Rule};
use crate::outcome::{DrillOutcome, StepCause, StepRecord};
use crate::vocab::{Oracle, OracleStatus, Step};

/// Oracles a previous release broken by the schema it finds can fail.
pub const CODE_ORACLES: [Oracle; 5] = [
    Oracle::Health,
    Oracle::Smoke,
    Oracle::Traffic,
    Oracle::Harm,
    Oracle::Writes,
];

/// What the drill did, read off its outcome once.
pub(super) struct Seen<'a> {
    pub o: &'a DrillOutcome,
}

impl<'a> Seen<'a> {
    /// The last record of a step (a step run again after an interruption counts as its
    /// last attempt).
    fn step(&self, name: Step) -> Option<(usize, &'a StepRecord)> {
        self.o
            .steps
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| s.step == name)
    }
    fn step_ok(&self, name: Step) -> bool {
        self.step(name).is_some_and(|(_, s)| s.ok)
    }
    fn failed(&self, oracle: Oracle) -> bool {
        self.o
            .oracles
            .iter()
            .any(|r| r.oracle == oracle && r.failed())
    }
    fn ran(&self, oracle: Oracle) -> bool {
        self.o
            .oracles
            .iter()
            .any(|r| r.oracle == oracle && r.status != OracleStatus::Skipped)
    }
    /// The step the rollback stopped at: steps stop at the first failure, so it is the last.
    pub fn failed_step(&self) -> Option<&'a StepRecord> {
        self.o.steps.last().filter(|s| !s.ok)
    }
    /// Migrate-down completed while the new release still served.
    fn down_first(&self) -> bool {
        let down = self.step(Step::MigrateDown).filter(|(_, s)| s.ok);
        let switch = self.step(Step::SwitchCode).map(|(i, _)| i);
        down.is_some_and(|(d, _)| switch.is_none_or(|s| d < s))
    }
    /// Rows and values lost (undeclared, declared): from the data oracle when it ran, from
    /// the read-back's fields otherwise.
    fn lost_data(&self) -> (u64, u64) {
        match &self.o.data {
            Some(a) => {
                let undeclared: u64 = a.undeclared().map(|l| l.count).sum();
                (undeclared, a.lost() - undeclared)
            }
            None => (
                self.o.writes.lost_fields.len() as u64,
                self.o.writes.allowed_lost_fields as u64,
            ),
        }
    }
    fn first_failing(&self, names: &[Oracle]) -> Option<String> {
        let r = self
            .o
            .oracles
            .iter()
            .find(|r| r.failed() && names.contains(&r.oracle))?;
        Some(format!("{} failed: {}", r.oracle, first_line(&r.message)))
    }
}

fn is_code_rule(rule: Rule) -> bool {
    rule.is_lint() && rule.category() == Category::CodeRollback
}

pub fn explains_step(rule: Rule, step: &StepRecord) -> bool {
    match rule {
        Rule::NoDownMigration => step.step == Step::MigrateDown,
        Rule::RollbackTargetMissing => {
            step.step == Step::SwitchCode && step.cause == Some(StepCause::ArtifactMissing)
        }
        _ => false,
    }
}

pub fn explains_oracle(rule: Rule, oracle: Oracle, seen: &Seen) -> bool {
    match rule {
        r if is_code_rule(r) => CODE_ORACLES.contains(&oracle) && seen.step_ok(Step::SwitchCode),
        Rule::DestructiveUp => oracle == Oracle::Writes || oracle == Oracle::Data,
        Rule::DownDropsData => {
            (oracle == Oracle::Writes || oracle == Oracle::Data) && seen.lost_data().0 > 0
        }
        Rule::NoDownMigration => oracle == Oracle::Schema,
        Rule::DownBeforeSwitchCode => {
            [Oracle::Harm, Oracle::Health, Oracle::Smoke, Oracle::Traffic].contains(&oracle)
                && seen.down_first()
        }
        // A different build ran: whatever it then fails follows from the moved tag.
        Rule::RollbackTargetNotPinned => {
            oracle == Oracle::Digest
                || (CODE_ORACLES.contains(&oracle) && seen.failed(Oracle::Digest))
        }
        _ => false,
    }
}

/// Whether the drill took the hazard's path, and whether it bit.
pub fn judge(rule: Rule, seen: &Seen) -> (PredictionStatus, String) {
    use PredictionStatus::*;
    let step_missing = |name: Step| (NotExercised, format!("no {name} step completed"));
    match rule {
        r if is_code_rule(r) => {
            if !seen.step_ok(Step::SwitchCode) {
                return step_missing(Step::SwitchCode);
            }
            match seen.first_failing(&CODE_ORACLES) {
                Some(e) => (Confirmed, format!("after the code switch, {e}")),
                None => (
                    NotConfirmed,
                    "the previous release passed health, smoke, harm and writes".into(),
                ),
            }
        }
        Rule::DestructiveUp if !seen.ran(Oracle::Writes) => {
            (NotExercised, "the writes oracle did not run".into())
        }
        Rule::DestructiveUp => match seen.first_failing(&[Oracle::Data, Oracle::Writes]) {
            Some(e) => (Confirmed, e),
            None => (
                NotConfirmed,
                "every acknowledged write read back whole".into(),
            ),
        },
        Rule::NoDownMigration => match seen.step(Step::MigrateDown) {
            None => (NotExercised, "no migrate-down step ran".into()),
            Some((_, s)) if !s.ok => (
                Confirmed,
                format!("migrate-down failed: {}", first_line(&s.detail)),
            ),
            Some(_) => (NotConfirmed, "migrate-down completed".into()),
        },
        Rule::DownDropsData if !seen.step_ok(Step::MigrateDown) => step_missing(Step::MigrateDown),
        Rule::DownDropsData => match seen.lost_data() {
            (0, 0) => (NotConfirmed, "the database lost no row or value".into()),
            (lost, allowed) => (
                Confirmed,
                format!("{lost} row(s) or value(s) lost, {allowed} more as declared"),
            ),
        },
        Rule::DownBeforeSwitchCode if !seen.down_first() => (
            NotExercised,
            "migrate-down did not complete before switch-code".into(),
        ),
        Rule::DownBeforeSwitchCode => {
            match seen.first_failing(&[
                Oracle::Harm,
                Oracle::Health,
                Oracle::Smoke,
                Oracle::Traffic,
            ]) {
                Some(e) => (Confirmed, e),
                None => (
                    NotConfirmed,
                    "no harm while the new release served the reverted schema".into(),
                ),
            }
        }
        Rule::RollbackTargetNotPinned if !seen.ran(Oracle::Digest) => {
            (NotExercised, "the digest oracle did not run".into())
        }
        Rule::RollbackTargetNotPinned => match seen.first_failing(&[Oracle::Digest]) {
            Some(e) => (Confirmed, e),
            None => (
                NotConfirmed,
                "the tag still named the image that ran before".into(),
            ),
        },
        Rule::RollbackTargetMissing => match seen.step(Step::SwitchCode) {
            None => step_missing(Step::SwitchCode),
            Some((_, s)) if s.cause == Some(StepCause::ArtifactMissing) => (
                Confirmed,
                format!("switch-code failed: {}", first_line(&s.detail)),
            ),
            Some(_) => (
                NotConfirmed,
                "the previous release's image was there".into(),
            ),
        },
        _ => (NotExercised, "no drill observation bears on it".into()),
    }
}

pub fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}
