//! The `harm` oracle: the rollback must not make things worse than the release it replaces —
//! its window may not fail a larger share of requests than the deployed release did.

use super::OracleResult;
use crate::traffic::WindowStats;

/// Error-rate slack, so a handful of unlucky requests during a switch is not called harm.
const SLACK: f64 = 0.02;

pub fn check_harm(deployed: &WindowStats, rollback: &WindowStats) -> OracleResult {
    let summary = format!(
        "{} of {} requests failed during the rollback ({:.1}%), {:.1}% while the new release served",
        rollback.failed,
        rollback.requests,
        rollback.error_rate * 100.0,
        deployed.error_rate * 100.0
    );
    if rollback.failed > 0 && rollback.error_rate > deployed.error_rate + SLACK {
        OracleResult::fail("harm", format!("the rollback caused errors: {summary}"))
    } else {
        OracleResult::pass("harm", summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(requests: u64, failed: u64) -> WindowStats {
        WindowStats {
            requests,
            failed,
            error_rate: failed as f64 / requests.max(1) as f64,
            ..Default::default()
        }
    }

    #[test]
    fn more_errors_than_the_bad_release_is_harm() {
        assert!(!check_harm(&w(100, 30), &w(100, 25)).failed());
        assert!(check_harm(&w(100, 0), &w(100, 10)).failed());
        assert!(!check_harm(&w(100, 0), &w(100, 0)).failed());
        assert!(!check_harm(&w(100, 0), &w(200, 1)).failed());
    }
}
