//! Oracles run after a rollback, one file each (`OracleResult`), the acknowledged-write
//! audit, and `decide`, which turns their results into the drill's `Verdict`.

mod budget;
mod data;
mod digest;
mod harm;
mod health;
mod observer;
mod rate;
mod schema;
mod served;

mod writes;

pub use budget::check_budget;
pub use data::{check_data, compare as compare_data, DataAudit, DataLoss, LossKind};
pub use digest::check_digest;
pub use harm::check_harm;
pub use health::check_health;
pub use rate::worse_than;
pub use schema::check_schema;
pub use served::{check_served, Served};

pub use observer::Observer;
pub use writes::{check_writes, Reader, WriteAudit};

use serde::{Deserialize, Serialize};

use crate::vocab::{Oracle, OracleStatus, Verdict};

/// One oracle's finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OracleResult {
    /// Which oracle ran.
    pub oracle: Oracle,
    /// Whether it passed, failed or was skipped.
    pub status: OracleStatus,
    /// What it found, or why it was skipped.
    pub message: String,
}

impl OracleResult {
    /// A passed check, with what was found.
    pub fn pass(oracle: Oracle, message: impl Into<String>) -> Self {
        OracleResult {
            oracle,
            status: OracleStatus::Passed,
            message: message.into(),
        }
    }
    /// A failed check, with what went wrong.
    pub fn fail(oracle: Oracle, message: impl Into<String>) -> Self {
        OracleResult {
            oracle,
            status: OracleStatus::Failed,
            message: message.into(),
        }
    }
    /// A check that could not apply, with why.
    pub fn skip(oracle: Oracle, message: impl Into<String>) -> Self {
        OracleResult {
            oracle,
            status: OracleStatus::Skipped,
            message: message.into(),
        }
    }
    /// The oracle failed (skipped does not count).
    pub fn failed(&self) -> bool {
        self.status == OracleStatus::Failed
    }
}

/// How far the rollback got before the oracles ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The trigger gave up while the new release's traffic degraded beyond the baseline.
    NeverTriggered,
    /// The trigger gave up and the new release's traffic held to the baseline: no rollback
    /// was needed (the rule is `rollback::quiet`).
    NotNeeded,
    /// A rollback step errored.
    StepFailed,
    /// Every rollback step ran.
    Completed,
}

/// The verdict, by precedence: a rollback that never started (needed or not) or never
/// finished is judged by that; then a bad end state; then harm done on the way (data
/// destroyed, requests failed); then writes the restored release cannot serve; then time.
pub fn decide(progress: &Progress, oracles: &[OracleResult]) -> Verdict {
    let failed = |names: &[Oracle]| {
        oracles
            .iter()
            .any(|o| o.failed() && names.contains(&o.oracle))
    };
    match progress {
        Progress::NeverTriggered => Verdict::FailedToTrigger,
        Progress::NotNeeded => Verdict::NoRollback,
        Progress::StepFailed => Verdict::FailedToComplete,
        Progress::Completed
            if failed(&[
                Oracle::Health,
                Oracle::Smoke,
                Oracle::Digest,
                Oracle::Schema,
                Oracle::Traffic,
            ]) =>
        {
            Verdict::RestoredBadState
        }
        Progress::Completed if failed(&[Oracle::Data, Oracle::Harm]) => Verdict::CausedNewHarm,
        // Nothing destroyed, yet acknowledged writes are not served: unreadable, not lost.
        Progress::Completed if failed(&[Oracle::Writes]) => Verdict::RestoredBadState,
        Progress::Completed if failed(&[Oracle::Budget]) => Verdict::OverBudget,
        Progress::Completed => Verdict::Pass,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_of_verdicts() {
        let ok = |n| OracleResult::pass(n, "");
        let bad = |n| OracleResult::fail(n, "");
        let done = Progress::Completed;
        assert_eq!(
            decide(&done, &[ok(Oracle::Health), ok(Oracle::Writes)]),
            Verdict::Pass
        );
        assert_eq!(
            decide(&done, &[bad(Oracle::Budget), bad(Oracle::Data)]),
            Verdict::CausedNewHarm
        );
        assert_eq!(
            decide(&done, &[bad(Oracle::Writes), bad(Oracle::Data)]),
            Verdict::CausedNewHarm
        );
        assert_eq!(
            decide(&done, &[bad(Oracle::Budget), bad(Oracle::Writes)]),
            Verdict::RestoredBadState
        );
        assert_eq!(
            decide(&done, &[bad(Oracle::Digest), bad(Oracle::Writes)]),
            Verdict::RestoredBadState
        );
        assert_eq!(decide(&done, &[bad(Oracle::Budget)]), Verdict::OverBudget);
        assert_eq!(
            decide(&Progress::StepFailed, &[bad(Oracle::Digest)]),
            Verdict::FailedToComplete
        );
        assert_eq!(
            decide(&Progress::NeverTriggered, &[]),
            Verdict::FailedToTrigger
        );
        // The writes audit also runs when no rollback happened; it does not turn a quiet
        // trigger's verdict into another.
        assert_eq!(
            decide(&Progress::NotNeeded, &[ok(Oracle::Writes)]),
            Verdict::NoRollback
        );
        assert_eq!(
            decide(&done, &[OracleResult::skip(Oracle::Schema, "")]),
            Verdict::Pass
        );
    }
}
