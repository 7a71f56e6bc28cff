//! Oracles run after a rollback, one file each (`OracleResult`), the acknowledged-write
//! audit, and `decide`, which turns their results into the drill's `Verdict`.

mod budget;
mod digest;
mod harm;
mod health;
mod schema;
mod verdict;
mod writes;

pub use budget::check_budget;
pub use digest::check_digest;
pub use harm::check_harm;
pub use health::{check_health, check_smoke};
pub use schema::check_schema;
pub use verdict::Verdict;
pub use writes::{check_writes, Observer, Reader, WriteAudit};

use serde::Serialize;

/// One oracle's finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OracleResult {
    /// `health`, `smoke`, `digest`, `schema`, `writes`, `harm` or `budget`.
    pub oracle: &'static str,
    pub status: OracleStatus,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OracleStatus {
    Passed,
    Failed,
    /// Not applicable to this drill (e.g. schema equality for a code-only rollback).
    Skipped,
}

impl OracleResult {
    pub fn pass(oracle: &'static str, message: impl Into<String>) -> Self {
        OracleResult {
            oracle,
            status: OracleStatus::Passed,
            message: message.into(),
        }
    }
    pub fn fail(oracle: &'static str, message: impl Into<String>) -> Self {
        OracleResult {
            oracle,
            status: OracleStatus::Failed,
            message: message.into(),
        }
    }
    pub fn skip(oracle: &'static str, message: impl Into<String>) -> Self {
        OracleResult {
            oracle,
            status: OracleStatus::Skipped,
            message: message.into(),
        }
    }
    pub fn failed(&self) -> bool {
        self.status == OracleStatus::Failed
    }
}

/// How far the rollback got before the oracles ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    NeverTriggered,
    StepFailed,
    Completed,
}

/// The verdict, by precedence: a rollback that never started or never finished is judged by
/// that; then a bad end state; then harm done on the way; then time.
pub fn decide(progress: &Progress, oracles: &[OracleResult]) -> Verdict {
    let failed = |names: &[&str]| {
        oracles
            .iter()
            .any(|o| o.failed() && names.contains(&o.oracle))
    };
    match progress {
        Progress::NeverTriggered => Verdict::FailedToTrigger,
        Progress::StepFailed => Verdict::FailedToComplete,
        Progress::Completed if failed(&["health", "smoke", "digest", "schema"]) => {
            Verdict::RestoredBadState
        }
        Progress::Completed if failed(&["writes", "harm"]) => Verdict::CausedNewHarm,
        Progress::Completed if failed(&["budget"]) => Verdict::OverBudget,
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
        assert_eq!(decide(&done, &[ok("health"), ok("writes")]), Verdict::Pass);
        assert_eq!(
            decide(&done, &[bad("budget"), bad("writes")]),
            Verdict::CausedNewHarm
        );
        assert_eq!(
            decide(&done, &[bad("digest"), bad("writes")]),
            Verdict::RestoredBadState
        );
        assert_eq!(decide(&done, &[bad("budget")]), Verdict::OverBudget);
        assert_eq!(
            decide(&Progress::StepFailed, &[bad("digest")]),
            Verdict::FailedToComplete
        );
        assert_eq!(
            decide(&Progress::NeverTriggered, &[]),
            Verdict::FailedToTrigger
        );
        assert_eq!(
            decide(&done, &[OracleResult::skip("schema", "")]),
            Verdict::Pass
        );
    }
}
