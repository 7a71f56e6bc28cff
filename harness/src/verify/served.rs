//! The `traffic` oracle: the workload is the smoke. Every request the restored release serves
//! counts, from the moment traffic is cut over to it (after its first healthy answer) to the
//! end of the drill, against the same workload the previous release served before the deploy.
//! Failing where it did not fail then means the rollback restored a state it cannot serve.

use super::rate::worse_than;
use super::OracleResult;
use crate::timeline::WindowStats;
use crate::vocab::Oracle;

/// What the restored release served, and the first failure it gave, if any.
#[derive(Debug, Clone, Default)]
pub struct Served {
    /// The release traffic ended on.
    pub release: String,
    /// Its requests, from the cut-over to the end.
    pub stats: WindowStats,
    /// How its first failed request ended.
    pub first_failure: Option<String>,
}

/// `before`: the previous release's own traffic before the deploy. `served`: `None` when
/// traffic never moved after the decision.
pub fn check_served(before: &WindowStats, served: Option<&Served>) -> OracleResult {
    let Some(s) = served else {
        return OracleResult::skip(
            Oracle::Traffic,
            "no release took traffic over after the decision",
        );
    };
    let summary = format!(
        "{} served {} requests after the rollback, {} failed; before the deploy {} of {} failed",
        s.release, s.stats.requests, s.stats.failed, before.failed, before.requests
    );
    if s.stats.requests == 0 {
        return OracleResult::skip(
            Oracle::Traffic,
            format!("{} served no requests before the drill ended", s.release),
        );
    }
    if worse_than(before, &s.stats) {
        let first = s.first_failure.as_deref().unwrap_or("unknown");
        OracleResult::fail(
            Oracle::Traffic,
            format!("{summary} (first failure: {first})"),
        )
    } else {
        OracleResult::pass(Oracle::Traffic, summary)
    }
}

#[cfg(test)]
mod tests {
    use super::super::rate::tests::w;
    use super::*;

    fn served(requests: u64, failed: u64) -> Served {
        Served {
            release: "baseline".into(),
            stats: w(requests, failed),
            first_failure: Some("answered 500".into()),
        }
    }

    #[test]
    fn the_restored_release_failing_what_it_served_before_fails() {
        let before = w(200, 0);
        let r = check_served(&before, Some(&served(20, 20)));
        assert!(r.failed());
        assert!(r
            .message
            .contains("baseline served 20 requests after the rollback, 20 failed"));
        assert!(
            r.message.contains("first failure: answered 500"),
            "{}",
            r.message
        );
        assert!(!check_served(&before, Some(&served(40, 1))).failed());
    }

    #[test]
    fn nothing_served_is_no_evidence_either_way() {
        let before = w(200, 0);
        assert_eq!(
            check_served(&before, None).status,
            crate::vocab::OracleStatus::Skipped
        );
        let r = check_served(&before, Some(&served(0, 0)));
        assert_eq!(r.status, crate::vocab::OracleStatus::Skipped);
    }
}
