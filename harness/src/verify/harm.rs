//! The `harm` oracle: the rollback must not make things worse than the release it replaces
//! while it runs — e.g. the schema reverted under code that still needs it. Judged on the
//! requests sent during the rollback to a release other than the one it restores; what the
//! restored release serves is the `traffic` oracle's.

use super::rate::worse_than;
use super::OracleResult;
use crate::timeline::WindowStats;
use crate::vocab::Oracle;

/// `deployed`: requests the new release served before the decision. `during`: requests sent
/// during the rollback before the restored release took over, without the announced outage
/// of a snapshot restore and injected faults.
pub fn check_harm(deployed: &WindowStats, during: &WindowStats) -> OracleResult {
    let pct = |w: &WindowStats| w.error_rate * 100.0;
    let summary = format!(
        "failed requests: {} of {} ({:.1}%) while the new release served, {} of {} ({:.1}%) during the rollback",
        deployed.failed,
        deployed.requests,
        pct(deployed),
        during.failed,
        during.requests,
        pct(during),
    );
    if worse_than(deployed, during) {
        OracleResult::fail(
            Oracle::Harm,
            format!("the rollback caused errors: {summary}"),
        )
    } else {
        OracleResult::pass(Oracle::Harm, summary)
    }
}

#[cfg(test)]
mod tests {
    use super::super::rate::tests::w;
    use super::*;

    #[test]
    fn more_errors_than_the_deployed_release_is_harm() {
        let calm = w(100, 0);
        assert!(!check_harm(&w(100, 30), &w(100, 25)).failed());
        assert!(check_harm(&calm, &w(100, 10)).failed());
        assert!(!check_harm(&calm, &calm).failed());
        assert!(!check_harm(&calm, &w(200, 1)).failed());
        // 11 of 29 while the bad release failed 20%: within its own noise.
        assert!(!check_harm(&w(50, 10), &w(29, 11)).failed());
        assert!(check_harm(&w(50, 10), &w(29, 25)).failed());
        let r = check_harm(&w(48, 8), &w(51, 20));
        assert!(!r.failed(), "{}", r.message);
        assert!(r.message.contains("8 of 48 (16.7%)"), "{}", r.message);
    }
}
